"""First-start data: the platform admin and the ``demo`` tenant with logistics agents.

Idempotent: every step checks before it writes, so a restart changes nothing. A password that
is not given in the environment is generated, returned once in the report for the CLI to print,
and stored only as its Argon2id hash.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace

from itl_core.access import Principal, Role
from itl_core.agents.model import AgentKind, RoutingHints
from itl_core.agents.use_cases import AgentDraft, CreateAgentRequest
from itl_core.pagination import MAX_LIMIT, PageRequest
from itl_core.tenants.use_cases import CreateTenantRequest
from itl_core.tools.model import ToolKind
from itl_core.tools.use_cases import CreateToolRequest, ToolDraft
from itl_core.users.use_cases import CreateUserRequest

from itl_adapters.containers import Application, resolve
from itl_adapters.demo_kb import DEMO_KNOWLEDGE_TOOL, ensure_demo_knowledge
from itl_adapters.demo_widget import ensure_demo_widget
from itl_adapters.settings import Settings
from itl_adapters.tools.demo import ensure_demo_tracking_tool

DEMO_TENANT = "demo"
DEMO_ADMIN_EMAIL = "admin@demo.local"

# The bootstrap acts as the platform itself: no user owns these writes.
SYSTEM = Principal(user_id="system", tenant_id=None, role=Role.PLATFORM_ADMIN)

DEMO_AGENTS = (
    AgentDraft(
        name="Concierge",
        kind=AgentKind.SUPERVISOR,
        description="Greets customers and routes each question to the right specialist.",
        system_prompt="You route customer questions of a freight forwarder to the right agent.",
    ),
    # First domain agent: the router's fallback for messages no other agent claims.
    AgentDraft(
        name="General FAQ",
        description="General questions about the company: opening hours, offices and "
        "warehouses, countries served, services such as dangerous goods or temperature-"
        "controlled transport, the customer portal and accounts, payment, insurance, certificates.",
        system_prompt="You answer general questions about the company from the knowledge base.",
        routing=RoutingHints(
            keywords=(
                "opening hours",
                "open on",
                "office",
                "warehouse",
                "portal",
                "password",
                "log in",
                "sign up",
                "payment",
                "pay by",
                "insurance",
                "insured",
                "certified",
                "certification",
                "phone number",
                "email address",
                "dangerous goods",
                "hazardous",
                "temperature controlled",
                "reefer",
            ),
            examples=(
                "When are you open?",
                "Is my cargo insured while in transit?",
                "Which regions and countries do you serve?",
                "Can I pay by credit card?",
                "How do I log in to the customer portal?",
            ),
        ),
    ),
    AgentDraft(
        name="Shipment Tracking",
        description="Tracks shipments, parcels, pallets and containers: status, location, "
        "ETA, delivery, delays, arrival of vessels and trucks.",
        system_prompt="You track shipments. Use the tracking tool; never guess a status.",
        routing=RoutingHints(
            keywords=(
                "track",
                "tracking",
                "where is my",
                "where's my",
                "eta",
                "delayed",
                "delay",
                "late",
                "stuck",
                "arrive",
                "arrived",
                "delivered",
                "shipment status",
                "status of",
            ),
            patterns=(r"\bITL-\d{6}\b", r"\b[A-Z]{4}\d{7}\b"),
            examples=(
                "Where is my container?",
                "When will shipment ITL-123456 arrive?",
                "Our goods have not been delivered yet",
                "Has the ship left port?",
            ),
        ),
    ),
    AgentDraft(
        name="Customs & Documents",
        description="Customs clearance, import and export formalities, Incoterms, HS codes, "
        "duties, VAT and tariffs, and shipping documents such as bills of lading, invoices, "
        "packing lists and certificates of origin.",
        system_prompt="You explain customs and trade documents. Cite the knowledge base.",
        routing=RoutingHints(
            keywords=(
                "customs",
                "incoterm",
                "incoterms",
                "hs code",
                "duty",
                "duties",
                "vat",
                "tariff",
                "tariffs",
                "import",
                "importing",
                "export",
                "declaration",
                "clearance",
                "eori",
                "bill of lading",
                "invoice",
                "packing list",
                "certificate of origin",
                "fob",
                "cif",
                "exw",
                "ddp",
                "dap",
            ),
            examples=(
                "What documents do I need for customs?",
                "Who pays duties under DDP?",
                "Which paperwork is required to export goods outside the EU?",
            ),
        ),
    ),
    AgentDraft(
        name="Quotes & Booking",
        description="Freight quotes and bookings: FCL, LCL, air, sea and road freight; rates, "
        "prices, costs, discounts and transit times; reserving and changing bookings.",
        system_prompt="You prepare freight quotes and take bookings. Ask for missing details.",
        routing=RoutingHints(
            keywords=(
                "quote",
                "quotation",
                "price",
                "pricing",
                "rate",
                "rates",
                "cost",
                "how much",
                "book",
                "booking",
                "reserve",
                "an offer",
                "discount",
                "transit time",
                "full truckload",
                "fcl",
                "lcl",
            ),
            examples=(
                "How much to ship two pallets from Rotterdam to Lyon?",
                "I need a price for sea freight to Asia",
                "Book a container for next week",
            ),
        ),
    ),
    AgentDraft(
        name="Human Handoff",
        description="Hands the conversation to a human colleague when the customer asks for a "
        "person, an operator, an account manager, customer service or a call back.",
        system_prompt="When the customer wants a person, use the handoff tool, then say a "
        "colleague will reply in this chat.",
        routing=RoutingHints(
            keywords=(
                "person",
                "human",
                "someone",
                "somebody",
                "real agent",
                "live agent",
                "operator",
                "account manager",
                "customer service",
                "support team",
                "call me back",
                "complaint",
                "speak to",
                "speak with",
                "talk to",
            ),
            examples=(
                "I want to talk to a person",
                "Can I speak to someone from your team?",
                "Please put me through to a colleague",
            ),
        ),
    ),
)
# Tools the demo creates (kind, description) and which agents use them, by name.
DEMO_TOOLS = {
    # Shares words with "I want to talk to a person", so the offline model calls it too.
    "handoff": (
        ToolKind.HANDOFF,
        "Hand the conversation over to a human colleague when the customer wants to talk to a "
        "person.",
    ),
    "knowledge_base": (ToolKind.RAG, DEMO_KNOWLEDGE_TOOL),
}
DEMO_AGENT_TOOLS = {
    "Human Handoff": ("handoff",),
    "Customs & Documents": ("knowledge_base",),
    "General FAQ": ("knowledge_base",),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class SeedReport:
    """What the first start created; passwords only when generated just now."""

    admin_email: str
    admin_password: str | None
    demo_email: str | None
    demo_password: str | None


async def _ensure_user(
    container: Application, *, email: str, password: str | None, role: Role, tenant_id: str | None
) -> str | None:
    """Create the user if missing; return the password when it was generated here."""
    users = await resolve(container.repositories.users)
    if await users.find_for_login(email) is not None:
        return None
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    create = await resolve(container.use_cases.create_user)
    await create.execute(
        CreateUserRequest(
            principal=SYSTEM, email=email, password=password, role=role, tenant_id=tenant_id
        )
    )
    return password if generated else None


async def _ensure_demo_tools(container: Application) -> dict[str, str]:
    """Create the demo tools that are missing; answer every demo tool's id by name."""
    tools = await resolve(container.repositories.tools)
    page = await tools.list(DEMO_TENANT, PageRequest(limit=MAX_LIMIT))
    existing = {t.name: t.id for t in page.items}
    for name, (kind, description) in DEMO_TOOLS.items():
        if name not in existing:
            create_tool = await resolve(container.use_cases.create_tool)
            draft = ToolDraft(name=name, kind=kind, description=description)
            created = await create_tool.execute(
                CreateToolRequest(principal=SYSTEM, tenant_id=DEMO_TENANT, draft=draft)
            )
            existing[name] = created.id
    return existing


async def seed(container: Application, settings: Settings) -> SeedReport:
    admin_password = await _ensure_user(
        container,
        email=settings.admin_email,
        password=settings.admin_password,
        role=Role.PLATFORM_ADMIN,
        tenant_id=None,
    )
    if not settings.seed_demo:
        return SeedReport(
            admin_email=settings.admin_email,
            admin_password=admin_password,
            demo_email=None,
            demo_password=None,
        )
    tenants = await resolve(container.repositories.tenants)
    if await tenants.get(DEMO_TENANT) is None:
        create_tenant = await resolve(container.use_cases.create_tenant)
        await create_tenant.execute(
            CreateTenantRequest(
                principal=SYSTEM, id=DEMO_TENANT, name="Demo Logistics", settings={}
            )
        )
    demo_password = await _ensure_user(
        container,
        email=DEMO_ADMIN_EMAIL,
        password=settings.demo_password,
        role=Role.TENANT_ADMIN,
        tenant_id=DEMO_TENANT,
    )
    tool_ids = await _ensure_demo_tools(container)
    agents = await resolve(container.repositories.agents)
    for draft in DEMO_AGENTS:
        if await agents.find_by_name(DEMO_TENANT, draft.name) is None:
            names = DEMO_AGENT_TOOLS.get(draft.name, ())
            draft = replace(draft, tool_ids=tuple(tool_ids[n] for n in names))
            create_agent = await resolve(container.use_cases.create_agent)
            await create_agent.execute(
                CreateAgentRequest(principal=SYSTEM, tenant_id=DEMO_TENANT, draft=draft)
            )
    await ensure_demo_tracking_tool(container, settings, DEMO_TENANT, SYSTEM)
    await ensure_demo_widget(container, settings, DEMO_TENANT, SYSTEM)
    await ensure_demo_knowledge(container, DEMO_TENANT, SYSTEM)
    return SeedReport(
        admin_email=settings.admin_email,
        admin_password=admin_password,
        demo_email=DEMO_ADMIN_EMAIL,
        demo_password=demo_password,
    )
