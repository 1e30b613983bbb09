"""Rate limiters composed around the shared (Redis) one: behind a breaker, and failing open.

SECURITY.md: with Redis down, chat keeps working under a per-process ``InMemoryRateLimiter``
(each replica then limits on its own: looser, but still bounded), while login fails closed.
So the composition root builds:

- ``BreakerRateLimiter(RedisRateLimiter, breaker)``: fails closed, and fast while the circuit
  is open (login: its ``UpstreamUnavailable`` becomes a 503);
- ``FailOpenRateLimiter(that, InMemoryRateLimiter)``: for every other route and for chat.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Sequence

from itl_core.errors import UpstreamUnavailable
from itl_core.ratelimit import Decision, Limit, RateLimiter
from prometheus_client import Counter

from itl_adapters.redis.breaker import CircuitBreaker

__all__ = ["BreakerRateLimiter", "FailOpenRateLimiter", "fail_open_counter"]

log = logging.getLogger(__name__)

_LOG_EVERY = 10.0  # seconds: an outage logs a line now and then, not one per request


@functools.cache
def fail_open_counter() -> Counter:
    """``itl_ratelimit_fail_open_total``: decisions taken by the local fallback limiter."""
    return Counter(
        "itl_ratelimit_fail_open",
        "Rate-limit decisions taken in-process because the shared limiter was unavailable",
    )


class BreakerRateLimiter:
    """``RateLimiter`` that calls ``primary`` through ``breaker`` (so fails fast while open)."""

    def __init__(self, primary: RateLimiter, breaker: CircuitBreaker) -> None:
        self._primary, self._breaker = primary, breaker

    async def hit(self, limits: Sequence[Limit]) -> Decision:
        return await self._breaker.call(lambda: self._primary.hit(limits))


class FailOpenRateLimiter:
    """``RateLimiter`` that asks ``primary`` and, only if it is unavailable, ``fallback``.

    Every fallback decision counts in ``itl_ratelimit_fail_open_total`` and is logged (at most
    once per ten seconds).
    """

    def __init__(
        self,
        primary: RateLimiter,
        fallback: RateLimiter,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._primary, self._fallback = primary, fallback
        self._monotonic = monotonic

    async def hit(self, limits: Sequence[Limit]) -> Decision:
        try:
            return await self._primary.hit(limits)
        except UpstreamUnavailable:
            fail_open_counter().inc()
            _log_fail_open(self._monotonic())
            return await self._fallback.hit(limits)


_last_logged = [float("-inf")]


def _log_fail_open(now: float) -> None:
    if now - _last_logged[0] >= _LOG_EVERY:
        _last_logged[0] = now
        log.warning("shared rate limiter unavailable; limiting in this process only")
