"""Spans of a chat turn, its model calls and its tool runs: decorators of the core's ports.

Imported only when tracing is on (``itl_adapters.observability.tracing``). Attributes are ids,
names, kinds, counts and outcomes (``itl.*`` and the ``gen_ai.*`` semantic conventions); never
message text, prompts, tool arguments or results. A failure sets the span's status to ERROR
with the error's class name only (provider errors can quote the request).

The turn is an async generator its consumer (an SSE response) pulls from; its span is made the
current one only while the turn itself runs (each ``anext``), so the spans the turn starts
(model calls, tool runs, SQL statements) are its children and nothing leaks into the consumer.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import AsyncIterator, Mapping
from typing import Any

from itl_core.agents.model import Agent
from itl_core.chat.events import ChatEvent, Done, Failed, Routed, SessionStarted
from itl_core.chat.turn import ChatTurn, ChatTurnRequest
from itl_core.llm.model import (
    ChatRequest,
    ChatResponse,
    Finished,
    StreamEvent,
    TextDelta,
    ToolDefinition,
    Usage,
)
from itl_core.llm.ports import ChatModel, ChatModelResolver, ResolvedModel
from itl_core.tools.model import ToolSpec
from itl_core.tools.ports import Tool, ToolContext, ToolFactory, ToolOutcome
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer

from itl_adapters.observability.tracing import TENANT_ATTRIBUTE

__all__ = ["TracedChatTurn", "TracedModelResolver", "TracedToolFactory"]


def _failed(span: Span, error: BaseException) -> None:
    span.set_status(Status(StatusCode.ERROR, type(error).__name__))
    span.set_attribute("error.type", type(error).__name__)


class TracedChatTurn:
    """``ChatTurn.execute`` as a ``chat.turn`` span (see the module docstring)."""

    def __init__(self, inner: ChatTurn, tracer: Tracer) -> None:
        self._inner, self._tracer = inner, tracer

    async def execute(self, request: ChatTurnRequest) -> AsyncIterator[ChatEvent]:
        span = self._tracer.start_span(
            "chat.turn", attributes={TENANT_ATTRIBUTE: request.actor.tenant_id}
        )
        current = trace.set_span_in_context(span)
        events = self._inner.execute(request)
        try:
            while True:
                token = otel_context.attach(current)
                try:
                    event = await anext(events)
                except StopAsyncIteration:
                    break
                finally:
                    otel_context.detach(token)
                _annotate(span, event)
                yield event
        except Exception as error:
            _failed(span, error)
            raise
        finally:
            token = otel_context.attach(current)
            try:
                await events.aclose()  # type: ignore[attr-defined]
            finally:
                otel_context.detach(token)
                span.end()


def _annotate(span: Span, event: ChatEvent) -> None:
    match event:
        case SessionStarted():
            span.set_attribute("itl.session_id", event.session_id)
        case Routed():
            span.set_attributes(
                {
                    "itl.agent_id": event.agent_id,
                    "itl.routing.method": event.method,
                    "itl.routing.confidence": event.confidence,
                }
            )
        case Done():
            metadata = event.result.metadata
            usage: Mapping[str, Any] = metadata.get("usage") or {}
            attributes = {
                "gen_ai.system": metadata.get("provider"),
                "gen_ai.request.model": metadata.get("model"),
                "gen_ai.usage.input_tokens": usage.get("input_tokens"),
                "gen_ai.usage.output_tokens": usage.get("output_tokens"),
                "itl.tool_calls": len(metadata.get("tools") or ()),
            }
            span.set_attributes({k: v for k, v in attributes.items() if v is not None})
        case Failed():
            _failed(span, event.error)
            span.set_attribute("itl.retryable", event.retryable)


class TracedModelResolver:
    """A ``ChatModelResolver`` whose models report each call as a ``model.call`` span."""

    def __init__(self, inner: ChatModelResolver, tracer: Tracer) -> None:
        self._inner, self._tracer = inner, tracer

    async def for_agent(self, tenant_id: str, agent: Agent) -> ResolvedModel:
        resolved = await self._inner.for_agent(tenant_id, agent)
        attributes = {
            TENANT_ATTRIBUTE: tenant_id,
            "itl.agent_id": agent.id,
            "gen_ai.operation.name": "chat",
            "gen_ai.system": resolved.provider,
            "gen_ai.request.model": resolved.model,
        }
        model = _TracedChatModel(resolved.chat_model, self._tracer, attributes)
        return dataclasses.replace(resolved, chat_model=model)


class _TracedChatModel:
    def __init__(self, inner: ChatModel, tracer: Tracer, attributes: Mapping[str, Any]) -> None:
        self._inner, self._tracer, self._attributes = inner, tracer, attributes

    def _start(self, streamed: bool) -> Span:
        span = self._tracer.start_span(
            "model.call", kind=SpanKind.CLIENT, attributes=self._attributes
        )
        span.set_attribute("itl.model.streamed", streamed)
        return span

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        span = self._start(streamed=True)
        started, first_token = time.monotonic(), True
        events = self._inner.stream(request)
        try:
            async for event in events:
                if isinstance(event, TextDelta) and first_token:
                    first_token = False
                    span.set_attribute(
                        "itl.model.ttft_ms", round((time.monotonic() - started) * 1000)
                    )
                elif isinstance(event, Usage):
                    _usage(span, event)
                elif isinstance(event, Finished):
                    span.set_attribute("gen_ai.response.finish_reasons", [event.reason.value])
                yield event
        except Exception as error:
            _failed(span, error)
            raise
        finally:
            await events.aclose()  # type: ignore[attr-defined]
            span.end()

    async def complete(self, request: ChatRequest) -> ChatResponse:
        span = self._start(streamed=False)
        try:
            response = await self._inner.complete(request)
        except Exception as error:
            _failed(span, error)
            raise
        finally:
            span.end()
        if response.usage is not None:
            _usage(span, response.usage)
        return response


def _usage(span: Span, usage: Usage) -> None:
    span.set_attributes(
        {
            "gen_ai.usage.input_tokens": usage.input_tokens,
            "gen_ai.usage.output_tokens": usage.output_tokens,
        }
    )


class TracedToolFactory:
    """A ``ToolFactory`` whose tools report each run as a ``tool.call`` span."""

    def __init__(self, inner: ToolFactory, tracer: Tracer) -> None:
        self._inner, self._tracer = inner, tracer

    def build(self, spec: ToolSpec) -> Tool:
        return _TracedTool(self._inner.build(spec), self._tracer, spec.kind.value)


class _TracedTool:
    def __init__(self, inner: Tool, tracer: Tracer, kind: str) -> None:
        self._inner, self._tracer, self._kind = inner, tracer, kind

    @property
    def definition(self) -> ToolDefinition:
        return self._inner.definition

    async def run(self, arguments: Mapping[str, Any], context: ToolContext) -> ToolOutcome:
        attributes = {
            TENANT_ATTRIBUTE: context.tenant_id,
            "itl.session_id": context.session_id,
            "itl.agent_id": context.agent_id,
            "itl.tool.name": self._inner.definition.name,
            "itl.tool.kind": self._kind,
        }
        with self._tracer.start_as_current_span(
            "tool.call",
            attributes=attributes,
            record_exception=False,  # an exception's message may quote the arguments
            set_status_on_exception=False,
        ) as span:
            try:
                outcome = await self._inner.run(arguments, context)
            except Exception as error:
                _failed(span, error)
                raise
            span.set_attribute("itl.tool.ok", not outcome.is_error)
            if outcome.is_error:
                span.set_status(Status(StatusCode.ERROR, "tool failed"))
            return outcome
