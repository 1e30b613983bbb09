"""Contract: IdempotencyStore, one suite run against the in-memory fake and Redis."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest
from itl_adapters.memory.clock import FakeClock
from itl_adapters.memory.idempotency import InMemoryIdempotencyStore
from itl_adapters.redis import open_redis
from itl_adapters.redis.idempotency import RedisIdempotencyStore
from itl_core.idempotency import BeginOutcome, IdempotencyStore, StoredResponse

SCOPE = "t:acme:u:user-1"
CREATED = StoredResponse(
    status=201, headers=(("content-type", "application/json"),), body=b'{"id":"1"}'
)


@dataclass
class Harness:
    store: IdempotencyStore
    elapse: Callable[[float], Awaitable[None]]


@pytest.fixture(params=["memory", "redis"])
def redis_or_none(request: pytest.FixtureRequest) -> str | None:
    """The Redis URL for the Redis run, None for the in-memory run."""
    return None if request.param == "memory" else request.getfixturevalue("redis_url")


@pytest.fixture
async def harness(redis_or_none: str | None) -> AsyncIterator[Harness]:
    # Short leases, so expiry is testable on Redis's own clock with one short sleep.
    if redis_or_none is None:
        clock = FakeClock()

        async def advance(seconds: float) -> None:
            clock.advance(seconds)

        yield Harness(InMemoryIdempotencyStore(clock, lease_seconds=0.3, ttl_seconds=60), advance)
        return
    client = open_redis(redis_or_none, socket_timeout=2.0)
    namespace = f"itl-test:{uuid.uuid4().hex}:"
    try:
        yield Harness(
            RedisIdempotencyStore(client, namespace=namespace, lease_seconds=0.3, ttl_seconds=60),
            asyncio.sleep,
        )
    finally:
        keys = [key async for key in client.scan_iter(match=f"{namespace}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


async def test_the_first_request_gets_a_lease(harness: Harness) -> None:
    begun = await harness.store.begin(SCOPE, "k1", "fp")
    assert begun.outcome is BeginOutcome.NEW
    assert begun.lease


async def test_a_repeat_while_in_flight_is_told_so_and_another_body_is_a_mismatch(
    harness: Harness,
) -> None:
    await harness.store.begin(SCOPE, "k1", "fp")
    assert (await harness.store.begin(SCOPE, "k1", "fp")).outcome is BeginOutcome.IN_FLIGHT
    assert (await harness.store.begin(SCOPE, "k1", "other")).outcome is BeginOutcome.MISMATCH


async def test_a_completed_response_is_replayed_exactly(harness: Harness) -> None:
    begun = await harness.store.begin(SCOPE, "k1", "fp")
    await harness.store.complete(SCOPE, "k1", begun.lease, CREATED)
    replay = await harness.store.begin(SCOPE, "k1", "fp")
    assert replay.outcome is BeginOutcome.REPLAY
    assert replay.response == CREATED
    assert (await harness.store.begin(SCOPE, "k1", "other")).outcome is BeginOutcome.MISMATCH


async def test_a_released_key_can_be_claimed_again(harness: Harness) -> None:
    begun = await harness.store.begin(SCOPE, "k1", "fp")
    await harness.store.release(SCOPE, "k1", begun.lease)
    assert (await harness.store.begin(SCOPE, "k1", "fp")).outcome is BeginOutcome.NEW


async def test_a_stale_lease_changes_nothing(harness: Harness) -> None:
    first = await harness.store.begin(SCOPE, "k1", "fp")
    await harness.store.release(SCOPE, "k1", first.lease)
    second = await harness.store.begin(SCOPE, "k1", "fp")
    await harness.store.complete(SCOPE, "k1", first.lease, CREATED)
    await harness.store.release(SCOPE, "k1", first.lease)
    assert (await harness.store.begin(SCOPE, "k1", "fp")).outcome is BeginOutcome.IN_FLIGHT
    await harness.store.complete(SCOPE, "k1", second.lease, CREATED)
    assert (await harness.store.begin(SCOPE, "k1", "fp")).response == CREATED


async def test_scopes_and_keys_are_independent(harness: Harness) -> None:
    await harness.store.begin(SCOPE, "k1", "fp")
    assert (await harness.store.begin("t:acme:u:user-2", "k1", "fp")).outcome is BeginOutcome.NEW
    assert (await harness.store.begin("t:other:u:user-1", "k1", "fp")).outcome is BeginOutcome.NEW
    assert (await harness.store.begin(SCOPE, "k2", "fp")).outcome is BeginOutcome.NEW


async def test_concurrent_claims_of_one_key_give_exactly_one_lease(harness: Harness) -> None:
    results = await asyncio.gather(*(harness.store.begin(SCOPE, "k1", "fp") for _ in range(10)))
    outcomes = sorted(r.outcome for r in results)
    assert outcomes.count(BeginOutcome.NEW) == 1
    assert outcomes.count(BeginOutcome.IN_FLIGHT) == 9


async def test_an_abandoned_lease_expires(harness: Harness) -> None:
    await harness.store.begin(SCOPE, "k1", "fp")
    await harness.elapse(0.4)
    assert (await harness.store.begin(SCOPE, "k1", "fp")).outcome is BeginOutcome.NEW


async def test_keys_with_any_characters_are_kept_apart(harness: Harness) -> None:
    await harness.store.begin(SCOPE, "a:b*c", "fp")
    assert (await harness.store.begin(SCOPE, "a:b?c", "fp")).outcome is BeginOutcome.NEW
