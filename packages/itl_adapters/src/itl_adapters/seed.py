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
        description="General questions about ITL, the company, rather than about one shipment: "
        "greetings and small talk, opening hours and holidays, offices, branches and "
        "warehouses, storage, countries and services offered (dangerous goods, temperature-"
        "controlled, last-mile and e-commerce delivery), the customer portal, logins and "
        "accounts, payment methods and billing, insurance, certifications, sustainability, "
        "jobs, contact details, terms and conditions.",
        system_prompt="You answer general questions about the company from the knowledge base.",
        routing=RoutingHints(
            keywords=(
                "opening hours",
                "opening times",
                "business hours",
                "open on",
                "are you open",
                "closing time",
                "public holiday",
                "office",
                "head office",
                "headquarters",
                "branch",
                "warehouse",
                "warehousing",
                "storage",
                "portal",
                "account",
                "password",
                "log in",
                "login",
                "sign up",
                "register",
                "payment",
                "payment terms",
                "pay by",
                "pay with",
                "credit card",
                "bank transfer",
                "billing",
                "insurance",
                "insured",
                "certified",
                "certification",
                "iso",
                "phone number",
                "email address",
                "contact details",
                "vat number",
                "dangerous goods",
                "hazardous",
                "adr",
                "temperature controlled",
                "countries",
                "services",
                "jobs",
                "careers",
                "hiring",
                "vacancies",
                "terms and conditions",
                "privacy",
                "sustainability",
                "carbon",
                "co2",
                "emissions",
                "öffnungszeiten",
                "geöffnet",
                "horaires",
                "ouvert",
            ),
            examples=(
                "Hello, good afternoon",
                "Thank you, that's all",
                "When are you open?",
                "Is my cargo insured while in transit?",
                "Which regions and countries do you serve?",
                "Can I pay by credit card?",
                "How do I log in to the customer portal?",
                "Do you have a depot near Frankfurt?",
                "What services does your company provide?",
                "How can I update the details of my account?",
                "Where can I read your general conditions?",
                "Do you handle refrigerated or hazardous cargo?",
            ),
        ),
    ),
    AgentDraft(
        name="Shipment Tracking",
        description="Tracks the customer's shipments, parcels, pallets, containers and "
        "consignments already on their way: where they are, status updates, ETA and expected "
        "delivery date, delays, missing or late deliveries, proof of delivery, departure and "
        "arrival of vessels, trucks and drivers.",
        system_prompt="You track shipments. Use the tracking tool; never guess a status.",
        routing=RoutingHints(
            keywords=(
                "track",
                "tracking",
                "trace",
                "tracking number",
                "where is my",
                "where's my",
                "wheres my",
                "where is our",
                "where are my",
                "where are our",
                "whereabouts",
                "status",
                "status update",
                "any update",
                "any news",
                "eta",
                "expected delivery",
                "delivery date",
                "arrive",
                "arrival",
                "not arrived",
                "delivered",
                "not received",
                "still waiting",
                "shown up",
                "show up",
                "delayed",
                "delay",
                "late",
                "stuck",
                "in transit",
                "departed",
                "left port",
                "picked up",
                "driver",
                "proof of delivery",
                "pod",
                "sendung",
                "sendungsverfolgung",
                "sendungsstatus",
                "lieferung",
                "wo ist",
                "wo bleibt",
                "verspätung",
                "colis",
                "suivi",
                "où est",
                "livraison",
                "retard",
            ),
            patterns=(r"(?i)\bITL[-\s]?\d{6}\b", r"(?i)\b[A-Z]{3}[UJZ]\d{7}\b"),
            examples=(
                "Where is my container?",
                "When will shipment ITL-123456 arrive?",
                "Our goods have not been delivered yet",
                "Has the ship left port?",
                "What is the current status of my order?",
                "The customer is still waiting for the delivery",
                "Is the truck on its way?",
                "When can we expect the cargo at our site?",
                "Can you give me an update on my consignment?",
                "The parcel was due last week and has not come",
            ),
        ),
    ),
    AgentDraft(
        name="Customs & Documents",
        description="Customs clearance, import and export formalities, Incoterms, HS and "
        "commodity codes, duties, VAT and tariffs, licences, restrictions and sanctions, and "
        "shipping documents such as bills of lading, air waybills, commercial and proforma "
        "invoices, packing lists, transit documents and certificates of origin.",
        system_prompt="You explain customs and trade documents. Cite the knowledge base.",
        routing=RoutingHints(
            keywords=(
                "customs",
                "customs clearance",
                "customs broker",
                "clearance",
                "incoterm",
                "incoterms",
                "hs code",
                "commodity code",
                "tariff code",
                "taric",
                "duty",
                "duties",
                "duty free",
                "excise",
                "vat",
                "tariff",
                "anti dumping",
                "import",
                "importer",
                "importer of record",
                "export",
                "exporter",
                "declaration",
                "eori",
                "licence",
                "license",
                "permit",
                "restrictions",
                "sanctions",
                "embargo",
                "dual use",
                "documents",
                "documentation",
                "paperwork",
                "papers",
                "bill of lading",
                "air waybill",
                "airway bill",
                "awb",
                "waybill",
                "cmr",
                "transit document",
                "t1",
                "commercial invoice",
                "proforma",
                "pro forma",
                "packing list",
                "certificate",
                "certificate of origin",
                "movement certificate",
                "eur 1",
                "exw",
                "fca",
                "fas",
                "fob",
                "cfr",
                "cif",
                "cpt",
                "cip",
                "dap",
                "dpu",
                "ddp",
                "zoll",
                "zollabfertigung",
                "verzollung",
                "einfuhr",
                "ausfuhr",
                "douane",
                "dédouanement",
                "droits de douane",
            ),
            examples=(
                "What documents do I need for customs?",
                "Who pays duties under DDP?",
                "Which paperwork is required to export goods outside the EU?",
                "How is import VAT calculated?",
                "Can you clear our goods through customs?",
                "Which Incoterm suits us if we collect from the supplier?",
                "How do I classify my product for customs?",
                "Is this product restricted for import?",
                "We need the shipping documents for the bank",
            ),
        ),
    ),
    AgentDraft(
        name="Quotes & Booking",
        description="Freight quotes and bookings for new transports: FCL, LCL, groupage, air, "
        "sea and road freight; rates, prices, costs, charges, budgets, discounts and transit "
        "times; capacity and space, pickups and collections; reserving, changing and "
        "cancelling bookings.",
        system_prompt="You prepare freight quotes and take bookings. Ask for missing details.",
        routing=RoutingHints(
            keywords=(
                "quote",
                "quotation",
                "price",
                "pricing",
                "rate",
                "rates",
                "rate card",
                "tariff sheet",
                "cost",
                "how much",
                "expensive",
                "cheap",
                "cheaper",
                "budget",
                "estimate",
                "charge",
                "surcharge",
                "an offer",
                "offer for",
                "discount",
                "book",
                "booking",
                "reserve",
                "reservation",
                "cancel",
                "reschedule",
                "pickup",
                "collection",
                "capacity",
                "space",
                "slot",
                "transit time",
                "how long",
                "full truckload",
                "ftl",
                "ltl",
                "groupage",
                "fcl",
                "lcl",
                "20ft",
                "40ft",
                "40hc",
                "per kg",
                "kostet",
                "kosten",
                "preis",
                "angebot",
                "buchen",
                "buchung",
                "combien",
                "coûte",
                "prix",
                "tarif",
                "devis",
                "réserver",
                "réservation",
            ),
            examples=(
                "How much to ship two pallets from Rotterdam to Lyon?",
                "I need a price for sea freight to Asia",
                "Book a container for next week",
                "What are your rates for road transport within Europe?",
                "Can you collect goods from our supplier on Thursday?",
                "We have a new transport to plan, can you make us an offer?",
                "Is it faster to send it by air or by sea?",
                "Please move my booking to another day",
                "Do you have room on a truck to Spain this week?",
            ),
        ),
    ),
    AgentDraft(
        name="Human Handoff",
        description="Hands the conversation to a human colleague when the customer asks for a "
        "person, an agent, an operator, a representative, their account manager or contact, "
        "customer service or sales, wants a call back, escalates, complains or is unhappy "
        "with the bot.",
        system_prompt="When the customer wants a person, use the handoff tool, then say a "
        "colleague will reply in this chat.",
        routing=RoutingHints(
            priority=1,  # asking for a person wins a rule tie with what the message is about
            keywords=(
                "person",
                "human",
                "someone",
                "somebody",
                "agent",
                "real agent",
                "live agent",
                "representative",
                "rep",
                "operator",
                "account manager",
                "my contact",
                "customer service",
                "support team",
                "support",
                "staff",
                "colleague",
                "manager",
                "escalate",
                "call me",
                "call me back",
                "phone me",
                "ring me",
                "callback",
                "complaint",
                "complain",
                "speak to",
                "speak with",
                "talk to",
                "talk with",
                "chat with",
                "live chat",
                "bot",
                "mitarbeiter",
                "ansprechpartner",
                "kundenservice",
                "sprechen",
                "mensch",
                "parler",
                "quelqu'un",
                "conseiller",
                "humain",
                "service client",
                "rappeler",
            ),
            patterns=(r"\+\d[\d ()./-]{7,}\d",),
            examples=(
                "I want to talk to a person",
                "Can I speak to someone from your team?",
                "Please put me through to a colleague",
                "I would like a call back from sales",
                "You are not helping, I want a real human",
                "Who is responsible for my account?",
                "I am not satisfied and want to escalate",
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
