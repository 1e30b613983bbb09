"""RateLimiter contract: one suite, run against InMemoryRateLimiter and RedisRateLimiter.

Time is moved, never slept: both limiters read ``now`` from the injected clock (the Redis
script receives it as an argument).
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
from itl_adapters.memory.clock import FakeClock
from itl_adapters.memory.ratelimit import InMemoryRateLimiter
from itl_adapters.redis import RedisRateLimiter, open_redis
from itl_core.errors import UpstreamUnavailable
from itl_core.ratelimit import Limit


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["memory", "redis"])
def redis_or_none(request) -> str | None:
    """The Redis URL for the Redis run, None for the in-memory run."""
    return None if request.param == "memory" else request.getfixturevalue("redis_url")


@pytest.fixture
async def limiter(redis_or_none, clock):
    if redis_or_none is None:
        yield InMemoryRateLimiter(clock)
        return
    client = open_redis(redis_or_none, socket_timeout=2.0)
    namespace = f"itl-test:{uuid.uuid4().hex}:"  # only this test's keys, deleted afterwards
    try:
        yield RedisRateLimiter(client, clock, namespace=namespace)
    finally:
        keys = [key async for key in client.scan_iter(match=f"{namespace}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


def per_minute(key: str, limit: int) -> Limit:
    return Limit(key=key, limit=limit, period_seconds=60)


async def test_admits_exactly_limit_hits_then_denies(limiter):
    limit = [per_minute("ip:1.2.3.4:login", 10)]
    decisions = [await limiter.hit(limit) for _ in range(11)]

    assert [d.allowed for d in decisions] == [True] * 10 + [False]
    assert [d.remaining for d in decisions] == [9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0]
    assert all(d.limit == 10 for d in decisions)
    assert decisions[0].retry_after == 0
    assert decisions[0].reset_after == 60
    assert decisions[-1].retry_after == 60


async def test_window_slides_an_event_stops_counting_exactly_one_period_later(limiter, clock):
    limit = [per_minute("user:u1", 4)]
    for _ in range(2):
        assert (await limiter.hit(limit)).allowed  # t = 0
    clock.advance(30)
    for _ in range(2):
        assert (await limiter.hit(limit)).allowed  # t = 30

    denied = await limiter.hit(limit)
    assert not denied.allowed
    assert denied.retry_after == 30  # the t=0 events leave the window at t=60
    assert denied.reset_after == 60  # the t=30 events leave it at t=90

    clock.advance(29.999)
    assert not (await limiter.hit(limit)).allowed
    clock.advance(0.001)  # t = 60
    assert [(await limiter.hit(limit)).allowed for _ in range(3)] == [True, True, False]


async def test_full_quota_returns_after_one_period(limiter, clock):
    limit = [Limit(key="k", limit=3, period_seconds=2.5)]
    for _ in range(3):
        await limiter.hit(limit)
    assert not (await limiter.hit(limit)).allowed

    clock.advance(2.5)
    decision = await limiter.hit(limit)
    assert decision.allowed
    assert decision.remaining == 2


async def test_denied_hits_are_not_recorded(limiter, clock):
    limit = [per_minute("k", 2)]
    await limiter.hit(limit)
    await limiter.hit(limit)
    for _ in range(20):
        clock.advance(1)
        assert not (await limiter.hit(limit)).allowed  # hammering does not extend the block
    clock.advance(40)  # t = 60: the two admitted hits expire
    assert (await limiter.hit(limit)).remaining == 1


async def test_all_or_nothing_a_hit_denied_by_one_limit_counts_against_none(limiter):
    tight, loose = per_minute("ip:1.2.3.4", 2), per_minute("tenant:acme", 5)
    assert (await limiter.hit([tight, loose])).allowed
    assert (await limiter.hit([tight, loose])).allowed
    for _ in range(5):
        assert not (await limiter.hit([tight, loose])).allowed

    # The loose limit saw exactly the two admitted hits: three left.
    assert [(await limiter.hit([loose])).allowed for _ in range(4)] == [True, True, True, False]


async def test_decision_reports_the_most_restrictive_limit(limiter, clock):
    burst = Limit(key="user:u1:burst", limit=2, period_seconds=10)
    hourly = Limit(key="user:u1:hourly", limit=3, period_seconds=3600)

    first = await limiter.hit([hourly, burst])
    assert (first.allowed, first.limit, first.remaining) == (True, 2, 1)  # fewest hits left

    await limiter.hit([hourly, burst])
    clock.advance(10)
    await limiter.hit([hourly, burst])  # hourly now full, burst has room
    clock.advance(10)
    denied = await limiter.hit([hourly, burst])
    assert (denied.allowed, denied.limit, denied.remaining) == (False, 3, 0)
    assert denied.retry_after == 3600 - 20  # until the first hourly event leaves the window


async def test_when_several_limits_deny_retry_after_is_the_longest_wait(limiter):
    short, long = (
        Limit(key="a", limit=1, period_seconds=10),
        Limit(key="b", limit=1, period_seconds=60),
    )
    await limiter.hit([short, long])
    denied = await limiter.hit([short, long])
    assert not denied.allowed
    assert denied.retry_after == 60


async def test_keys_are_isolated(limiter):
    await limiter.hit([per_minute("ip:10.0.0.1", 1)])
    assert not (await limiter.hit([per_minute("ip:10.0.0.1", 1)])).allowed
    assert (await limiter.hit([per_minute("ip:10.0.0.2", 1)])).allowed
    assert (await limiter.hit([per_minute("ip:10.0.0.10", 1)])).allowed


async def test_same_key_with_two_periods_counts_independently(limiter, clock):
    minute = Limit(key="ip:x", limit=2, period_seconds=60)
    hour = Limit(key="ip:x", limit=3, period_seconds=3600)
    assert (await limiter.hit([minute, hour])).allowed
    assert (await limiter.hit([minute, hour])).allowed
    assert not (await limiter.hit([minute, hour])).allowed  # minute full
    clock.advance(60)
    assert (await limiter.hit([minute, hour])).allowed  # minute free again; hour at 3
    assert not (await limiter.hit([minute, hour])).allowed  # hour full


async def test_a_limit_listed_twice_counts_a_hit_once(limiter):
    limit = per_minute("dup", 3)
    assert [(await limiter.hit([limit, limit])).allowed for _ in range(4)] == [True] * 3 + [False]


async def test_concurrent_hits_never_over_admit(limiter):
    limit = [per_minute("tenant:acme:chat", 10)]
    decisions = await asyncio.gather(*(limiter.hit(limit) for _ in range(100)))
    assert sum(d.allowed for d in decisions) == 10


@pytest.mark.parametrize(
    "limits",
    [
        [],
        [Limit(key="k", limit=0, period_seconds=60)],
        [Limit(key="k", limit=1, period_seconds=0)],
        [Limit(key="", limit=1, period_seconds=60)],
    ],
)
async def test_meaningless_limits_are_programming_errors(limiter, limits):
    with pytest.raises(ValueError):
        await limiter.hit(limits)


async def test_redis_limiter_reports_an_outage_as_upstream_unavailable(clock):
    client = open_redis("redis://127.0.0.1:1/0", socket_timeout=0.2)  # nothing listens there
    try:
        with pytest.raises(UpstreamUnavailable):
            await RedisRateLimiter(client, clock).hit([per_minute("k", 1)])
    finally:
        await client.aclose()
