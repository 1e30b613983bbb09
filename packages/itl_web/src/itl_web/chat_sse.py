"""The chat turn's events on the wire: ``ChatEvent`` -> the SSE events of API.md.

Shared by the private chat route and the widget's public one, so both speak exactly the same
stream: ``session``, ``routing``, ``token`` / ``tool_call`` / ``tool_result`` / ``citation``,
then one ``done`` (the JSON answer) or ``error`` (a problem object plus ``retryable``).

``primed(events)`` pulls the first event before a response is chosen: ``ChatTurn`` raises its
request errors (bad message, someone else's session, no agent) there, so they still answer as
a plain 4xx problem instead of an ``error`` event inside a 200 stream.

``wants_stream(request, stream)``: API.md's rule for choosing SSE (``Accept: text/event-stream``
or the body's ``"stream": true``). ``ChatTurns``: what a chat route asks the container for
(``ChatTurn`` or a decorator of it, such as the metrics one).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from functools import partial
from typing import Any, Protocol, TypeVar, runtime_checkable

from itl_core.chat.events import (
    ChatEvent,
    Cited,
    Done,
    Failed,
    Routed,
    SessionStarted,
    Token,
    ToolCalled,
    ToolReturned,
)
from itl_core.chat.turn import ChatTurnRequest
from litestar import Request

from itl_web.sse import ClosingStream, SseEvent, aclose_quietly, error_data

T = TypeVar("T")


@runtime_checkable  # Litestar checks a dependency against its annotation with isinstance
class ChatTurns(Protocol):
    def execute(self, request: ChatTurnRequest) -> AsyncIterator[ChatEvent]: ...


def wants_stream(request: Request[Any, Any, Any], stream: bool) -> bool:
    return stream or "text/event-stream" in request.headers.get("accept", "")


def event_data(event: ChatEvent) -> dict[str, Any]:
    match event:
        case SessionStarted():
            return {"session_id": event.session_id, "message_id": event.message_id}
        case Routed():
            return {
                "agent": event.agent_name,
                "agent_id": event.agent_id,
                "method": event.method,
                "confidence": event.confidence,
            }
        case Token():
            return {"text": event.text}
        case ToolCalled():
            return {"id": event.id, "name": event.name, "arguments": dict(event.arguments)}
        case ToolReturned():
            return {
                "id": event.id,
                "name": event.name,
                "ok": event.ok,
                "latency_ms": event.latency_ms,
            }
        case Cited():
            c = event.citation
            return {"document_id": c.document_id, "title": c.title, "chunk_id": c.chunk_id}
        case Done():
            return event.result.as_dict()
        case Failed():
            return {**error_data(event.error), "retryable": event.retryable}
    raise TypeError(f"not a chat event: {event!r}")


def chat_sse(events: AsyncIterator[ChatEvent]) -> AsyncIterator[SseEvent]:
    """Each chat event as ``(name, data)``; the stream ends after ``done`` or ``error``.
    Closing the result closes ``events``, started or not (``ClosingStream``)."""

    async def relay() -> AsyncGenerator[SseEvent, None]:
        try:
            async for event in events:
                yield event.event, event_data(event)
                if isinstance(event, Done | Failed):
                    return
        finally:
            await events.aclose()  # type: ignore[attr-defined]

    return ClosingStream(relay(), partial(aclose_quietly, events))


async def primed(events: AsyncIterator[T]) -> AsyncIterator[T]:
    """``events`` with its first item already pulled (its errors raise here, see module doc).
    Closing the result closes ``events``, even before the first item was replayed."""
    first = await anext(events)

    async def replay() -> AsyncGenerator[T, None]:
        try:
            yield first
            async for item in events:
                yield item
        finally:
            aclose = getattr(events, "aclose", None)
            if aclose is not None:
                await aclose()

    return ClosingStream(replay(), partial(aclose_quietly, events))
