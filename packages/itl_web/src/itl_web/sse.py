"""Server-Sent Events: an async iterator of ``(event, data)`` pairs becomes a streaming answer.

Contract of ``sse_response(events)``:

- each pair is written as ``event: <name>`` + ``data: <JSON>`` (one line; JSON escapes newlines);
- while the source is silent for ``heartbeat`` seconds, a ``: ping`` comment is written, so
  proxies and browsers keep idle streams open;
- if the source raises, one final ``error`` event carries the problem object of that error
  (the same body the JSON API would answer) plus ``retryable``; nothing else follows;
- when the stream ends for any reason (finished, failed, client gone) the source is closed
  (``aclose``), and ``on_close`` runs exactly once (release a slot, a lock, a counter);
- when the app drains for shutdown (``itl_web.shutdown``), a final retryable ``error`` event
  (503, "shutting down") ends the stream;
- headers ``Cache-Control: no-cache`` and ``X-Accel-Buffering: no`` (nginx must not buffer).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import msgspec
from itl_core.errors import DomainError, RateLimited, UpstreamUnavailable
from litestar.response import Stream

from itl_web.problems import TITLES, domain_problem
from itl_web.shutdown import current_drain, shutting_down_error

log = logging.getLogger("itl.http.sse")

SseEvent = tuple[str, Mapping[str, Any]]
HEARTBEAT_SECONDS = 15.0
PING = b": ping\n\n"
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


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
    """The encoded frames of ``events`` with heartbeats and the final ``error`` (see module doc)."""
    iterator = aiter(events)
    pending: asyncio.Future[SseEvent] | None = None
    drain = current_drain()  # the app is shutting down: end with a retryable error event
    stopping = drain.waiter() if drain is not None else None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(anext(iterator))
            # wait(), not wait_for(): a heartbeat must not cancel the event being produced.
            waiting = {pending} if stopping is None else {pending, stopping}
            done, _ = await asyncio.wait(
                waiting, timeout=heartbeat, return_when=asyncio.FIRST_COMPLETED
            )
            if stopping is not None and stopping.done():
                yield encode_event("error", error_data(shutting_down_error()))
                return
            if not done:
                yield PING
                continue
            step, pending = pending, None
            try:
                name, data = step.result()
            except StopAsyncIteration:
                return
            except Exception as exc:
                yield encode_event("error", error_data(exc))
                return
            yield encode_event(name, data)
    finally:
        if stopping is not None:
            stopping.cancel()
        if pending is not None and not pending.done():
            pending.cancel()
            with contextlib.suppress(BaseException):
                await pending
        aclose = getattr(iterator, "aclose", None)
        if aclose is not None:
            with contextlib.suppress(Exception):
                await aclose()
        if on_close is not None:
            on_close()


def sse_response(
    events: AsyncIterator[SseEvent],
    *,
    heartbeat: float = HEARTBEAT_SECONDS,
    on_close: Callable[[], None] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Stream:
    return Stream(
        sse_frames(events, heartbeat=heartbeat, on_close=on_close),
        media_type="text/event-stream",
        headers={**SSE_HEADERS, **(headers or {})},
    )
