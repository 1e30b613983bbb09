"""FailOpenRateLimiter: a Redis outage degrades to per-process limiting, never to no limit."""

from __future__ import annotations

import pytest
from itl_adapters.memory.clock import FakeClock
from itl_adapters.memory.ratelimit import InMemoryRateLimiter
from itl_adapters.ratelimit import FailOpenRateLimiter
from itl_adapters.redis import RedisRateLimiter, open_redis
from itl_core.ratelimit import Limit

LIMIT = [Limit(key="tenant:acme:chat", limit=2, period_seconds=60)]


async def test_an_unavailable_primary_falls_back_to_the_local_limiter():
    clock = FakeClock()
    down = open_redis("redis://127.0.0.1:1/0", socket_timeout=0.2)  # nothing listens there
    try:
        limiter = FailOpenRateLimiter(RedisRateLimiter(down, clock), InMemoryRateLimiter(clock))
        decisions = [await limiter.hit(LIMIT) for _ in range(3)]
    finally:
        await down.aclose()
    assert [d.allowed for d in decisions] == [True, True, False]


async def test_a_working_primary_decides_alone():
    clock = FakeClock()
    primary, fallback = InMemoryRateLimiter(clock), InMemoryRateLimiter(clock)
    limiter = FailOpenRateLimiter(primary, fallback)
    await limiter.hit(LIMIT)
    await limiter.hit(LIMIT)
    assert not (await limiter.hit(LIMIT)).allowed
    assert (await fallback.hit(LIMIT)).remaining == 1  # the fallback counted nothing


async def test_programming_errors_are_not_swallowed():
    clock = FakeClock()
    limiter = FailOpenRateLimiter(InMemoryRateLimiter(clock), InMemoryRateLimiter(clock))
    with pytest.raises(ValueError):
        await limiter.hit([])
