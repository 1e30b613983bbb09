"""In-memory ``IdempotencyStore`` with the contract of ``itl_adapters.redis.idempotency``.

Expiry follows the injected clock. Each method runs without awaiting, so on one event loop a
``begin`` is as atomic as the Redis script.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from itl_core.clock import Clock
from itl_core.idempotency import Begin, BeginOutcome, StoredResponse

__all__ = ["InMemoryIdempotencyStore"]


@dataclass(slots=True)
class _Entry:
    fingerprint: str
    lease: str
    expires_at: datetime
    response: StoredResponse | None = None


class InMemoryIdempotencyStore:
    def __init__(
        self, clock: Clock, *, lease_seconds: float = 120.0, ttl_seconds: float = 24 * 3600.0
    ) -> None:
        self._clock = clock
        self._lease = timedelta(seconds=lease_seconds)
        self._ttl = timedelta(seconds=ttl_seconds)
        self._entries: dict[tuple[str, str], _Entry] = {}

    def _live(self, slot: tuple[str, str]) -> _Entry | None:
        entry = self._entries.get(slot)
        if entry is not None and entry.expires_at <= self._clock.now():
            del self._entries[slot]
            return None
        return entry

    async def begin(self, scope: str, key: str, fingerprint: str) -> Begin:
        entry = self._live((scope, key))
        if entry is None:
            lease = uuid.uuid4().hex
            self._entries[(scope, key)] = _Entry(
                fingerprint, lease, self._clock.now() + self._lease
            )
            return Begin(outcome=BeginOutcome.NEW, lease=lease)
        if entry.fingerprint != fingerprint:
            return Begin(outcome=BeginOutcome.MISMATCH)
        if entry.response is None:
            return Begin(outcome=BeginOutcome.IN_FLIGHT)
        return Begin(outcome=BeginOutcome.REPLAY, response=entry.response)

    async def complete(self, scope: str, key: str, lease: str, response: StoredResponse) -> None:
        entry = self._live((scope, key))
        if entry is not None and entry.lease == lease:
            entry.response = response
            entry.expires_at = self._clock.now() + self._ttl

    async def release(self, scope: str, key: str, lease: str) -> None:
        entry = self._live((scope, key))
        if entry is not None and entry.lease == lease and entry.response is None:
            del self._entries[(scope, key)]
