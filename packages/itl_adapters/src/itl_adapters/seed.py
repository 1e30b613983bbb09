"""First-start data: the platform admin and the ``demo`` tenant with logistics agents.

Idempotent: every step checks before it writes, so a restart changes nothing. A password that
is not given in the environment is generated, returned once in the report for the CLI to print,
and stored only as its Argon2id hash.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from itl_core.access import Principal, Role
from itl_core.agents.model import AgentKind, RoutingHints
from itl_core.agents.use_cases import AgentDraft, CreateAgentRequest
from itl_core.tenants.use_cases import CreateTenantRequest
from itl_core.users.use_cases import CreateUserRequest
from itl_adapters.containers import Application, resolve
from itl_adapters.settings import Settings

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
    AgentDraft(
        name="Shipment Tracking",
        description="Tracks shipments and containers: status, location, ETA, delays.",
        system_prompt="You track shipments. Use the tracking tool; never guess a status.",
        routing=RoutingHints(
            keywords=("track", "tracking", "where is", "eta", "delayed", "shipment status"),
            patterns=(r"\bITL-\d{6}\b", r"\b[A-Z]{4}\d{7}\b"),
            examples=("Where is my container?", "When will shipment ITL-123456 arrive?"),
        ),
    ),
    AgentDraft(
        name="Customs & Documents",
        description="Customs clearance, Incoterms, HS codes, duties and shipping documents.",
        system_prompt="You explain customs and trade documents. Cite the knowledge base.",
        routing=RoutingHints(
            keywords=("customs", "incoterm", "hs code", "duty", "bill of lading", "invoice"),
            examples=("What documents do I need for customs?", "Who pays duties under DDP?"),
        ),
    ),
    AgentDraft(
        name="Quotes & Booking",
        description="Freight quotes and bookings: FCL, LCL, air and road; rates and transit times.",
        system_prompt="You prepare freight quotes and take bookings. Ask for missing details.",
        routing=RoutingHints(
            keywords=("quote", "price", "rate", "book", "booking", "pallet", "container cost"),
            examples=("How much to ship two pallets from Rotterdam to Lyon?",),
        ),
    ),
)


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
        CreateUserRequest(principal=SYSTEM, email=email, password=password, role=role, tenant_id=tenant_id)
    )
    return password if generated else None


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
            admin_email=settings.admin_email, admin_password=admin_password, demo_email=None, demo_password=None
        )
    tenants = await resolve(container.repositories.tenants)
    if await tenants.get(DEMO_TENANT) is None:
        create_tenant = await resolve(container.use_cases.create_tenant)
        await create_tenant.execute(
            CreateTenantRequest(principal=SYSTEM, id=DEMO_TENANT, name="Demo Logistics", settings={})
        )
    demo_password = await _ensure_user(
        container,
        email=DEMO_ADMIN_EMAIL,
        password=settings.demo_password,
        role=Role.TENANT_ADMIN,
        tenant_id=DEMO_TENANT,
    )
    agents = await resolve(container.repositories.agents)
    for draft in DEMO_AGENTS:
        if await agents.find_by_name(DEMO_TENANT, draft.name) is None:
            create_agent = await resolve(container.use_cases.create_agent)
            await create_agent.execute(
                CreateAgentRequest(principal=SYSTEM, tenant_id=DEMO_TENANT, draft=draft)
            )
    return SeedReport(
        admin_email=settings.admin_email,
        admin_password=admin_password,
        demo_email=DEMO_ADMIN_EMAIL,
        demo_password=demo_password,
    )
