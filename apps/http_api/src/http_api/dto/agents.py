"""Agent wire formats."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from itl_core.agents.model import MAX_PRIORITY, Agent, AgentKind, RoutingHints
from itl_core.agents.use_cases import AgentDraft

from http_api.dto.common import Hint, Name, StrictIn, Text

Hints = Annotated[list[Hint], msgspec.Meta(max_length=100)]


class RoutingIO(StrictIn):
    keywords: Hints = msgspec.field(default_factory=list)
    patterns: Hints = msgspec.field(default_factory=list)
    examples: Hints = msgspec.field(default_factory=list)
    # Breaks a tie between agents whose rules score equally: the highest priority wins.
    priority: Annotated[int, msgspec.Meta(ge=0, le=MAX_PRIORITY)] = 0

    def to_core(self) -> RoutingHints:
        return RoutingHints(
            keywords=tuple(self.keywords),
            patterns=tuple(self.patterns),
            examples=tuple(self.examples),
            priority=self.priority,
        )

    @classmethod
    def of(cls, hints: RoutingHints) -> RoutingIO:
        return cls(
            keywords=list(hints.keywords),
            patterns=list(hints.patterns),
            examples=list(hints.examples),
            priority=hints.priority,
        )


class AgentIn(StrictIn):
    """Create (POST) and full replace (PUT) body."""

    name: Name
    kind: AgentKind = AgentKind.DOMAIN
    description: Text = ""
    system_prompt: Text = ""
    provider: str = "offline"
    model: str = "offline-1"
    temperature: float = 0.2
    max_tokens: int = 1024
    tool_ids: list[str] = msgspec.field(default_factory=list)
    routing: RoutingIO = msgspec.field(default_factory=RoutingIO)
    is_active: bool = True

    def to_draft(self) -> AgentDraft:
        fields = msgspec.structs.asdict(self)
        fields.update(tool_ids=tuple(self.tool_ids), routing=self.routing.to_core())
        return AgentDraft(**fields)


class AgentPatchIn(StrictIn):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    kind: AgentKind | msgspec.UnsetType = msgspec.UNSET
    description: Text | msgspec.UnsetType = msgspec.UNSET
    system_prompt: Text | msgspec.UnsetType = msgspec.UNSET
    provider: str | msgspec.UnsetType = msgspec.UNSET
    model: str | msgspec.UnsetType = msgspec.UNSET
    temperature: float | msgspec.UnsetType = msgspec.UNSET
    max_tokens: int | msgspec.UnsetType = msgspec.UNSET
    tool_ids: list[str] | msgspec.UnsetType = msgspec.UNSET
    routing: RoutingIO | msgspec.UnsetType = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET

    def changes(self) -> dict[str, Any]:
        changes = {
            f: v for f in self.__struct_fields__ if (v := getattr(self, f)) is not msgspec.UNSET
        }
        if "tool_ids" in changes:
            changes["tool_ids"] = tuple(changes["tool_ids"])
        if "routing" in changes:
            changes["routing"] = changes["routing"].to_core()
        return changes


class AgentOut(msgspec.Struct, kw_only=True):
    id: str
    name: str
    kind: AgentKind
    description: str
    system_prompt: str
    provider: str
    model: str
    temperature: float
    max_tokens: int
    tool_ids: list[str]
    routing: RoutingIO
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, agent: Agent) -> AgentOut:
        return cls(
            id=agent.id,
            name=agent.name,
            kind=agent.kind,
            description=agent.description,
            system_prompt=agent.system_prompt,
            provider=agent.provider,
            model=agent.model,
            temperature=agent.temperature,
            max_tokens=agent.max_tokens,
            tool_ids=list(agent.tool_ids),
            routing=RoutingIO.of(agent.routing),
            is_active=agent.is_active,
            created_at=agent.created_at,
            updated_at=agent.updated_at,
        )


class AgentPageOut(msgspec.Struct, kw_only=True):
    items: list[AgentOut]
    next_cursor: str | None
