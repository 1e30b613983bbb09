"""Config caching across workers: version bumps, TTL as the safety net, Redis outages.

Each "worker" is a real ``Application`` container over the same PostgreSQL (runtime role) and
Redis, as several API processes behind a load balancer would be.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from itl_adapters.containers import Application, resolve
from itl_adapters.embedded import EmbeddedRedis
from itl_adapters.postgres import Database, PgAgentRepository, PgTenantRepository
from itl_adapters.settings import Settings
from itl_core.pagination import PageRequest
from itl_core.provider_keys.model import ProviderKey
from prometheus_client import REGISTRY

from tests.contract.builders import agent, tenant, tool, widget

Workers = Callable[..., Any]


@pytest.fixture
async def workers(
    database: Database, pg_runtime_url: str, redis_url: str, tmp_path: Path
) -> AsyncIterator[Workers]:
    """``await workers(n, **settings)``: n started containers; all shut down after the test."""
    started: list[Application] = []

    async def start(n: int = 1, **overrides: Any) -> list[Application]:
        settings = Settings(
            **{
                "data_dir": tmp_path,
                "database_url": pg_runtime_url,
                "redis_url": redis_url,
                "migrate_on_start": False,
                "database_pool_max": 2,
                **overrides,
            }
        )
        batch = [Application(settings=settings) for _ in range(n)]
        for container in batch:
            await container.init_resources()  # type: ignore[misc]
            started.append(container)
        return batch

    await PgTenantRepository(database).add(tenant("acme"))
    yield start
    for container in started:
        await container.shutdown_resources()  # type: ignore[misc]


def cache_count(kind: str, result: str) -> float:
    return (
        REGISTRY.get_sample_value("itl_cache_requests_total", {"cache": kind, "result": result})
        or 0.0
    )


async def names(container: Application) -> list[str]:
    agents = await resolve(container.repositories.agents)
    return [a.name for a in (await agents.list("acme", PageRequest(limit=200))).items]


async def test_a_write_through_one_worker_is_read_by_every_other_at_once(workers: Workers) -> None:
    one, two = await workers(2)
    first = agent("acme", "Billing")
    await (await resolve(one.repositories.agents)).add(first)
    assert await names(two) == ["Billing"]
    hits = cache_count("agents", "hit")
    assert await names(two) == ["Billing"]
    assert cache_count("agents", "hit") == hits + 1  # the second read was served by the cache

    await (await resolve(one.repositories.agents)).update(
        dataclasses.replace(first, name="Invoices")
    )
    assert await names(two) == ["Invoices"]  # no TTL wait: the version moved

    await (await resolve(two.repositories.agents)).delete("acme", first.id)
    assert await names(one) == []


async def test_tools_and_widget_configs_are_invalidated_on_write(workers: Workers) -> None:
    one, two = await workers(2)
    spec = tool("acme", "track")
    await (await resolve(one.repositories.tools)).add(spec)
    assert (await (await resolve(two.repositories.tools)).get("acme", spec.id)) == spec
    await (await resolve(one.repositories.tools)).update(
        dataclasses.replace(spec, description="new")
    )
    assert (await (await resolve(two.repositories.tools)).get("acme", spec.id)).description == "new"

    widgets_two = await resolve(two.repositories.widgets)
    assert await widgets_two.get("acme") is None  # cached as "none saved yet"
    await (await resolve(one.repositories.widgets)).save(widget("acme", title="Ask us"))
    assert (await widgets_two.get("acme")).title == "Ask us"


async def test_provider_keys_are_cached_sealed_and_invalidated_on_write(workers: Workers) -> None:
    one, two = await workers(2)
    keys_one = await resolve(one.repositories.provider_keys)
    keys_two = await resolve(two.repositories.provider_keys)
    sealed = ProviderKey(
        tenant_id="acme", provider="openai", sealed_key=b"\x00sealed\xff", last4="abcd",
        updated_at=datetime(2025, 1, 1, tzinfo=UTC),
    )  # fmt: skip
    assert await keys_two.get("acme", "openai") is None  # cached as "no key"
    await keys_one.save(sealed)
    hits = cache_count("provider_keys", "hit")
    assert await keys_two.get("acme", "openai") == sealed  # no TTL wait: the version moved
    assert await keys_two.get("acme", "openai") == sealed
    assert cache_count("provider_keys", "hit") == hits + 1
    await keys_one.delete("acme", "openai")
    assert await keys_two.get("acme", "openai") is None


async def test_the_ttl_bounds_staleness_of_a_write_that_bypassed_invalidation(
    workers: Workers, database: Database
) -> None:
    (worker,) = await workers(1, config_cache_ttl=1)
    first = agent("acme", "Billing")
    await (await resolve(worker.repositories.agents)).add(first)
    assert await names(worker) == ["Billing"]
    # Written behind the cache's back (as a failed version bump would leave it):
    await PgAgentRepository(database).update(dataclasses.replace(first, name="Invoices"))
    assert await names(worker) == ["Billing"]  # proves the read is cached
    await asyncio.sleep(1.2)  # Redis expires entries on its own clock
    assert await names(worker) == ["Invoices"]


async def test_reads_and_writes_fall_through_to_postgres_while_redis_is_down(
    workers: Workers, server_root: Path
) -> None:
    redis = EmbeddedRedis(server_root)
    url = await asyncio.to_thread(redis.start)
    try:
        (worker,) = await workers(1, redis_url=url)
        agents = await resolve(worker.repositories.agents)
        first = agent("acme", "Billing")
        await agents.add(first)
        assert await names(worker) == ["Billing"]  # now cached
        await asyncio.to_thread(redis.stop)

        await agents.update(dataclasses.replace(first, name="Invoices"))  # bump fails: logged
        assert await names(worker) == ["Invoices"]  # every read is a miss: straight to PostgreSQL
        assert (await agents.get("acme", first.id)).name == "Invoices"
    finally:
        await asyncio.to_thread(redis.stop)
