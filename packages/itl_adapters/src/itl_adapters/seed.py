"""First-start data: the platform admin and the ``demo`` tenant with logistics agents.

Idempotent: every step checks before it writes, so a restart changes nothing. A password that
is not given in the environment is generated, returned once in the report for the CLI to print,
and stored only as its Argon2id hash.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace

from itl_core.access import Principal, Role
from itl_core.agents.use_cases import CreateAgentRequest
from itl_core.pagination import MAX_LIMIT, PageRequest
from itl_core.tenants.use_cases import CreateTenantRequest
from itl_core.tools.use_cases import CreateToolRequest, ToolDraft
from itl_core.users.use_cases import CreateUserRequest

from itl_adapters.containers import Application, resolve
from itl_adapters.demo_agents import DEMO_AGENT_TOOLS, DEMO_AGENTS, DEMO_TOOLS
from itl_adapters.demo_kb import ensure_demo_knowledge
from itl_adapters.demo_widget import ensure_demo_widget
from itl_adapters.settings import Settings
from itl_adapters.tools.demo import ensure_demo_tracking_tool

DEMO_TENANT = "demo"
DEMO_ADMIN_EMAIL = "admin@demo.local"

# The bootstrap acts as the platform itself: no user owns these writes.
SYSTEM = Principal(user_id="system", tenant_id=None, role=Role.PLATFORM_ADMIN)


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
