"""The span decorators' failure paths: an ERROR status named by the error's class, never its
message or the data it carried (the happy path runs over the real stack in
tests/integration/operability/test_tracing.py)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import pytest
from itl_adapters.memory.llm import ScriptedChatModel, text_step
from itl_adapters.observability.spans import TracedModelResolver, TracedToolFactory
from itl_adapters.observability.tracing import Tracing, start_tracing
from itl_core.agents.model import Agent, AgentKind
from itl_core.errors import ProviderFailed
from itl_core.llm.model import ChatMessage, ChatRequest, Role, ToolDefinition
from itl_core.llm.ports import ResolvedModel
from itl_core.tools.model import ToolKind, ToolSpec
from itl_core.tools.ports import Tool, ToolContext, ToolOutcome
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

SECRET = "the customer's words 4242"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def traced() -> Iterator[tuple[Tracing, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    tracing = start_tracing(exporter=exporter)
    yield tracing, exporter
    tracing.shutdown()


class _Resolver:
    def __init__(self, model: Any) -> None:
        self._model = model

    async def for_agent(self, tenant_id: str, agent: Agent) -> ResolvedModel:
        return ResolvedModel(chat_model=self._model, provider="openai", model="gpt-test")


class _Tool:
    def __init__(self, outcome: ToolOutcome | Exception) -> None:
        self._outcome = outcome

    @property
    def definition(self) -> ToolDefinition:
        return ToolDefinition(name="lookup", description="Looks up")

    async def run(self, arguments: Mapping[str, Any], context: ToolContext) -> ToolOutcome:
        if isinstance(self._outcome, Exception):
            raise self._outcome
        return self._outcome


class _Factory:
    def __init__(self, tool: Tool) -> None:
        self._tool = tool

    def build(self, spec: ToolSpec) -> Tool:
        return self._tool


AGENT = Agent(
    id="agent-1",
    tenant_id="acme",
    name="Helper",
    kind=AgentKind.DOMAIN,
    created_at=NOW,
    updated_at=NOW,
)
SPEC = ToolSpec(
    id="tool-1",
    tenant_id="acme",
    name="lookup",
    kind=ToolKind.HTTP,
    created_at=NOW,
    updated_at=NOW,
)
CONTEXT = ToolContext(tenant_id="acme", session_id="session-1", agent_id="agent-1")
REQUEST = ChatRequest(model="gpt-test", messages=(ChatMessage(role=Role.USER, content=SECRET),))


def attribute_text(exporter: InMemorySpanExporter) -> str:
    spans = exporter.get_finished_spans()
    return " ".join(
        str(v)
        for s in spans
        for v in [*s.attributes.values(), s.status.description or "", *[e.name for e in s.events]]
    )


async def test_a_failing_model_call_is_an_error_span_without_the_error_text(
    traced: tuple[Tracing, InMemorySpanExporter],
) -> None:
    tracing, exporter = traced
    failing = ScriptedChatModel([*text_step("Hi")[:1], ProviderFailed(f"echo: {SECRET}")])
    resolver = TracedModelResolver(_Resolver(failing), tracing.tracer)
    model = (await resolver.for_agent("acme", AGENT)).chat_model
    with pytest.raises(ProviderFailed):
        async for _ in model.stream(REQUEST):
            pass
    (span,) = exporter.get_finished_spans()
    assert span.name == "model.call" and span.status.status_code is StatusCode.ERROR
    assert span.status.description == "ProviderFailed"
    assert span.attributes["itl.tenant_id"] == "acme"
    assert span.attributes["gen_ai.system"] == "openai"
    assert "itl.model.ttft_ms" in span.attributes  # the first token came before the failure
    assert SECRET not in attribute_text(exporter)


async def test_a_model_stream_closed_early_still_ends_its_span(
    traced: tuple[Tracing, InMemorySpanExporter],
) -> None:
    tracing, exporter = traced
    resolver = TracedModelResolver(_Resolver(ScriptedChatModel(text_step("a b c"))), tracing.tracer)
    model = (await resolver.for_agent("acme", AGENT)).chat_model
    stream = model.stream(REQUEST)
    await anext(stream)
    await stream.aclose()  # type: ignore[attr-defined]
    (span,) = exporter.get_finished_spans()
    assert span.status.status_code is StatusCode.UNSET


@pytest.mark.parametrize(
    ("outcome", "ok"),
    [
        (ToolOutcome(content=f"found {SECRET}"), True),
        (ToolOutcome(content=f"failed for {SECRET}", is_error=True), False),
    ],
)
async def test_a_tool_run_reports_its_outcome_not_its_content(
    traced: tuple[Tracing, InMemorySpanExporter], outcome: ToolOutcome, ok: bool
) -> None:
    tracing, exporter = traced
    tool = TracedToolFactory(_Factory(_Tool(outcome)), tracing.tracer).build(SPEC)
    assert tool.definition.name == "lookup"
    assert await tool.run({"query": SECRET}, CONTEXT) is outcome
    (span,) = exporter.get_finished_spans()
    assert span.attributes["itl.tool.ok"] is ok
    assert span.attributes["itl.tool.kind"] == "http"
    assert span.attributes["itl.tenant_id"] == "acme"
    assert (span.status.status_code is StatusCode.ERROR) is not ok
    assert SECRET not in attribute_text(exporter)


async def test_a_tool_that_raises_is_an_error_span_without_the_message(
    traced: tuple[Tracing, InMemorySpanExporter],
) -> None:
    tracing, exporter = traced
    tool = TracedToolFactory(_Factory(_Tool(RuntimeError(SECRET))), tracing.tracer).build(SPEC)
    with pytest.raises(RuntimeError):
        await tool.run({}, CONTEXT)
    (span,) = exporter.get_finished_spans()
    assert span.status.description == "RuntimeError" and span.events == ()
    assert SECRET not in attribute_text(exporter)
