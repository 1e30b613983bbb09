"""In-memory tenants, users, refresh tokens, agents, tool specs and widget configurations.

Same contracts as ``itl_adapters.postgres`` (the contract suites in ``tests/contract`` run
against both): Conflict on taken ids and names (case-insensitive), one active supervisor per
tenant, NotFound on updating a missing row, ValidationFailed for an unknown tenant, another
tenant's rows invisible, pages in ``(created_at, id)`` order.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from itl_core.agents.model import Agent
from itl_core.auth.model import RefreshTokenRecord, SpendOutcome, SpendResult
from itl_core.errors import Conflict, NotFound
from itl_core.pagination import Page, PageRequest
from itl_core.tenants.model import Tenant
from itl_core.tools.model import ToolSpec
from itl_core.users.model import User
from itl_core.widgets.model import WidgetConfig

from itl_adapters.memory.store import MemoryStore, page_from, require_new_id
from itl_adapters.memory.store import owned as _owned

__all__ = [
    "MemoryAgentRepository",
    "MemoryRefreshTokenRepository",
    "MemoryTenantRepository",
    "MemoryToolSpecRepository",
    "MemoryUserRepository",
    "MemoryWidgetConfigRepository",
]


class MemoryTenantRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def get(self, tenant_id: str) -> Tenant | None:
        return self._store.tenants.get(tenant_id)

    async def list(self, page: PageRequest) -> Page[Tenant]:
        return page_from(self._store.tenants.values(), page)

    async def add(self, tenant: Tenant) -> None:
        if tenant.id in self._store.tenants:
            raise Conflict("A tenant with this id already exists.")
        self._store.tenants[tenant.id] = tenant

    async def update(self, tenant: Tenant) -> None:
        old = self._store.tenants.get(tenant.id)
        if old is None:
            raise NotFound(f"Tenant '{tenant.id}' does not exist.")
        self._store.tenants[tenant.id] = replace(tenant, created_at=old.created_at)

    async def delete(self, tenant_id: str) -> bool:
        return self._store.delete_tenant(tenant_id)


class MemoryUserRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def get(self, tenant_id: str | None, user_id: str) -> User | None:
        return _owned(self._store.users, tenant_id, user_id)

    async def find_for_login(self, email: str) -> User | None:
        return self._by_email(email)

    async def list(self, tenant_id: str | None, page: PageRequest) -> Page[User]:
        return page_from((u for u in self._store.users.values() if u.tenant_id == tenant_id), page)

    async def add(self, user: User) -> None:
        self._store.require_tenant(user.tenant_id)
        require_new_id(self._store.users, user.id)
        self._check_email(user)
        self._store.users[user.id] = user

    async def update(self, user: User) -> None:
        old = _owned(self._store.users, user.tenant_id, user.id)
        if old is None:
            raise NotFound("The user does not exist.")
        self._check_email(user)
        self._store.users[user.id] = replace(user, created_at=old.created_at)

    async def delete(self, tenant_id: str | None, user_id: str) -> bool:
        if _owned(self._store.users, tenant_id, user_id) is None:
            return False
        self._store.delete_user(user_id)
        return True

    def _by_email(self, email: str) -> User | None:
        wanted = email.lower()
        return next((u for u in self._store.users.values() if u.email.lower() == wanted), None)

    def _check_email(self, user: User) -> None:
        taken = self._by_email(user.email)
        if taken is not None and taken.id != user.id:
            raise Conflict("A user with this email already exists.")


class MemoryRefreshTokenRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def add(self, record: RefreshTokenRecord) -> None:
        if record.user_id not in self._store.users:
            raise NotFound("The user does not exist.")
        self._store.require_tenant(record.tenant_id)
        require_new_id(self._store.refresh_tokens, record.id)
        if any(r.token_hash == record.token_hash for r in self._store.refresh_tokens.values()):
            raise Conflict("This refresh token is already stored.")
        self._store.refresh_tokens[record.id] = record

    async def spend(self, token_hash: str, now: datetime) -> SpendResult:
        # No await between the check and the write: two spends cannot both see it live.
        record = next(
            (r for r in self._store.refresh_tokens.values() if r.token_hash == token_hash), None
        )
        if record is None:
            return SpendResult(outcome=SpendOutcome.UNKNOWN)
        if record.spent_at is not None or record.revoked_at is not None:
            return SpendResult(outcome=SpendOutcome.REPLAYED, record=record)
        spent = replace(record, spent_at=now)
        self._store.refresh_tokens[record.id] = spent
        return SpendResult(outcome=SpendOutcome.SPENT, record=spent)

    async def revoke_family(self, family_id: str, now: datetime) -> None:
        tokens = self._store.refresh_tokens
        for key, r in list(tokens.items()):
            if r.family_id == family_id and r.revoked_at is None:
                tokens[key] = replace(r, revoked_at=now)


class MemoryAgentRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def get(self, tenant_id: str, agent_id: str) -> Agent | None:
        return _owned(self._store.agents, tenant_id, agent_id)

    async def list(self, tenant_id: str, page: PageRequest) -> Page[Agent]:
        return page_from(self._of(tenant_id), page)

    async def find_by_name(self, tenant_id: str, name: str) -> Agent | None:
        wanted = name.strip().lower()
        return next((a for a in self._of(tenant_id) if a.name.lower() == wanted), None)

    async def active_supervisor(self, tenant_id: str) -> Agent | None:
        return next((a for a in self._of(tenant_id) if a.is_active_supervisor), None)

    async def add(self, agent: Agent) -> None:
        self._store.require_tenant(agent.tenant_id)
        require_new_id(self._store.agents, agent.id)
        self._check_unique(agent)
        self._store.agents[agent.id] = agent

    async def update(self, agent: Agent) -> None:
        old = _owned(self._store.agents, agent.tenant_id, agent.id)
        if old is None:
            raise NotFound("The agent does not exist.")
        self._check_unique(agent)
        self._store.agents[agent.id] = replace(agent, created_at=old.created_at)

    async def delete(self, tenant_id: str, agent_id: str) -> bool:
        if _owned(self._store.agents, tenant_id, agent_id) is None:
            return False
        del self._store.agents[agent_id]
        return True

    def _of(self, tenant_id: str) -> list[Agent]:
        return [a for a in self._store.agents.values() if a.tenant_id == tenant_id]

    def _check_unique(self, agent: Agent) -> None:
        others = [a for a in self._of(agent.tenant_id) if a.id != agent.id]
        if any(a.name.lower() == agent.name.lower() for a in others):
            raise Conflict("An agent with this name already exists.")
        if agent.is_active_supervisor and any(a.is_active_supervisor for a in others):
            raise Conflict("The tenant already has an active supervisor.")


class MemoryToolSpecRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def get(self, tenant_id: str, tool_id: str) -> ToolSpec | None:
        return _owned(self._store.tools, tenant_id, tool_id)

    async def list(self, tenant_id: str, page: PageRequest) -> Page[ToolSpec]:
        return page_from((t for t in self._store.tools.values() if t.tenant_id == tenant_id), page)

    async def add(self, tool: ToolSpec) -> None:
        self._store.require_tenant(tool.tenant_id)
        require_new_id(self._store.tools, tool.id)
        self._check_name(tool)
        self._store.tools[tool.id] = tool

    async def update(self, tool: ToolSpec) -> None:
        old = _owned(self._store.tools, tool.tenant_id, tool.id)
        if old is None:
            raise NotFound("The tool does not exist.")
        self._check_name(tool)
        self._store.tools[tool.id] = replace(tool, created_at=old.created_at)

    async def delete(self, tenant_id: str, tool_id: str) -> bool:
        if _owned(self._store.tools, tenant_id, tool_id) is None:
            return False
        del self._store.tools[tool_id]
        return True

    def _check_name(self, tool: ToolSpec) -> None:
        if any(
            t.tenant_id == tool.tenant_id
            and t.id != tool.id
            and t.name.lower() == tool.name.lower()
            for t in self._store.tools.values()
        ):
            raise Conflict("A tool with this name already exists.")


class MemoryWidgetConfigRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def get(self, tenant_id: str) -> WidgetConfig | None:
        return self._store.widgets.get(tenant_id)

    async def save(self, config: WidgetConfig) -> None:
        self._store.require_tenant(config.tenant_id)
        self._store.widgets[config.tenant_id] = config
