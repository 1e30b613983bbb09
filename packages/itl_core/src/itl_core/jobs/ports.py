"""The job queue port."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from itl_core.jobs.model import Job
from itl_core.pagination import Page, PageRequest


class JobQueue(Protocol):
    """Durable jobs of every tenant, safe to share between processes.

    - ``enqueue`` stores a queued job, unless the tenant already has a queued job of that kind:
      then that one is answered instead (a queued job does its work from the current state when
      it runs, so a second one would only repeat it).
    - ``claim`` hands the oldest queued job to exactly one caller, however many call at once,
      and never a job of a tenant and kind that another worker is running; it marks it running
      with a lease until ``now + lease`` and counts the attempt.
    - ``heartbeat``, ``succeed``, ``fail`` and ``release`` act only while the caller still holds
      the claim (same ``attempts``, still running) and answer whether it did.
    - ``requeue_expired`` queues again the running jobs whose lease ended before ``now`` (or
      fails those out of attempts, or whose tenant already queued a successor) and answers how
      many it touched.
    """

    async def enqueue(self, job: Job) -> Job: ...

    async def get(self, tenant_id: str, job_id: str) -> Job | None: ...

    async def list(self, tenant_id: str, page: PageRequest) -> Page[Job]: ...

    async def claim(self, now: datetime, lease: timedelta) -> Job | None: ...

    async def heartbeat(
        self, job: Job, *, done: int, total: int, now: datetime, lease: timedelta
    ) -> bool: ...

    async def succeed(self, job: Job, now: datetime) -> bool: ...

    async def fail(self, job: Job, error: str, now: datetime) -> bool: ...

    async def release(self, job: Job, now: datetime) -> bool:
        """Queue the job again at once (its worker is shutting down)."""
        ...

    async def requeue_expired(self, now: datetime) -> int: ...
