"""``POST /api/{tenant_id}/chat``: a signed-in user's chat turn, answered as JSON or as SSE.

Contract (API.md, "Chat"):

- the path's tenant must be the token's (else 404, like a missing tenant); the user is the
  token's subject;
- errors found before the turn starts (a bad message, someone else's or a closed session, no
  agent) answer a plain problem+json 4xx, never a stream;
- JSON: the ``ChatResult``; a provider failure is a 502/503 problem carrying ``retryable``;
- SSE (``Accept: text/event-stream`` or ``"stream": true``): ``session``, ``routing``, the
  turn's ``token`` / ``tool_call`` / ``tool_result`` / ``citation`` events one frame each, then
  one ``done`` or ``error`` (``itl_web.sse``: ``: ping`` heartbeats, no proxy buffering); a
  client that goes away closes the turn, whose answer is kept as ``interrupted``;
- ``Idempotency-Key``: a repeat replays the final JSON answer (a streamed turn included); the
  key is released when the turn fails or the client leaves, so the client may try again.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass
from typing import Any

import msgspec
from dependency_injector import providers
from itl_core.access import Principal
from itl_core.chat.actor import Actor
from itl_core.chat.events import ChatEvent, collect_result
from itl_core.chat.turn import ChatTurnRequest
from itl_core.idempotency import IdempotencyStore
from itl_web.chat_sse import ChatTurns, chat_sse, primed, wants_stream
from itl_web.di import resolve
from itl_web.idempotency import Attempt, Idempotency, principal_scope
from itl_web.sse import ClosingStream, SseEvent, sse_response
from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody

from http_api.dto.chat import ChatIn


@dataclass(frozen=True, slots=True)
class ChatDependencies:
    """What the chat route needs, as its one dependency (``chat_dependency``): Litestar
    resolves several dependencies of a handler concurrently, in a task group of their own,
    which cost the hottest route 0.1 ms per turn."""

    principal: Principal
    turns: ChatTurns
    idempotency: Idempotency


def chat_dependency(
    turns: providers.Provider[ChatTurns], store: providers.Provider[IdempotencyStore]
) -> Provide:
    """The ``chat`` dependency; ``principal`` (a dependency of its own) is resolved first."""

    async def chat(principal: NamedDependency[Principal]) -> ChatDependencies:
        return ChatDependencies(
            principal=principal,
            turns=await resolve(turns),
            idempotency=Idempotency(await resolve(store)),
        )

    return Provide(chat)


class ChatController(Controller):
    path = "/api/{tenant_id:str}"
    tags = ["chat"]
    security = [{"BearerToken": []}]

    @post("/chat", operation_id="chat", status_code=200, opt={"rate_class": "chat"})
    async def chat(
        self,
        request: Request[Any, Any, Any],
        tenant_id: FromPath[str],
        data: JSONBody[ChatIn],
        chat: NamedDependency[ChatDependencies],
    ) -> Response[Any]:
        """One turn; JSON, or Server-Sent Events on ``Accept: text/event-stream`` /
        ``"stream": true``. Accepts ``Idempotency-Key`` (a repeat gets the final JSON)."""
        principal, chat_turn, idempotency = chat.principal, chat.turns, chat.idempotency
        actor = Actor.from_principal(principal, tenant_id)
        attempt = await idempotency.start(request, principal_scope(principal))
        if attempt.replay is not None:
            return attempt.replay
        turn = ChatTurnRequest(actor=actor, message=data.message, session_id=data.session_id)
        try:
            events = await primed(chat_turn.execute(turn))
        except BaseException:
            await attempt.release()
            raise
        if wants_stream(request, data.stream):
            return sse_response(_keeping_done(chat_sse(events), attempt))
        return await _json_answer(events, attempt)


async def _json_answer(events: AsyncIterator[ChatEvent], attempt: Attempt) -> Response[bytes]:
    try:
        result = await collect_result(events)
    except BaseException:
        await attempt.release()
        raise
    finally:
        await events.aclose()  # type: ignore[attr-defined]
    body = msgspec.json.encode(result.as_dict())
    await attempt.complete(200, body)
    return Response(content=body, media_type="application/json")


def _keeping_done(events: AsyncIterator[SseEvent], attempt: Attempt) -> AsyncIterator[SseEvent]:
    """``events``; the ``done`` payload is kept as the key's replay before it goes out, and any
    other end (an ``error`` event, a client gone, even before the body started) releases the
    key."""
    kept = False

    async def keeping() -> AsyncGenerator[SseEvent, None]:
        nonlocal kept
        try:
            async for name, data in events:
                if name == "done":
                    await attempt.complete(200, msgspec.json.encode(data))
                    kept = True
                yield name, data
        finally:
            await release()

    async def release() -> None:
        try:
            if not kept:
                await asyncio.shield(attempt.release())
        finally:
            await events.aclose()  # type: ignore[attr-defined]

    return ClosingStream(keeping(), release)
