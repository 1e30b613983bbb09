"""Idempotent writes: the first response to a key is kept and replayed to its repeats.

A client sends a write with an ``Idempotency-Key``; the edge derives a ``scope`` (tenant and
user, so keys never collide across callers) and a ``fingerprint`` of the request (method, path,
body) and asks the store to ``begin``:

- ``NEW``      the key was free: this caller holds a lease and runs the write, then calls
               ``complete`` with the response, or ``release`` if it failed (so a retry may run);
- ``REPLAY``   a write with the same key and fingerprint finished: answer its ``response``;
- ``IN_FLIGHT`` the same request is still running elsewhere (409);
- ``MISMATCH`` the key was used for a different request (422).

A lease expires after ``lease_seconds`` (a crashed writer must not block its key for ever); a
completed response is kept ``ttl_seconds``. ``complete``/``release`` with a lease that is no
longer current change nothing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol


class BeginOutcome(enum.StrEnum):
    NEW = "new"
    REPLAY = "replay"
    IN_FLIGHT = "in_flight"
    MISMATCH = "mismatch"


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredResponse:
    """The response a repeat receives: status, the headers that matter, and the body bytes."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""


@dataclass(frozen=True, slots=True, kw_only=True)
class Begin:
    """``lease`` is set for ``NEW``; ``response`` for ``REPLAY``."""

    outcome: BeginOutcome
    lease: str | None = None
    response: StoredResponse | None = None


class IdempotencyStore(Protocol):
    """Claims keys atomically (one ``NEW`` per key until released or expired) and keeps responses;
    raises ``UpstreamUnavailable`` when its backend is down."""

    async def begin(self, scope: str, key: str, fingerprint: str) -> Begin: ...

    async def complete(
        self, scope: str, key: str, lease: str, response: StoredResponse
    ) -> None: ...

    async def release(self, scope: str, key: str, lease: str) -> None: ...
