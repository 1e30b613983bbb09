"""Session-state cache (``itl_adapters.cache.sessions``): the decorator of the session
repository over the in-memory fake and PostgreSQL, each with the in-memory cache and Redis.

Two "workers" are two ``SessionCache`` + ``CachedSessionRepository`` stacks over the same store
and the same cache (for Redis: two clients), as two API processes would be.
"""

from __future__ import annotations

import asyncio
import contextvars
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import pytest
from itl_adapters.cache import CacheAwareTransactions, CachedSessionRepository, SessionCache
from itl_adapters.memory.cache import InMemoryCache
from itl_adapters.memory.clock import FakeClock
from itl_adapters.memory.content_repositories import MemorySessionRepository
from itl_adapters.memory.repositories import MemoryTenantRepository
from itl_adapters.memory.store import MemoryStore
from itl_adapters.postgres import PgSessionRepository, PgTenantRepository
from itl_adapters.postgres.database import PgTransactions
from itl_adapters.redis import RedisCache, open_redis
from itl_core.cache import tenant_key
from itl_core.errors import Conflict, NotFound
from itl_core.pagination import PageRequest
from itl_core.sessions.model import SessionStatus
from itl_core.transactions import NoTransactions
from prometheus_client import REGISTRY

from tests.contract.builders import at, session, tenant

A, B = "tenant-a", "tenant-b"
T = TypeVar("T")


@dataclass
class Worker:
    sessions: CachedSessionRepository
    transactions: CacheAwareTransactions


@dataclass
class Scene:
    one: Worker
    two: Worker
    store: Any  # the uncached repository both workers decorate
    cache: Any  # the Cache both share


def hits() -> float:
    return REGISTRY.get_sample_value(
        "itl_cache_requests_total", {"cache": "session", "result": "hit"}
    ) or 0.0  # fmt: skip


def elsewhere(call: Callable[[], Awaitable[T]]) -> Awaitable[T]:
    """Run ``call`` as another worker would: in a task outside any open transaction."""
    return asyncio.create_task(call(), context=contextvars.Context())  # type: ignore[arg-type]


@pytest.fixture(params=["memory", "postgres"])
def store(request: pytest.FixtureRequest) -> tuple[Any, Any, Any]:
    """(session repository, transactions, tenant repository) of the store."""
    if request.param == "memory":
        memory = MemoryStore()
        return MemorySessionRepository(memory), NoTransactions(), MemoryTenantRepository(memory)
    # Resolved only for the postgres variant, so `-k memory` runs without a server.
    db = request.getfixturevalue("database")
    return PgSessionRepository(db), PgTransactions(db), PgTenantRepository(db)


@pytest.fixture(params=["memory-cache", "redis"])
def redis_or_none(request: pytest.FixtureRequest) -> str | None:
    """The Redis URL for the Redis run, None for the in-memory cache's."""
    return None if request.param == "memory-cache" else request.getfixturevalue("redis_url")


@pytest.fixture
async def scene(store: tuple[Any, Any, Any], redis_or_none: str | None) -> AsyncIterator[Scene]:
    inner, transactions, tenants = store
    for t in (A, B):
        await tenants.add(tenant(t))
    if redis_or_none is None:
        shared = InMemoryCache(FakeClock())
        caches, clients = [shared, shared], []
    else:
        url = redis_or_none
        namespace = f"itl-test:{uuid.uuid4().hex}:"  # only this test's keys, deleted afterwards
        clients = [open_redis(url, socket_timeout=2.0) for _ in range(2)]
        caches = [RedisCache(client, namespace=namespace) for client in clients]
    workers = []
    for cache in caches:
        session_cache = SessionCache(cache, ttl_seconds=60)
        workers.append(
            Worker(
                CachedSessionRepository(inner, session_cache),
                CacheAwareTransactions(transactions, session_cache),
            )
        )
    try:
        yield Scene(workers[0], workers[1], inner, caches[0])
    finally:
        if clients:
            keys = [key async for key in clients[0].scan_iter(match=f"{namespace}*")]
            if keys:
                await clients[0].delete(*keys)
            for client in clients:
                await client.aclose()


async def test_the_second_read_is_a_hit_and_equal(scene: Scene) -> None:
    chat = session(A, user_id="u-1", agent_id="agent-1")
    await scene.store.add(chat)
    assert await scene.one.sessions.get(A, chat.id) == chat
    before = hits()
    assert await scene.one.sessions.get(A, chat.id) == chat
    assert await scene.two.sessions.get(A, chat.id) == chat  # shared by every worker
    assert hits() == before + 2


async def test_a_missing_session_is_not_cached_so_its_add_shows_at_once(scene: Scene) -> None:
    chat = session(A)
    assert await scene.two.sessions.get(A, chat.id) is None
    assert await scene.two.sessions.get(A, chat.id) is None
    await scene.one.sessions.add(chat)
    assert await scene.two.sessions.get(A, chat.id) == chat
    with pytest.raises(Conflict):  # a failed add of an existing id: the entry stays right
        await scene.one.sessions.add(replace(chat, status=SessionStatus.CLOSED))
    assert await scene.two.sessions.get(A, chat.id) == chat


async def test_an_update_through_one_worker_is_read_by_the_other_at_once(scene: Scene) -> None:
    chat = session(A, user_id="u-1")
    await scene.one.sessions.add(chat)
    assert await scene.two.sessions.get(A, chat.id) == chat
    handed_off = replace(
        chat, status=SessionStatus.WAITING_FOR_HUMAN, agent_id="agent-2", updated_at=at(9)
    )
    await scene.one.sessions.update(handed_off)
    assert await scene.two.sessions.get(A, chat.id) == handed_off
    closed = replace(handed_off, status=SessionStatus.CLOSED, updated_at=at(10))
    await scene.two.sessions.update(closed)
    assert await scene.one.sessions.get(A, chat.id) == closed


async def test_a_write_in_a_transaction_invalidates_when_it_ends_not_before(scene: Scene) -> None:
    chat = session(A)
    await scene.one.sessions.add(chat)
    assert await scene.two.sessions.get(A, chat.id) == chat  # cached
    changed = replace(chat, agent_id="agent-1", updated_at=at(3))
    async with scene.one.transactions.atomic(A):
        await scene.one.sessions.update(changed)
        # Inside the block the worker reads its own write from the store, never the cache.
        assert await scene.one.sessions.get(A, chat.id) == changed
        # Another worker meanwhile still reads the cached record (with PostgreSQL the row is
        # not committed yet): the entry is invalidated only once the block has ended.
        assert await elsewhere(lambda: scene.two.sessions.get(A, chat.id)) == chat
    assert await scene.two.sessions.get(A, chat.id) == changed


async def test_a_reader_racing_an_open_transaction_never_leaves_a_stale_copy(
    scene: Scene,
) -> None:
    chat = session(A)
    await scene.store.add(chat)
    changed = replace(chat, status=SessionStatus.CLOSED, updated_at=at(4))
    async with scene.one.transactions.atomic(A):
        await scene.one.sessions.update(changed)
        # A first read by another worker during the transaction: a miss, loaded and cached.
        await elsewhere(lambda: scene.two.sessions.get(A, chat.id))
    assert await scene.two.sessions.get(A, chat.id) == changed
    assert await scene.one.sessions.get(A, chat.id) == changed


async def test_a_failed_write_still_invalidates(scene: Scene) -> None:
    chat = session(A)
    await scene.store.add(chat)
    assert await scene.two.sessions.get(A, chat.id) == chat
    changed = replace(chat, agent_id="agent-1")
    with pytest.raises(RuntimeError):
        async with scene.one.transactions.atomic(A):
            await scene.one.sessions.update(changed)
            raise RuntimeError("the use case failed after the write")
    # Rolled back by PostgreSQL, kept by the fake (no transactions): either way, what the
    # cache serves is what the store holds.
    assert await scene.two.sessions.get(A, chat.id) == await scene.store.get(A, chat.id)
    with pytest.raises(NotFound):
        await scene.one.sessions.update(replace(chat, id="no-such-session"))


async def test_tenants_never_read_each_others_entries(scene: Scene) -> None:
    chat = session(A, user_id="u-1")
    await scene.one.sessions.add(chat)
    assert await scene.one.sessions.get(A, chat.id) == chat  # cached for A
    assert await scene.one.sessions.get(B, chat.id) is None
    assert await scene.two.sessions.get(B, chat.id) is None
    # Even an entry planted under B's key with A's record is not served to B.
    poisoned = await _planted_entry(scene, chat)
    if poisoned:
        assert await scene.two.sessions.get(B, chat.id) is None
    assert await scene.two.sessions.get(A, chat.id) == chat


async def _planted_entry(scene: Scene, chat: Any) -> bool:
    """Copy A's cached entry and version under B's keys; True if there was one to copy."""
    keys = [tenant_key(A, "session", chat.id, part) for part in ("version", "record")]
    version, record = await scene.cache.get_many(*keys)
    if version is None or record is None:
        return False
    await scene.cache.set(tenant_key(B, "session", chat.id, "version"), version, 60)
    await scene.cache.set(tenant_key(B, "session", chat.id, "record"), record, 60)
    return True


async def test_list_goes_to_the_store(scene: Scene) -> None:
    chat = session(A, user_id="u-1")
    await scene.one.sessions.add(chat)
    assert (await scene.two.sessions.list(A, PageRequest(), user_id="u-1")).items == [chat]
    closed = replace(chat, status=SessionStatus.CLOSED)
    await scene.store.update(closed)  # behind the cache's back
    assert (await scene.two.sessions.list(A, PageRequest())).items == [closed]


async def test_redis_down_falls_through_to_the_repository() -> None:
    memory = MemoryStore()
    await MemoryTenantRepository(memory).add(tenant(A))
    inner = MemorySessionRepository(memory)
    client = open_redis("redis://127.0.0.1:1/0", socket_timeout=0.2)  # nothing listens there
    try:
        sessions = CachedSessionRepository(inner, SessionCache(RedisCache(client)))
        chat = session(A)
        await sessions.add(chat)
        assert await sessions.get(A, chat.id) == chat
        closed = replace(chat, status=SessionStatus.CLOSED)
        await sessions.update(closed)
        assert await sessions.get(A, chat.id) == closed
    finally:
        await client.aclose()
