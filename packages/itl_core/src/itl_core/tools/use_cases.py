"""Tool administration: tenant admins write (and test), operators read.

Secrets are write-only: requests carry plaintext ``secrets`` (name -> value), which are sealed at
once with ``secret_context(tenant, "tool", tool_id, name)`` (the context ``itl keys rotate``
rebuilds); answers only ever show their names. ``config`` never holds a secret.

Secret updates: create sets them; a replace (PUT) without ``secrets`` keeps the sealed ones (a
client cannot read them back to re-send) and with ``secrets`` replaces the whole set; a partial
update (PATCH) merges, where a ``None`` value removes that secret. Names match case-insensitively.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from itl_core.access import Principal, Role, require_role, target_tenant
from itl_core.agents.ports import AgentRepository
from itl_core.clock import Clock
from itl_core.errors import Conflict, FieldError, NotFound, ValidationFailed
from itl_core.ids import IdGenerator
from itl_core.pagination import Page, PageRequest
from itl_core.security.ports import SecretBox, secret_context
from itl_core.tools.model import ToolKind, ToolSpec
from itl_core.tools.ports import ToolContext, ToolFactory, ToolOutcome, ToolSpecRepository
from itl_core.tools.rules import secret_value_errors, tool_errors

READERS = (Role.PLATFORM_ADMIN, Role.TENANT_ADMIN, Role.OPERATOR)
WRITERS = (Role.PLATFORM_ADMIN, Role.TENANT_ADMIN)
EDITABLE = frozenset({"name", "kind", "description", "config"})


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolDraft:
    name: str
    kind: ToolKind
    description: str = ""
    config: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class CreateToolRequest:
    principal: Principal
    tenant_id: str | None
    draft: ToolDraft
    secrets: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplaceToolRequest:
    """``secrets`` None keeps the sealed secrets; a mapping replaces them all."""

    principal: Principal
    tenant_id: str | None
    tool_id: str
    draft: ToolDraft
    secrets: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateToolRequest:
    """``changes``: a subset of ``EDITABLE``; ``secrets``: merged, a None value removes one."""

    principal: Principal
    tenant_id: str | None
    tool_id: str
    changes: Mapping[str, Any] = field(default_factory=dict)
    secrets: Mapping[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class TestToolRequest:
    __test__ = False  # not a pytest class, despite the name

    principal: Principal
    tenant_id: str | None
    tool_id: str
    arguments: Mapping[str, Any] = field(default_factory=dict)


class _ToolWriter:
    """Validates a spec, seals its new secrets and stores it (add or update)."""

    def __init__(self, tools: ToolSpecRepository, box: SecretBox, clock: Clock) -> None:
        self._tools, self._box, self._clock = tools, box, clock

    async def save(
        self, spec: ToolSpec, secrets: Mapping[str, str | None], *, keep: bool, new: bool
    ) -> ToolSpec:
        sealed = dict(spec.sealed_secrets) if keep else {}
        errors = secret_value_errors(secrets)
        for name, value in secrets.items():
            for old in [k for k in sealed if k.lower() == name.lower()]:
                del sealed[old]
            if value is not None and not errors:
                context = secret_context(spec.tenant_id, "tool", spec.id, name)
                sealed[name] = self._box.seal(value, context=context)
        errors += tool_errors(
            name=spec.name,
            kind=spec.kind,
            description=spec.description,
            config=spec.config,
            secret_names=list(sealed),
        )
        if errors:
            raise ValidationFailed(errors)
        spec = replace(
            spec, name=spec.name.strip(), config=dict(spec.config), sealed_secrets=sealed
        )
        await (self._tools.add(spec) if new else self._tools.update(spec))
        return spec


async def _load(
    tools: ToolSpecRepository, principal: Principal, tenant: str | None, tool_id: str
) -> ToolSpec:
    spec = await tools.get(target_tenant(principal, tenant), tool_id)
    if spec is None:
        raise NotFound("The tool does not exist.")
    return spec


class CreateTool:
    def __init__(
        self, tools: ToolSpecRepository, box: SecretBox, clock: Clock, ids: IdGenerator
    ) -> None:
        self._writer, self._clock, self._ids = _ToolWriter(tools, box, clock), clock, ids

    async def execute(self, request: CreateToolRequest) -> ToolSpec:
        require_role(request.principal, *WRITERS)
        now = self._clock.now()
        draft = request.draft
        spec = ToolSpec(
            id=self._ids.new_id(),
            tenant_id=target_tenant(request.principal, request.tenant_id),
            name=draft.name,
            kind=draft.kind,
            description=draft.description,
            config=draft.config,
            created_at=now,
            updated_at=now,
        )
        return await self._writer.save(spec, request.secrets, keep=False, new=True)


class GetTool:
    def __init__(self, tools: ToolSpecRepository) -> None:
        self._tools = tools

    async def execute(
        self, principal: Principal, tool_id: str, tenant_id: str | None = None
    ) -> ToolSpec:
        require_role(principal, *READERS)
        return await _load(self._tools, principal, tenant_id, tool_id)


class ListTools:
    def __init__(self, tools: ToolSpecRepository) -> None:
        self._tools = tools

    async def execute(
        self, principal: Principal, page: PageRequest, tenant_id: str | None = None
    ) -> Page[ToolSpec]:
        require_role(principal, *READERS)
        return await self._tools.list(target_tenant(principal, tenant_id), page)


class UpdateTool:
    """PATCH semantics; ``ReplaceTool`` is the PUT form of the same rules."""

    def __init__(self, tools: ToolSpecRepository, box: SecretBox, clock: Clock) -> None:
        self._tools, self._clock = tools, clock
        self._writer = _ToolWriter(tools, box, clock)

    async def execute(self, request: UpdateToolRequest, *, keep_secrets: bool = True) -> ToolSpec:
        require_role(request.principal, *WRITERS)
        unknown = set(request.changes) - EDITABLE
        if unknown:
            raise ValidationFailed(
                [FieldError(k, "is not an editable field") for k in sorted(unknown)]
            )
        spec = await _load(self._tools, request.principal, request.tenant_id, request.tool_id)
        updated = replace(spec, **request.changes, updated_at=self._clock.now())
        return await self._writer.save(updated, request.secrets, keep=keep_secrets, new=False)


class ReplaceTool:
    def __init__(self, tools: ToolSpecRepository, box: SecretBox, clock: Clock) -> None:
        self._update = UpdateTool(tools, box, clock)

    async def execute(self, request: ReplaceToolRequest) -> ToolSpec:
        draft = request.draft
        return await self._update.execute(
            UpdateToolRequest(
                principal=request.principal,
                tenant_id=request.tenant_id,
                tool_id=request.tool_id,
                changes={f: getattr(draft, f) for f in EDITABLE},
                secrets=request.secrets or {},
            ),
            keep_secrets=request.secrets is None,
        )


class DeleteTool:
    """Refuses (Conflict) while an agent still lists the tool: agents never point at nothing."""

    def __init__(self, tools: ToolSpecRepository, agents: AgentRepository) -> None:
        self._tools, self._agents = tools, agents

    async def execute(
        self, principal: Principal, tool_id: str, tenant_id: str | None = None
    ) -> None:
        require_role(principal, *WRITERS)
        spec = await _load(self._tools, principal, tenant_id, tool_id)
        page = PageRequest(limit=200)
        while True:
            agents = await self._agents.list(spec.tenant_id, page)
            users = [a.name for a in agents.items if tool_id in a.tool_ids]
            if users:
                raise Conflict(f"The tool is used by agent '{users[0]}'; remove it there first.")
            if agents.next_cursor is None:
                break
            page = PageRequest.parse(200, agents.next_cursor)
        if not await self._tools.delete(spec.tenant_id, tool_id):
            raise NotFound("The tool does not exist.")


class TestTool:
    """Runs a tool once, as an agent would, and answers its outcome (failures included)."""

    __test__ = False  # not a pytest class, despite the name

    def __init__(self, tools: ToolSpecRepository, factory: ToolFactory) -> None:
        self._tools, self._factory = tools, factory

    async def execute(self, request: TestToolRequest) -> ToolOutcome:
        require_role(request.principal, *WRITERS)  # a run makes outbound calls: admins only
        spec = await _load(self._tools, request.principal, request.tenant_id, request.tool_id)
        tool = self._factory.build(spec)
        context = ToolContext(tenant_id=spec.tenant_id, session_id="admin-test", agent_id="")
        return await tool.run(request.arguments, context)
