"""Contract: JobQueue (one claim per job however many workers ask, leases, fencing, tenancy).

Runs against the in-memory fake and PostgreSQL (as the runtime role, so RLS applies)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from itl_adapters.memory.jobs import MemoryJobQueue
from itl_adapters.memory.repositories import MemoryTenantRepository
from itl_adapters.memory.store import MemoryStore
from itl_adapters.postgres import PgTenantRepository
from itl_adapters.postgres.jobs import PgJobQueue
from itl_core.jobs.model import MAX_ATTEMPTS, Job, JobStatus
from itl_core.pagination import PageRequest

from tests.contract.builders import all_pages, at, new_id, tenant

LEASE = timedelta(seconds=30)
A, B = "tenant-a", "tenant-b"


@dataclass(frozen=True)
class World:
    queue: Any
    tenants: Any


@pytest.fixture(params=["memory", "postgres"])
def backend(request: pytest.FixtureRequest) -> World:
    if request.param == "memory":
        store = MemoryStore()
        return World(queue=MemoryJobQueue(store), tenants=MemoryTenantRepository(store))
    # Resolved only for the postgres variant, so `-k memory` runs without a server.
    db = request.getfixturevalue("database")
    return World(queue=PgJobQueue(db), tenants=PgTenantRepository(db))


@pytest.fixture
async def world(backend: World) -> World:
    await backend.tenants.add(tenant(A))
    await backend.tenants.add(tenant(B))
    return backend


def job(tenant_id: str = A, kind: str = "reembed", created: float = 0, **kw: Any) -> Job:
    return Job(
        id=new_id(),
        tenant_id=tenant_id,
        kind=kind,
        created_at=at(created),
        updated_at=at(created),
        **kw,
    )


async def test_a_job_reads_back_equal_and_lists_in_its_tenant_only(world: World) -> None:
    mine = await world.queue.enqueue(job(payload={"model": "offline-words"}))
    other = await world.queue.enqueue(job(B, created=1))
    assert await world.queue.get(A, mine.id) == mine
    assert await world.queue.get(B, mine.id) is None  # another tenant's job does not exist
    assert await all_pages(lambda p: world.queue.list(A, p), limit=1) == [mine]
    assert (await world.queue.list(B, PageRequest())).items == [other]


async def test_a_second_queued_job_of_a_kind_answers_the_first(world: World) -> None:
    first = await world.queue.enqueue(job())
    assert await world.queue.enqueue(job(created=1)) == first
    other_kind = await world.queue.enqueue(job(kind="index", created=2))
    assert other_kind != first
    claimed = await world.queue.claim(at(3), LEASE)
    assert claimed is not None and claimed.id == first.id
    # Once the first runs, a new one may queue behind it...
    behind = await world.queue.enqueue(job(created=4))
    assert behind.id != first.id and behind.status is JobStatus.QUEUED
    # ...but it is not handed out while the first still holds its lease.
    assert (await world.queue.claim(at(5), LEASE)).id == other_kind.id  # type: ignore[union-attr]
    assert await world.queue.claim(at(6), LEASE) is None


async def test_concurrent_claims_hand_each_job_to_exactly_one_worker(world: World) -> None:
    jobs = [
        await world.queue.enqueue(job(t, kind=f"k{i}", created=i)) for i in range(3) for t in (A, B)
    ]
    claims = await asyncio.gather(*(world.queue.claim(at(10), LEASE) for _ in range(10)))
    got = [c.id for c in claims if c is not None]
    assert sorted(got) == sorted(j.id for j in jobs)  # every job once, none twice
    for claimed in (c for c in claims if c is not None):
        assert claimed.status is JobStatus.RUNNING and claimed.attempts == 1
        assert claimed.lease_expires_at == at(10) + LEASE and claimed.started_at == at(10)


async def test_the_oldest_job_is_claimed_first(world: World) -> None:
    late = await world.queue.enqueue(job(A, kind="late", created=5))
    early = await world.queue.enqueue(job(B, kind="early", created=1))
    assert (await world.queue.claim(at(9), LEASE)).id == early.id  # type: ignore[union-attr]
    assert (await world.queue.claim(at(9), LEASE)).id == late.id  # type: ignore[union-attr]


async def test_progress_extends_the_lease_and_settling_ends_it(world: World) -> None:
    await world.queue.enqueue(job())
    claimed = await world.queue.claim(at(1), LEASE)
    assert await world.queue.heartbeat(claimed, done=5, total=10, now=at(20), lease=LEASE)
    assert await world.queue.requeue_expired(at(40)) == 0  # the lease now runs to 50
    seen = await world.queue.get(A, claimed.id)
    assert (seen.done, seen.total, seen.lease_expires_at) == (5, 10, at(20) + LEASE)
    assert await world.queue.succeed(claimed, at(45))
    done = await world.queue.get(A, claimed.id)
    assert done.status is JobStatus.SUCCEEDED and done.finished_at == at(45)
    assert done.lease_expires_at is None
    assert not await world.queue.heartbeat(claimed, done=6, total=10, now=at(46), lease=LEASE)
    assert not await world.queue.fail(claimed, "late", at(46))


async def test_an_expired_lease_requeues_the_job_and_fences_out_its_old_worker(
    world: World,
) -> None:
    await world.queue.enqueue(job())
    stale = await world.queue.claim(at(0), LEASE)
    assert await world.queue.requeue_expired(at(30)) == 0  # the lease ends after 30 s, not at
    assert await world.queue.requeue_expired(at(31)) == 1
    requeued = await world.queue.get(A, stale.id)
    assert requeued.status is JobStatus.QUEUED and requeued.lease_expires_at is None
    fresh = await world.queue.claim(at(32), LEASE)
    assert fresh.id == stale.id and fresh.attempts == 2
    assert not await world.queue.heartbeat(stale, done=1, total=1, now=at(33), lease=LEASE)
    assert not await world.queue.succeed(stale, at(33))
    assert await world.queue.succeed(fresh, at(34))


async def test_a_job_whose_workers_keep_dying_fails_after_the_last_attempt(world: World) -> None:
    queued = await world.queue.enqueue(job())
    now = 0.0
    for _ in range(MAX_ATTEMPTS):
        assert await world.queue.claim(at(now), LEASE) is not None
        now += LEASE.total_seconds() + 1
        assert await world.queue.requeue_expired(at(now)) == 1
    failed = await world.queue.get(A, queued.id)
    assert failed.status is JobStatus.FAILED and failed.attempts == MAX_ATTEMPTS
    assert "stopped" in failed.error
    assert await world.queue.claim(at(now), LEASE) is None


async def test_an_expired_job_gives_way_to_a_newer_twin_already_queued(world: World) -> None:
    old = await world.queue.enqueue(job())
    await world.queue.claim(at(1), LEASE)
    newer = await world.queue.enqueue(job(created=2))
    assert await world.queue.claim(at(3), LEASE) is None  # its twin still holds a live lease
    assert await world.queue.requeue_expired(at(100)) == 1
    superseded = await world.queue.get(A, old.id)
    assert superseded.status is JobStatus.FAILED and "superseded" in superseded.error
    assert (await world.queue.claim(at(101), LEASE)).id == newer.id  # type: ignore[union-attr]


async def test_release_queues_a_running_job_again_at_once(world: World) -> None:
    await world.queue.enqueue(job())
    claimed = await world.queue.claim(at(1), LEASE)
    assert await world.queue.release(claimed, at(2))
    assert not await world.queue.release(claimed, at(3))  # no longer held
    again = await world.queue.claim(at(4), LEASE)
    assert again.id == claimed.id and again.attempts == 2


async def test_jobs_of_a_deleted_tenant_are_gone(world: World) -> None:
    gone = await world.queue.enqueue(job(B))
    kept = await world.queue.enqueue(job(A))
    await world.tenants.delete(B)
    assert await world.queue.get(B, gone.id) is None
    assert (await world.queue.claim(at(1), LEASE)).id == kept.id  # type: ignore[union-attr]
    assert await world.queue.claim(at(1), LEASE) is None
