"""In-memory ``JobQueue``: the PostgreSQL queue's rules over a dict (see ``itl_core.jobs``).

Each method runs without awaiting, so on one event loop it is atomic like the SQL statements.
Jobs of a tenant deleted from the store are gone, as the foreign key's cascade makes them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from itl_core.jobs.model import MAX_ATTEMPTS, Job, JobStatus
from itl_core.pagination import Page, PageRequest

from itl_adapters.memory.store import MemoryStore, owned, page_from, require_new_id

__all__ = ["MemoryJobQueue"]

_SUPERSEDED = "superseded by a newer job of the same kind"


class MemoryJobQueue:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._jobs: dict[str, Job] = {}

    async def enqueue(self, job: Job) -> Job:
        self._store.require_tenant(job.tenant_id)
        if (twin := self._queued_twin(job)) is not None:
            return twin
        require_new_id(self._jobs, job.id)
        self._jobs[job.id] = job
        return job

    async def get(self, tenant_id: str, job_id: str) -> Job | None:
        return owned(self._live(), tenant_id, job_id)

    async def list(self, tenant_id: str, page: PageRequest) -> Page[Job]:
        return page_from((j for j in self._live().values() if j.tenant_id == tenant_id), page)

    async def claim(self, now: datetime, lease: timedelta) -> Job | None:
        busy = {
            (j.tenant_id, j.kind)
            for j in self._live().values()
            if j.status is JobStatus.RUNNING and j.lease_expires_at and j.lease_expires_at >= now
        }
        queued = sorted(
            (
                j
                for j in self._live().values()
                if j.status is JobStatus.QUEUED and (j.tenant_id, j.kind) not in busy
            ),
            key=lambda j: (j.created_at, j.id),
        )
        if not queued:
            return None
        job = replace(
            queued[0],
            status=JobStatus.RUNNING,
            attempts=queued[0].attempts + 1,
            lease_expires_at=now + lease,
            started_at=queued[0].started_at or now,
            updated_at=now,
        )
        self._jobs[job.id] = job
        return job

    async def heartbeat(
        self, job: Job, *, done: int, total: int, now: datetime, lease: timedelta
    ) -> bool:
        return self._update_held(
            job, done=done, total=total, lease_expires_at=now + lease, updated_at=now
        )

    async def succeed(self, job: Job, now: datetime) -> bool:
        return self._settle(job, JobStatus.SUCCEEDED, None, now)

    async def fail(self, job: Job, error: str, now: datetime) -> bool:
        return self._settle(job, JobStatus.FAILED, error, now)

    async def release(self, job: Job, now: datetime) -> bool:
        if self._queued_twin(job) is None:
            return self._update_held(
                job, status=JobStatus.QUEUED, lease_expires_at=None, updated_at=now
            )
        return self._settle(job, JobStatus.FAILED, _SUPERSEDED, now)

    async def requeue_expired(self, now: datetime) -> int:
        touched = 0
        for job in sorted(self._expired(now), key=lambda j: (j.created_at, j.id)):
            if job.attempts >= MAX_ATTEMPTS:
                self._finish(job, JobStatus.FAILED, "its worker stopped repeatedly", now)
            elif self._queued_twin(job) is not None:
                self._finish(job, JobStatus.FAILED, _SUPERSEDED, now)
            else:
                self._jobs[job.id] = replace(
                    job, status=JobStatus.QUEUED, lease_expires_at=None, updated_at=now
                )
            touched += 1
        return touched

    def _live(self) -> dict[str, Job]:
        for job_id in [k for k, j in self._jobs.items() if j.tenant_id not in self._store.tenants]:
            del self._jobs[job_id]
        return self._jobs

    def _queued_twin(self, job: Job) -> Job | None:
        return next(
            (
                j
                for j in self._live().values()
                if j.status is JobStatus.QUEUED
                and (j.tenant_id, j.kind) == (job.tenant_id, job.kind)
                and j.id != job.id
            ),
            None,
        )

    def _expired(self, now: datetime) -> list[Job]:
        return [
            j
            for j in self._live().values()
            if j.status is JobStatus.RUNNING and j.lease_expires_at and j.lease_expires_at < now
        ]

    def _held(self, job: Job) -> Job | None:
        current = owned(self._live(), job.tenant_id, job.id)
        if current is None or current.status is not JobStatus.RUNNING:
            return None
        return current if current.attempts == job.attempts else None

    def _update_held(self, job: Job, **changes: object) -> bool:
        current = self._held(job)
        if current is None:
            return False
        self._jobs[job.id] = replace(current, **changes)  # type: ignore[arg-type]
        return True

    def _settle(self, job: Job, status: JobStatus, error: str | None, now: datetime) -> bool:
        current = self._held(job)
        if current is None:
            return False
        self._finish(current, status, error, now)
        return True

    def _finish(self, job: Job, status: JobStatus, error: str | None, now: datetime) -> None:
        self._jobs[job.id] = replace(
            job, status=status, error=error, lease_expires_at=None, updated_at=now, finished_at=now
        )
