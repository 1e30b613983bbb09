"""Cache contract: one suite, run against InMemoryCache and RedisCache."""

from __future__ import annotations

import asyncio
import logging
import uuid

import pytest
from itl_adapters.memory.cache import InMemoryCache
from itl_adapters.memory.clock import FakeClock
from itl_adapters.redis import RedisCache, open_redis
from itl_core.cache import tenant_key


class Harness:
    def __init__(self, cache, elapse) -> None:
        self.cache, self.elapse = cache, elapse


@pytest.fixture(params=["memory", "redis"])
def redis_or_none(request) -> str | None:
    """The Redis URL for the Redis run, None for the in-memory run."""
    return None if request.param == "memory" else request.getfixturevalue("redis_url")


@pytest.fixture
async def harness(redis_or_none):
    if redis_or_none is None:
        clock = FakeClock()

        async def advance(seconds: float) -> None:
            clock.advance(seconds)

        yield Harness(InMemoryCache(clock), advance)
        return
    # Redis expires keys on its own clock: TTL tests sleep (one second, in one test).
    client = open_redis(redis_or_none, socket_timeout=2.0)
    namespace = f"itl-test:{uuid.uuid4().hex}:"  # only this test's keys, deleted afterwards
    try:
        yield Harness(RedisCache(client, namespace=namespace), asyncio.sleep)
    finally:
        keys = [key async for key in client.scan_iter(match=f"{namespace}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


AGENT = tenant_key("acme", "agent", "a1")


def test_tenant_key_builds_prefixed_keys():
    assert tenant_key("acme", "agent", "a1") == "t:acme:agent:a1"
    assert tenant_key("acme", "agent", "a1") != tenant_key("globex", "agent", "a1")


async def test_miss_then_hit(harness):
    assert await harness.cache.get(AGENT) is None
    await harness.cache.set(AGENT, b"\x00config\xff", ttl_seconds=60)
    assert await harness.cache.get(AGENT) == b"\x00config\xff"


async def test_get_many_reads_several_keys_in_order(harness):
    other = tenant_key("acme", "agent", "a2")
    await harness.cache.set(AGENT, b"one", ttl_seconds=60)
    await harness.cache.set(other, b"", ttl_seconds=60)
    missing = tenant_key("acme", "agent", "none")
    assert await harness.cache.get_many(missing, AGENT, other) == [None, b"one", b""]
    assert await harness.cache.get_many() == []


async def test_empty_value_is_a_hit_not_a_miss(harness):
    await harness.cache.set(AGENT, b"", ttl_seconds=60)
    assert await harness.cache.get(AGENT) == b""


async def test_set_overwrites(harness):
    await harness.cache.set(AGENT, b"v1", ttl_seconds=60)
    await harness.cache.set(AGENT, b"v2", ttl_seconds=60)
    assert await harness.cache.get(AGENT) == b"v2"


async def test_entries_expire_after_their_ttl(harness):
    await harness.cache.set(AGENT, b"v", ttl_seconds=1)
    await harness.cache.set(tenant_key("acme", "long"), b"v", ttl_seconds=60)
    assert await harness.cache.get(AGENT) == b"v"
    await harness.elapse(1.05)
    assert await harness.cache.get(AGENT) is None
    assert await harness.cache.get(tenant_key("acme", "long")) == b"v"


async def test_delete_removes_several_keys_and_ignores_missing_ones(harness):
    other = tenant_key("acme", "agent", "a2")
    await harness.cache.set(AGENT, b"1", ttl_seconds=60)
    await harness.cache.set(other, b"2", ttl_seconds=60)
    await harness.cache.delete(AGENT, other, tenant_key("acme", "never-set"))
    await harness.cache.delete()
    assert await harness.cache.get(AGENT) is None
    assert await harness.cache.get(other) is None


async def test_tenants_do_not_share_entries(harness):
    await harness.cache.set(tenant_key("acme", "agent", "a1"), b"acme", ttl_seconds=60)
    assert await harness.cache.get(tenant_key("globex", "agent", "a1")) is None
    await harness.cache.delete(tenant_key("globex", "agent", "a1"))
    assert await harness.cache.get(tenant_key("acme", "agent", "a1")) == b"acme"


@pytest.mark.parametrize("key", ["agent:a1", "", "t:", "t::agent", "tenant:acme:agent", "T:acme:x"])
async def test_keys_not_built_by_tenant_key_are_refused(harness, key):
    with pytest.raises(ValueError):
        await harness.cache.get(key)
    with pytest.raises(ValueError):
        await harness.cache.set(key, b"v", ttl_seconds=60)
    with pytest.raises(ValueError):
        await harness.cache.delete(AGENT, key)


@pytest.mark.parametrize("ttl", [0, -1])
async def test_ttl_must_be_positive(harness, ttl):
    with pytest.raises(ValueError):
        await harness.cache.set(AGENT, b"v", ttl_seconds=ttl)


async def test_redis_outage_reads_as_a_miss_and_never_raises(caplog):
    client = open_redis("redis://127.0.0.1:1/0", socket_timeout=0.2)  # nothing listens there
    cache = RedisCache(client)
    try:
        with caplog.at_level(logging.WARNING, logger="itl_adapters.redis.cache"):
            await cache.set(AGENT, b"v", ttl_seconds=60)
            assert await cache.get(AGENT) is None
            assert await cache.get_many(AGENT, AGENT) == [None, None]
            await cache.delete(AGENT)
        assert len(caplog.records) == 4
        assert all("acme" not in record.getMessage() for record in caplog.records)
    finally:
        await client.aclose()
