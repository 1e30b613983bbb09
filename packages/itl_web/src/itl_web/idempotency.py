"""``Idempotency-Key`` for writes (API.md Conventions), on top of ``itl_core.idempotency``.

A handler asks for the ``idempotency`` dependency and wraps its work::

    return await idempotency.respond(request, principal_scope(principal), produce, status_code=201)

``produce`` is awaited only when the request is new; its result is encoded as JSON, kept, and
returned. A repeat with the same key and the same request (method, path, query, body) gets the
kept status and body back, with ``Idempotent-Replayed: true``; a repeat while the first still
runs is a 409 problem; the key reused for another request is a 422 problem. If ``produce``
raises, the key is released, so the client may retry (a domain error answers the same again).
A request without the header runs as usual.

Handlers that answer in another shape (the chat stream) use the steps directly::

    attempt = await idempotency.start(request, scope)
    if attempt.replay is not None:
        return attempt.replay                     # the kept final JSON, even for a stream
    try:
        ... stream events; build the final JSON answer ...
    except BaseException:
        await attempt.release()
        raise
    await attempt.complete(200, final_json_bytes)  # what a repeat will receive

For a streamed answer the kept response is the final JSON (the ``done`` payload), so a repeat
gets ``application/json`` rather than a second stream. When the store is down, writes run
without idempotency (logged), as chat must keep working without Redis.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import msgspec
from dependency_injector import providers
from itl_core.access import Principal
from itl_core.errors import Conflict, UpstreamUnavailable, ValidationFailed
from itl_core.idempotency import BeginOutcome, IdempotencyStore, StoredResponse
from litestar import Request, Response
from litestar.di import Provide

from itl_web.di import resolve

__all__ = ["HEADER", "Attempt", "Idempotency", "idempotency_dependency", "principal_scope"]

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
JSON = "application/json"


def principal_scope(principal: Principal) -> str:
    """Keys are per tenant and per user: one caller's key never meets another's."""
    return f"t:{principal.tenant_id or '-'}:u:{principal.user_id}"


def _fingerprint(request: Request[Any, Any, Any], body: bytes) -> str:
    query = "&".join(sorted(f"{k}={v}" for k, v in request.query_params.multi_items()))
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.url.path.encode(), query.encode(), body):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def _key(request: Request[Any, Any, Any]) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not all(" " <= ch <= "~" for ch in key):
        raise ValidationFailed.single(
            HEADER, f"must be 1 to {MAX_KEY_LENGTH} printable ASCII characters"
        )
    return key


def _replayed(stored: StoredResponse) -> Response[bytes]:
    headers = dict(stored.headers)
    media_type = headers.pop("content-type", JSON)
    return Response(
        content=stored.body,
        status_code=stored.status,
        media_type=media_type,
        headers={**headers, "Idempotent-Replayed": "true"},
    )


@dataclass(slots=True)
class Attempt:
    """One write's hold on its key; without a key (or a store) every step is a no-op."""

    store: IdempotencyStore | None = None
    scope: str = ""
    key: str = ""
    lease: str | None = None
    replay: Response[bytes] | None = None

    async def complete(self, status: int, body: bytes, media_type: str = JSON) -> None:
        if self.store is None or self.lease is None:
            return
        stored = StoredResponse(status=status, headers=(("content-type", media_type),), body=body)
        try:
            await self.store.complete(self.scope, self.key, self.lease, stored)
        except UpstreamUnavailable as error:  # the write happened; only its replay is lost
            log.warning("idempotency store unavailable on complete (%s)", type(error).__name__)

    async def release(self) -> None:
        if self.store is None or self.lease is None:
            return
        try:
            await self.store.release(self.scope, self.key, self.lease)
        except UpstreamUnavailable as error:  # the lease expires on its own
            log.warning("idempotency store unavailable on release (%s)", type(error).__name__)


class Idempotency:
    def __init__(self, store: IdempotencyStore) -> None:
        self._store = store

    async def start(self, request: Request[Any, Any, Any], scope: str) -> Attempt:
        """Claim the request's key: a fresh ``Attempt``, one carrying ``replay``, or raise
        ``Conflict`` (in flight) / ``ValidationFailed`` (the key was used for another request)."""
        key = _key(request)
        if key is None:
            return Attempt()
        fingerprint = _fingerprint(request, await request.body())
        try:
            begun = await self._store.begin(scope, key, fingerprint)
        except UpstreamUnavailable as error:
            log.warning("idempotency store unavailable (%s); running without", type(error).__name__)
            return Attempt()
        if begun.outcome is BeginOutcome.MISMATCH:
            raise ValidationFailed.single(HEADER, "was already used for a different request")
        if begun.outcome is BeginOutcome.IN_FLIGHT:
            raise Conflict("A request with this Idempotency-Key is still being processed.")
        if begun.outcome is BeginOutcome.REPLAY:
            assert begun.response is not None
            return Attempt(replay=_replayed(begun.response))
        return Attempt(store=self._store, scope=scope, key=key, lease=begun.lease)

    async def respond(
        self,
        request: Request[Any, Any, Any],
        scope: str,
        produce: Callable[[], Awaitable[Any]],
        *,
        status_code: int = 200,
    ) -> Response[bytes]:
        """Run ``produce`` once per key and answer its JSON-encoded result (or the kept one)."""
        attempt = await self.start(request, scope)
        if attempt.replay is not None:
            return attempt.replay
        try:
            body = msgspec.json.encode(await produce())
        except BaseException:
            await attempt.release()
            raise
        await attempt.complete(status_code, body)
        return Response(content=body, status_code=status_code, media_type=JSON)


def idempotency_dependency(store_provider: providers.Provider[IdempotencyStore]) -> Provide:
    """The ``idempotency`` dependency of handlers that accept ``Idempotency-Key``."""

    async def idempotency() -> Idempotency:
        return Idempotency(await resolve(store_provider))

    return Provide(idempotency)
