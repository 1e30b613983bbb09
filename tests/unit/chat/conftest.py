"""The chat world: the real container over fakes, a scripted model, fake tools by name.

``chat.model(...)`` installs a ``ScriptedChatModel`` as every agent's model; ``chat.agent``
creates agents and ``chat.tool`` tool specs through the real use cases; fake tools are
``rag``-kind specs that the test tool factory builds from ``FAKE_TOOLS`` by name (the
``handoff`` kind keeps its real builder).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import pytest
from dependency_injector import providers
from itl_adapters.containers import Application, resolve
from itl_adapters.memory.llm import ScriptedChatModel, StaticModelResolver, Step
from itl_adapters.memory.store import MemoryStore
from itl_adapters.tools.factory import HANDOFF_BUILDERS, KindToolFactory
from itl_core.access import Principal
from itl_core.agents.model import Agent, AgentKind, RoutingHints
from itl_core.agents.use_cases import AgentDraft, CreateAgentRequest
from itl_core.chat import Actor, ChatEvent, ChatTurnRequest, TurnLimits
from itl_core.llm.model import ToolDefinition
from itl_core.tenants.model import Tenant
from itl_core.tools.model import ToolKind, ToolSpec
from itl_core.tools.ports import Citation, ToolContext, ToolOutcome
from itl_core.tools.use_cases import CreateToolRequest, ToolDraft

PARAMETERS = {"type": "object", "properties": {"query": {"type": "string"}}}


class FakeTool:
    """Answers ``content``, or raises ``raises``, after ``delay`` seconds; records its calls."""

    def __init__(
        self,
        name: str,
        content: str = "result",
        *,
        raises: BaseException | None = None,
        delay: float = 0.0,
        citations: tuple[Citation, ...] = (),
    ) -> None:
        self.definition = ToolDefinition(
            name=name, description=f"The {name} tool.", parameters=PARAMETERS
        )
        self._content, self._raises, self._delay, self._citations = (
            content,
            raises,
            delay,
            citations,
        )
        self.calls: list[tuple[Mapping[str, Any], ToolContext]] = []

    async def run(self, arguments: Mapping[str, Any], context: ToolContext) -> ToolOutcome:
        self.calls.append((arguments, context))
        if self._delay:
            await asyncio.sleep(self._delay)
        if self._raises is not None:
            raise self._raises
        return ToolOutcome(content=self._content, citations=self._citations)


class Chat:
    def __init__(
        self, container: Application, store: MemoryStore, tenant: Tenant, admin: Principal
    ):
        self.container, self.store, self.tenant, self.admin = container, store, tenant, admin
        self.fake_tools: dict[str, FakeTool] = {}
        builders = {**HANDOFF_BUILDERS, ToolKind.RAG: lambda spec: self.fake_tools[spec.name]}
        container.use_cases.tool_factory.override(providers.Object(KindToolFactory(builders)))
        self.limits(TurnLimits())

    def model(
        self,
        *steps: Step,
        then: Step | None = None,
        provider: str = "openai",
        name: str = "gpt-4o-mini",
    ) -> ScriptedChatModel:
        scripted = ScriptedChatModel(*steps, then=then)
        resolver = StaticModelResolver(scripted, provider=provider, model=name)
        self.container.use_cases.model_resolver.override(providers.Object(resolver))
        return scripted

    def limits(self, limits: TurnLimits) -> None:
        self.container.use_cases.chat_turn_core.add_kwargs(limits=limits)

    async def tool(
        self, fake: FakeTool | None = None, *, name: str = "", kind: ToolKind = ToolKind.RAG
    ) -> ToolSpec:
        if fake is not None:
            self.fake_tools[fake.definition.name] = fake
            name = fake.definition.name
        create = await resolve(self.container.use_cases.create_tool)
        return await create.execute(
            CreateToolRequest(
                principal=self.admin,
                tenant_id=None,
                draft=ToolDraft(name=name, kind=kind, description=f"{name} tool"),
            )
        )

    async def agent(
        self,
        name: str = "Helper",
        *,
        tools: tuple[ToolSpec, ...] = (),
        keywords: tuple[str, ...] = (),
        kind: AgentKind = AgentKind.DOMAIN,
        description: str = "",
    ) -> Agent:
        create = await resolve(self.container.use_cases.create_agent)
        draft = AgentDraft(
            name=name,
            kind=kind,
            description=description or f"{name} answers questions.",
            system_prompt=f"You are {name}.",
            tool_ids=tuple(t.id for t in tools),
            routing=RoutingHints(keywords=keywords),
        )
        return await create.execute(
            CreateAgentRequest(principal=self.admin, tenant_id=None, draft=draft)
        )

    async def turn(
        self, actor: Actor, message: str, session_id: str | None = None
    ) -> list[ChatEvent]:
        use_case = await resolve(self.container.use_cases.chat_turn)
        request = ChatTurnRequest(actor=actor, message=message, session_id=session_id)
        return [event async for event in use_case.execute(request)]

    async def use(self, name: str) -> Any:
        return await resolve(getattr(self.container.use_cases, name))


@pytest.fixture
async def chat(
    container: Application, store: MemoryStore, acme: Tenant, acme_admin: Principal
) -> Chat:
    return Chat(container, store, acme, acme_admin)


@pytest.fixture
def member(acme_member: Principal) -> Actor:
    return Actor.from_principal(acme_member, tenant_id="acme")
