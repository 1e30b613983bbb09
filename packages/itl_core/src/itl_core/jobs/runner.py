"""Running jobs: the handler contract, one claim-run-settle step, and the polling worker loop.

A handler does the work of one job kind. It reports progress through ``Progress``, which also
extends the job's lease; when the lease was lost (another worker took the job over after this
one stalled) ``report`` raises ``LeaseLost`` and the handler's work stops there. Handlers must
be safe to run again from the start: a job interrupted by a crash or a shutdown runs again.

The worker polls: after a job it looks for the next one at once; when the queue is empty or the
database fails it waits, doubling the wait up to ``max_idle``, so an idle fleet costs a query
every few seconds per process. ``stop`` ends the loop; a job still running is cancelled and
released back to the queue, so shutdown never waits for a long job.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager, suppress
from datetime import timedelta
from typing import Protocol

from itl_core.clock import Clock
from itl_core.errors import DomainError
from itl_core.jobs.model import Job
from itl_core.jobs.ports import JobQueue

log = logging.getLogger(__name__)

DEFAULT_LEASE = timedelta(seconds=60)


class LeaseLost(Exception):
    """The job is no longer this worker's: it must stop without settling it."""


class Progress:
    """What a handler calls to report ``done`` of ``total``; extends the lease each time."""

    def __init__(self, queue: JobQueue, job: Job, clock: Clock, lease: timedelta) -> None:
        self._queue, self._job, self._clock, self._lease = queue, job, clock, lease
        self._last = (job.done, job.total)

    async def report(self, done: int, total: int) -> None:
        self._last = (done, total)
        held = await self._queue.heartbeat(
            self._job, done=done, total=total, now=self._clock.now(), lease=self._lease
        )
        if not held:
            raise LeaseLost(self._job.id)

    @asynccontextmanager
    async def keep_alive(self) -> AsyncIterator[None]:
        """Around one long step that cannot report (an index build, say): the last progress
        is re-reported every third of the lease, so the job is not taken for abandoned. A lease
        lost meanwhile raises ``LeaseLost`` once the step ends."""
        lost = asyncio.Event()

        async def beat() -> None:
            while True:
                await asyncio.sleep(self._lease.total_seconds() / 3)
                try:
                    await self.report(*self._last)
                except LeaseLost:
                    lost.set()
                    return

        beating = asyncio.create_task(beat())
        try:
            yield
        finally:
            beating.cancel()
            with suppress(asyncio.CancelledError):
                await beating
        if lost.is_set():
            raise LeaseLost(self._job.id)


class JobHandler(Protocol):
    """Does the work of one kind of job (see the module docstring for the contract)."""

    async def run(self, job: Job, progress: Progress) -> None: ...


class JobRunner:
    """Claims one job and runs it with the handler of its kind."""

    def __init__(
        self,
        queue: JobQueue,
        handlers: Mapping[str, JobHandler],
        clock: Clock,
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:
        self._queue, self._handlers, self._clock, self._lease = queue, handlers, clock, lease

    async def run_next(self) -> Job | None:
        """Run the next job to its end; None when there was none to claim."""
        now = self._clock.now()
        if requeued := await self._queue.requeue_expired(now):
            log.warning("re-queued %d job(s) whose worker stopped reporting", requeued)
        job = await self._queue.claim(now, self._lease)
        if job is None:
            return None
        handler = self._handlers.get(job.kind)
        if handler is None:
            await self._queue.fail(job, f"no handler for jobs of kind {job.kind!r}", now)
            return job
        try:
            await handler.run(job, Progress(self._queue, job, self._clock, self._lease))
        except LeaseLost:
            log.warning("job %s (%s) was taken over by another worker", job.id, job.kind)
        except asyncio.CancelledError:
            await asyncio.shield(self._queue.release(job, self._clock.now()))
            raise
        except DomainError as e:
            await self._queue.fail(job, e.message, self._clock.now())
        except Exception:
            log.exception("job %s (%s) failed", job.id, job.kind)
            await self._queue.fail(job, "an internal error stopped the job", self._clock.now())
        else:
            await self._queue.succeed(job, self._clock.now())
        return job


class JobWorker:
    """The polling loop around a ``JobRunner`` (see the module docstring)."""

    def __init__(self, runner: JobRunner, *, min_idle: float = 0.5, max_idle: float = 10.0) -> None:
        self._runner, self._min_idle, self._max_idle = runner, min_idle, max_idle
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="itl-job-worker")

    async def stop(self) -> None:
        """End the loop; a job in progress is released to the queue (see ``JobRunner``)."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task

    async def _loop(self) -> None:
        idle = self._min_idle
        while True:
            try:
                ran = await self._runner.run_next()
            except Exception as e:  # the database is down, say: wait and try again
                log.warning("job worker: %s; retrying in %.1fs", e, idle)
                ran = None
            if ran is not None:
                idle = self._min_idle
                continue
            await asyncio.sleep(idle)
            idle = min(idle * 2, self._max_idle)
