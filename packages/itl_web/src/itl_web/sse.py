"""Server-Sent Events: an async iterator of ``(event, data)`` pairs becomes a streaming answer.

Contract of ``sse_response(events)``:

- each pair is written as ``event: <name>`` + ``data: <JSON>`` (one line; JSON escapes newlines);
- while the source is silent for ``heartbeat`` seconds, a ``: ping`` comment is written, so
  proxies and browsers keep idle streams open;
- if the source raises, one final ``error`` event carries the problem object of that error
  (the same body the JSON API would answer) plus ``retryable``; nothing else follows;
- when the stream ends for any reason (finished, failed, client gone) the source is closed
  (``aclose``), and ``on_close`` runs exactly once (release a slot, a lock, a counter), even
  when the client left before the server began iterating the body (see ``SseStream``);
- when the app drains for shutdown (``itl_web.shutdown``), a final retryable ``error`` event
  (503, "shutting down") ends the stream;
- headers ``Cache-Control: no-cache`` and ``X-Accel-Buffering: no`` (nginx must not buffer).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, Generic, TypeVar

import msgspec
from itl_core.errors import DomainError, RateLimited, UpstreamUnavailable
from litestar import Request
from litestar.response import Stream
from litestar.response.base import ASGIResponse
from litestar.types import Receive, Scope, Send

from itl_web.problems import TITLES, domain_problem
from itl_web.shutdown import current_drain, shutting_down_error

log = logging.getLogger("itl.http.sse")

T = TypeVar("T")
SseEvent = tuple[str, Mapping[str, Any]]
HEARTBEAT_SECONDS = 15.0
PING = b": ping\n\n"
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
# Frames a stream's source may run ahead of the client by: beyond them it waits for the client.
_QUEUED_FRAMES = 16


def encode_event(name: str, data: Mapping[str, Any]) -> bytes:
    return b"event: " + name.encode("ascii") + b"\ndata: " + msgspec.json.encode(data) + b"\n\n"


def error_data(exc: BaseException) -> dict[str, Any]:
    """The problem object of ``exc`` plus ``retryable``, as the final ``error`` event carries it."""
    if isinstance(exc, DomainError):
        body = dict(domain_problem(exc).content)
        retryable = (
            exc.retryable if isinstance(exc, UpstreamUnavailable) else isinstance(exc, RateLimited)
        )
    else:
        log.error("stream failed", exc_info=exc)
        body = {
            "type": "about:blank",
            "title": TITLES[500],
            "status": 500,
            "detail": "An unexpected error occurred.",
        }
        retryable = True
    body["retryable"] = retryable
    return body


async def sse_frames(
    events: AsyncIterator[SseEvent],
    *,
    heartbeat: float = HEARTBEAT_SECONDS,
    on_close: Callable[[], None] | None = None,
) -> AsyncIterator[bytes]:
    """The encoded frames of ``events`` with heartbeats and the final ``error`` (see module doc).

    One task of its own pulls the source and queues its frames (a few at most: a slow client
    holds the source back); a timer queues a ``: ping`` when nothing went out for ``heartbeat``
    seconds, and a drain of the app queues the final error. So an event costs a queue hand-over,
    not a task and a timed wait of its own, and a heartbeat never interrupts an event."""
    iterator = aiter(events)
    loop = asyncio.get_running_loop()
    frames: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=_QUEUED_FRAMES)
    state = {"sent": loop.time(), "ended": False, "draining": False}

    async def pull() -> None:
        try:
            async for name, data in iterator:
                await frames.put(encode_event(name, data))
        except Exception as exc:
            await frames.put(encode_event("error", error_data(exc)))
        state["ended"] = True
        await frames.put(None)

    def beat() -> None:
        nonlocal timer
        idle = loop.time() - state["sent"]
        if idle >= heartbeat:
            with contextlib.suppress(asyncio.QueueFull):  # full: something is about to go out
                frames.put_nowait(PING)
            idle = 0.0
        timer = loop.call_later(heartbeat - idle, beat)

    def drained(_: object) -> None:
        state["draining"] = True
        with contextlib.suppress(asyncio.QueueFull):  # full: the consumer looks soon anyway
            frames.put_nowait(None)

    drain = current_drain()  # the app is shutting down: end with a retryable error event
    stopping = drain.waiter() if drain is not None else None
    if stopping is not None:
        stopping.add_done_callback(drained)
    puller = asyncio.ensure_future(pull())
    timer = loop.call_later(heartbeat, beat)
    try:
        while True:
            frame = await frames.get()
            if state["draining"]:
                yield encode_event("error", error_data(shutting_down_error()))
                return
            if frame is None:
                if state["ended"]:
                    return
                continue
            state["sent"] = loop.time()
            yield frame
    finally:
        timer.cancel()
        if stopping is not None:
            stopping.remove_done_callback(drained)
            stopping.cancel()
        if not puller.done():
            puller.cancel()
            with contextlib.suppress(BaseException):
                await puller
        try:
            await aclose_quietly(iterator)
        finally:
            if on_close is not None:
                on_close()


class ClosingStream(Generic[T]):
    """An async generator ``gen`` whose ``aclose()`` always reaches what lies beneath it.

    Closing an async generator that never started runs none of its code, so its ``finally``
    never runs either. Layered generators (a response body over a chat turn) then leak when
    the client leaves after the handler returned but before the server began iterating the
    body: the turn stays ``pending``, a stream slot stays taken. ``aclose()`` here closes ``gen``
    and, when ``gen`` never started, awaits ``cleanup``, which must do what ``gen``'s own
    ``finally`` would have done (typically: close the layer below). Idempotent.
    """

    def __init__(
        self, gen: AsyncGenerator[T, None], cleanup: Callable[[], Awaitable[None]]
    ) -> None:
        self._gen, self._cleanup = gen, cleanup
        self._started = self._closed = False

    def __aiter__(self) -> ClosingStream[T]:
        return self

    async def __anext__(self) -> T:
        self._started = True
        return await anext(self._gen)

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self._gen.aclose()  # a started generator runs its own finally here
        if not self._started:
            await self._cleanup()


async def aclose_quietly(iterator: AsyncIterator[Any]) -> None:
    """``iterator.aclose()`` if it has one; an error is logged, not raised: the caller is
    itself cleaning up and must go on (release a slot, end the response)."""
    aclose = getattr(iterator, "aclose", None)
    if aclose is not None:
        try:
            await aclose()
        except Exception:
            log.exception("closing a stream's source failed")


def sse_body(
    events: AsyncIterator[SseEvent],
    *,
    heartbeat: float = HEARTBEAT_SECONDS,
    on_close: Callable[[], None] | None = None,
) -> ClosingStream[bytes]:
    """``sse_frames`` whose cleanup (close ``events``, ``on_close``) runs even if never started."""

    async def cleanup() -> None:
        try:
            await aclose_quietly(events)
        finally:
            if on_close is not None:
                on_close()

    return ClosingStream(sse_frames(events, heartbeat=heartbeat, on_close=on_close), cleanup)


class SseStream(Stream):
    """A ``Stream`` of an ``sse_body`` that is closed when the response ends, however it ends:
    iterated to the end, cut by a disconnect (before or during the body), or failed to send."""

    def __init__(self, body: ClosingStream[bytes], *, headers: Mapping[str, str]) -> None:
        super().__init__(body, media_type="text/event-stream", headers=dict(headers))
        self._body = body

    def to_asgi_response(  # type: ignore[override] - same parameters, passed through
        self, app: Any, request: Request[Any, Any, Any], **kwargs: Any
    ) -> ASGIResponse:
        return _Closing(super().to_asgi_response(app, request, **kwargs), self._body)  # type: ignore[return-value]


class _Closing:
    """An ASGI response that closes ``body`` after ``inner`` ran (or failed, or was cancelled)."""

    def __init__(self, inner: ASGIResponse, body: ClosingStream[bytes]) -> None:
        self._inner, self._body = inner, body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self._inner(scope, receive, send)
        finally:
            # Shielded: a cancelled request still settles its turn and releases its slot.
            await asyncio.shield(self._body.aclose())


def sse_response(
    events: AsyncIterator[SseEvent],
    *,
    heartbeat: float = HEARTBEAT_SECONDS,
    on_close: Callable[[], None] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Stream:
    return SseStream(
        sse_body(events, heartbeat=heartbeat, on_close=on_close),
        headers={**SSE_HEADERS, **(headers or {})},
    )
