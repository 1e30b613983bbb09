"""Agent configuration: tenant admins write, operators read.

Rules: names are unique per tenant (case-insensitive), a tenant has at most one active
supervisor, bounds on every field (``agent_errors``), and tool ids must name the tenant's tools.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from itl_core.access import Principal, Role, require_role, target_tenant
from itl_core.agents.model import Agent, AgentKind, RoutingHints, agent_errors
from itl_core.agents.ports import AgentRepository
from itl_core.clock import Clock
from itl_core.errors import Conflict, FieldError, NotFound, ValidationFailed
from itl_core.ids import IdGenerator
from itl_core.pagination import Page, PageRequest
from itl_core.tools.ports import ToolSpecRepository

READERS = (Role.PLATFORM_ADMIN, Role.TENANT_ADMIN, Role.OPERATOR)
WRITERS = (Role.PLATFORM_ADMIN, Role.TENANT_ADMIN)


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentDraft:
    """Every editable field of an agent, as sent by a create or a full replace."""

    name: str
    kind: AgentKind = AgentKind.DOMAIN
    description: str = ""
    system_prompt: str = ""
    provider: str = "offline"
    model: str = "offline-1"
    temperature: float = 0.2
    max_tokens: int = 1024
    tool_ids: tuple[str, ...] = ()
    routing: RoutingHints = field(default_factory=RoutingHints)
    is_active: bool = True


EDITABLE = frozenset(f.name for f in fields(AgentDraft))


@dataclass(frozen=True, slots=True, kw_only=True)
class CreateAgentRequest:
    principal: Principal
    tenant_id: str | None
    draft: AgentDraft


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplaceAgentRequest:
    principal: Principal
    tenant_id: str | None
    agent_id: str
    draft: AgentDraft


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateAgentRequest:
    """A partial update: ``changes`` maps a subset of ``AgentDraft`` field names to values."""

    principal: Principal
    tenant_id: str | None
    agent_id: str
    changes: Mapping[str, Any]


class _AgentRules:
    def __init__(self, agents: AgentRepository, tools: ToolSpecRepository) -> None:
        self._agents, self._tools = agents, tools

    async def check(self, agent: Agent) -> None:
        errors = agent_errors(agent)
        missing = [t for t in agent.tool_ids if await self._tools.get(agent.tenant_id, t) is None]
        if missing:
            errors.append(FieldError("tool_ids", f"unknown tools: {', '.join(missing)}"))
        if errors:
            raise ValidationFailed(errors)
        same_name = await self._agents.find_by_name(agent.tenant_id, agent.name)
        if same_name is not None and same_name.id != agent.id:
            raise Conflict(f"An agent named '{agent.name}' already exists.")
        if agent.is_active_supervisor:
            current = await self._agents.active_supervisor(agent.tenant_id)
            if current is not None and current.id != agent.id:
                raise Conflict(
                    f"'{current.name}' is already the active supervisor; deactivate it first."
                )


async def _load(
    agents: AgentRepository, principal: Principal, tenant: str | None, agent_id: str
) -> Agent:
    agent = await agents.get(target_tenant(principal, tenant), agent_id)
    if agent is None:
        raise NotFound("The agent does not exist.")
    return agent


class CreateAgent:
    def __init__(
        self, agents: AgentRepository, tools: ToolSpecRepository, clock: Clock, ids: IdGenerator
    ) -> None:
        self._agents, self._clock, self._ids = agents, clock, ids
        self._rules = _AgentRules(agents, tools)

    async def execute(self, request: CreateAgentRequest) -> Agent:
        require_role(request.principal, *WRITERS)
        now = self._clock.now()
        draft = request.draft
        agent = Agent(
            id=self._ids.new_id(),
            tenant_id=target_tenant(request.principal, request.tenant_id),
            created_at=now,
            updated_at=now,
            **{f: getattr(draft, f) for f in EDITABLE},
        )
        agent = replace(agent, name=agent.name.strip())
        await self._rules.check(agent)
        await self._agents.add(agent)
        return agent


class GetAgent:
    def __init__(self, agents: AgentRepository) -> None:
        self._agents = agents

    async def execute(
        self, principal: Principal, agent_id: str, tenant_id: str | None = None
    ) -> Agent:
        require_role(principal, *READERS)
        return await _load(self._agents, principal, tenant_id, agent_id)


class ListAgents:
    def __init__(self, agents: AgentRepository) -> None:
        self._agents = agents

    async def execute(
        self, principal: Principal, page: PageRequest, tenant_id: str | None = None
    ) -> Page[Agent]:
        require_role(principal, *READERS)
        return await self._agents.list(target_tenant(principal, tenant_id), page)


class UpdateAgent:
    """PATCH semantics; ``ReplaceAgent`` is the PUT form of the same rules."""

    def __init__(self, agents: AgentRepository, tools: ToolSpecRepository, clock: Clock) -> None:
        self._agents, self._clock = agents, clock
        self._rules = _AgentRules(agents, tools)

    async def execute(self, request: UpdateAgentRequest) -> Agent:
        require_role(request.principal, *WRITERS)
        unknown = set(request.changes) - EDITABLE
        if unknown:
            raise ValidationFailed(
                [FieldError(k, "is not an editable field") for k in sorted(unknown)]
            )
        agent = await _load(self._agents, request.principal, request.tenant_id, request.agent_id)
        changes = dict(request.changes)
        if "name" in changes:
            changes["name"] = str(changes["name"]).strip()
        updated = replace(agent, **changes, updated_at=self._clock.now())
        await self._rules.check(updated)
        await self._agents.update(updated)
        return updated


class ReplaceAgent:
    def __init__(self, agents: AgentRepository, tools: ToolSpecRepository, clock: Clock) -> None:
        self._update = UpdateAgent(agents, tools, clock)

    async def execute(self, request: ReplaceAgentRequest) -> Agent:
        changes = {f: getattr(request.draft, f) for f in EDITABLE}
        return await self._update.execute(
            UpdateAgentRequest(
                principal=request.principal,
                tenant_id=request.tenant_id,
                agent_id=request.agent_id,
                changes=changes,
            )
        )


class DeleteAgent:
    def __init__(self, agents: AgentRepository) -> None:
        self._agents = agents

    async def execute(
        self, principal: Principal, agent_id: str, tenant_id: str | None = None
    ) -> None:
        require_role(principal, *WRITERS)
        if not await self._agents.delete(target_tenant(principal, tenant_id), agent_id):
            raise NotFound("The agent does not exist.")
