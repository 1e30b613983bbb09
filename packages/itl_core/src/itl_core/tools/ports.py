"""Tool ports: the store of tool specs, runnable tools, and the factory between them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from itl_core.llm.model import ToolDefinition
from itl_core.pagination import Page, PageRequest
from itl_core.tools.model import ToolSpec


class ToolSpecRepository(Protocol):
    """A tenant's tool specs; names unique per tenant (Conflict)."""

    async def get(self, tenant_id: str, tool_id: str) -> ToolSpec | None: ...

    async def list(self, tenant_id: str, page: PageRequest) -> Page[ToolSpec]: ...

    async def add(self, tool: ToolSpec) -> None: ...

    async def update(self, tool: ToolSpec) -> None: ...

    async def delete(self, tenant_id: str, tool_id: str) -> bool: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
    """A passage an answer relied on, for the ``citations`` of a reply."""

    document_id: str
    title: str
    chunk_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolContext:
    """Who a tool runs for. Tools scope every read and every outbound call to ``tenant_id``."""

    tenant_id: str
    session_id: str
    agent_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolOutcome:
    """What a run produced. ``content`` goes to the model as untrusted data (a tool message).

    ``is_error``: the tool failed and ``content`` says why (the model sees it; the turn goes on).
    ``handoff``: the session should wait for a human after this turn.
    """

    content: str
    is_error: bool = False
    citations: tuple[Citation, ...] = ()
    handoff: bool = False
    data: Mapping[str, Any] = field(default_factory=dict)


class Tool(Protocol):
    """A runnable tool. ``run`` validates ``arguments`` against ``definition.parameters`` and
    reports bad arguments and failures as an ``is_error`` outcome; it raises only for bugs."""

    @property
    def definition(self) -> ToolDefinition: ...

    async def run(self, arguments: Mapping[str, Any], context: ToolContext) -> ToolOutcome: ...


class ToolFactory(Protocol):
    """Builds the runnable tool for a spec (dispatching on ``spec.kind``); ValidationFailed when
    the spec's config is not usable."""

    def build(self, spec: ToolSpec) -> Tool: ...
