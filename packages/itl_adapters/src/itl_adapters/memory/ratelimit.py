"""In-process rate limiter with the exact semantics of ``RedisRateLimiter``.

Also usable as the local fallback when Redis is down (chat fails open onto it, see SECURITY.md).
The algorithm is described in ``itl_adapters._ratelimit``.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Sequence

from itl_core.clock import Clock
from itl_core.ratelimit import Decision, Limit

from itl_adapters._ratelimit import LimitState, check_limits, decide, period_ms

__all__ = ["InMemoryRateLimiter"]

_SWEEP_EVERY_MS = 60_000


class InMemoryRateLimiter:
    """``RateLimiter`` over per-(key, period) sorted lists of admitted event times (ms)."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._events: dict[tuple[str, int], list[int]] = {}
        # hit() never awaits, so it is atomic within one event loop; the lock also covers
        # callers on other threads (e.g. a sync test client running its own loop).
        self._lock = threading.Lock()
        self._next_sweep = 0

    async def hit(self, limits: Sequence[Limit]) -> Decision:
        check_limits(limits)
        now = round(self._clock.now().timestamp() * 1000)
        with self._lock:
            self._sweep(now)
            windows = [(limit, period_ms(limit)) for limit in limits]
            counts = [self._prune((limit.key, period), now) for limit, period in windows]
            allowed = all(
                count < limit.limit for (limit, _), count in zip(windows, counts, strict=True)
            )
            if allowed:
                for slot in {(limit.key, period) for limit, period in windows}:
                    bisect.insort(self._events.setdefault(slot, []), now)
            states = [
                self._state(limit, period, count, allowed, now)
                for (limit, period), count in zip(windows, counts, strict=True)
            ]
        return decide(allowed, states)

    def _sweep(self, now: int) -> None:
        # Keys that are never hit again (one-off IPs) would otherwise stay forever.
        if now < self._next_sweep:
            return
        self._next_sweep = now + _SWEEP_EVERY_MS
        for slot in list(self._events):
            self._prune(slot, now)

    def _prune(self, slot: tuple[str, int], now: int) -> int:
        events = self._events.get(slot)
        if not events:
            self._events.pop(slot, None)
            return 0
        del events[: bisect.bisect_right(events, now - slot[1])]
        if not events:
            del self._events[slot]
        return len(events)

    def _state(self, limit: Limit, period: int, count: int, allowed: bool, now: int) -> LimitState:
        if allowed:
            return LimitState(limit.limit, limit.limit - count - 1, period, 0)
        events = self._events.get((limit.key, period), [])
        retry = events[count - limit.limit] + period - now if count >= limit.limit else 0
        reset = events[-1] + period - now if events else 0
        return LimitState(limit.limit, max(limit.limit - count, 0), reset, retry)
