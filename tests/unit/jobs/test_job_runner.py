"""The job runner and worker loop over the in-memory queue: what happens to a job whatever its
handler does (succeeds, raises, loses its lease, is cancelled by a shutdown)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from itl_adapters.memory.clock import FakeClock
from itl_adapters.memory.jobs import MemoryJobQueue
from itl_adapters.memory.store import MemoryStore
from itl_core.errors import ValidationFailed
from itl_core.jobs.model import Job, JobStatus
from itl_core.jobs.runner import JobRunner, JobWorker, LeaseLost, Progress

from tests.contract.builders import tenant

LEASE = timedelta(seconds=30)


class Recorder:
    """A handler that reports progress in steps, then does what the test asks."""

    def __init__(self, steps: int = 3, then: BaseException | None = None) -> None:
        self.steps, self.then, self.runs = steps, then, 0

    async def run(self, job: Job, progress: Progress) -> None:
        self.runs += 1
        for done in range(self.steps + 1):
            await progress.report(done, self.steps)
        if self.then is not None:
            raise self.then


async def world() -> tuple[MemoryJobQueue, FakeClock]:
    store = MemoryStore()
    store.tenants["acme"] = tenant("acme")
    return MemoryJobQueue(store), FakeClock()


async def queued(queue: MemoryJobQueue, clock: FakeClock, kind: str = "demo") -> Job:
    now = clock.now()
    return await queue.enqueue(
        Job(id=f"job-{kind}", tenant_id="acme", kind=kind, created_at=now, updated_at=now)
    )


async def test_a_job_runs_once_reports_progress_and_succeeds() -> None:
    queue, clock = await world()
    job = await queued(queue, clock)
    handler = Recorder(steps=3)
    runner = JobRunner(queue, {"demo": handler}, clock, LEASE)
    assert (await runner.run_next()).id == job.id  # type: ignore[union-attr]
    assert await runner.run_next() is None
    settled = await queue.get("acme", job.id)
    assert settled is not None and settled.status is JobStatus.SUCCEEDED
    assert (settled.done, settled.total, settled.attempts, handler.runs) == (3, 3, 1, 1)
    assert settled.finished_at == clock.now() and settled.error is None


async def test_a_domain_error_fails_the_job_with_its_message_and_a_bug_with_a_generic_one() -> None:
    queue, clock = await world()
    handlers = {
        "refused": Recorder(then=ValidationFailed.single("model", "is unknown")),
        "buggy": Recorder(then=RuntimeError("secret internals")),
    }
    runner = JobRunner(queue, handlers, clock, LEASE)
    refused, buggy = await queued(queue, clock, "refused"), await queued(queue, clock, "buggy")
    await runner.run_next()
    await runner.run_next()
    assert (await queue.get("acme", refused.id)).error == "model: is unknown"  # type: ignore[union-attr]
    failed = await queue.get("acme", buggy.id)
    assert failed is not None and failed.status is JobStatus.FAILED
    assert failed.error == "an internal error stopped the job"


async def test_a_job_of_an_unknown_kind_fails_without_running_anything() -> None:
    queue, clock = await world()
    job = await queued(queue, clock, "mystery")
    await JobRunner(queue, {}, clock, LEASE).run_next()
    failed = await queue.get("acme", job.id)
    assert failed is not None and failed.status is JobStatus.FAILED
    assert "no handler" in (failed.error or "")


async def test_a_stalled_worker_loses_its_job_to_another_and_cannot_settle_it() -> None:
    queue, clock = await world()
    job = await queued(queue, clock)
    first_claim = await queue.claim(clock.now(), LEASE)
    assert first_claim is not None
    clock.advance(LEASE.total_seconds() + 1)  # the first worker went silent
    handler = Recorder(steps=1)
    await JobRunner(queue, {"demo": handler}, clock, LEASE).run_next()  # re-queued, run again
    assert handler.runs == 1
    done = await queue.get("acme", job.id)
    assert done is not None and done.status is JobStatus.SUCCEEDED and done.attempts == 2
    # The first worker wakes up: its progress and its verdict are refused.
    progress = Progress(queue, first_claim, clock, LEASE)
    with pytest.raises(LeaseLost):
        await Recorder(steps=1).run(first_claim, progress)
    assert await queue.fail(first_claim, "late", clock.now()) is False
    assert (await queue.get("acme", job.id)).status is JobStatus.SUCCEEDED  # type: ignore[union-attr]


async def test_stopping_the_worker_releases_the_job_in_progress_to_the_queue() -> None:
    queue, clock = await world()
    job = await queued(queue, clock)
    started = asyncio.Event()

    class Slow:
        async def run(self, job: Job, progress: Progress) -> None:
            await progress.report(1, 10)
            started.set()
            await asyncio.sleep(3600)

    worker = JobWorker(JobRunner(queue, {"demo": Slow()}, clock, LEASE), min_idle=0.01)
    worker.start()
    await asyncio.wait_for(started.wait(), timeout=5)
    await asyncio.wait_for(worker.stop(), timeout=5)
    released = await queue.get("acme", job.id)
    assert released is not None and released.status is JobStatus.QUEUED
    assert (released.done, released.total, released.lease_expires_at) == (1, 10, None)


async def test_the_worker_picks_up_jobs_queued_while_it_idles() -> None:
    queue, clock = await world()
    handler = Recorder(steps=1)
    worker = JobWorker(JobRunner(queue, {"demo": handler}, clock, LEASE), min_idle=0.01)
    worker.start()
    try:
        await asyncio.sleep(0.05)  # idle polls first
        job = await queued(queue, clock)
        for _ in range(200):
            settled = await queue.get("acme", job.id)
            if settled is not None and settled.finished:
                break
            await asyncio.sleep(0.01)
    finally:
        await worker.stop()
    assert settled is not None and settled.status is JobStatus.SUCCEEDED


async def test_keep_alive_reports_during_a_long_step_and_notices_a_lost_lease() -> None:
    queue, clock = await world()
    await queued(queue, clock)
    short = timedelta(seconds=0.03)  # beats every 10 ms
    job = await queue.claim(clock.now(), short)
    assert job is not None
    progress = Progress(queue, job, clock, short)
    await progress.report(1, 2)
    async with progress.keep_alive():
        clock.advance(3600)  # an hour of step: only the beats keep the lease
        await asyncio.sleep(0.05)
    assert await queue.requeue_expired(clock.now()) == 0
    with pytest.raises(LeaseLost):
        async with progress.keep_alive():
            await queue.release(job, clock.now())  # taken away meanwhile
            await asyncio.sleep(0.05)
