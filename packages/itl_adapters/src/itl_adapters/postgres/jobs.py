"""PostgreSQL ``JobQueue`` (migration 0012): the table is the queue.

Claiming is one statement: the oldest queued job whose tenant and kind has no live running job,
locked with ``FOR UPDATE SKIP LOCKED`` so concurrent workers (any number of API processes) each
take a different row and never wait on each other, then marked running in the same statement.
Claiming and re-queueing span every tenant, so they run in the platform scope; reading a job
runs in its tenant's scope.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from itl_core.errors import Conflict
from itl_core.jobs.model import MAX_ATTEMPTS, Job, JobStatus
from itl_core.pagination import Page, PageRequest
from psycopg.types.json import Jsonb

from itl_adapters.postgres._sql import Row, execute, fetch_one, fetch_page
from itl_adapters.postgres.database import Database

__all__ = ["PgJobQueue"]

_COLUMNS = (
    "id, tenant_id, kind, payload, status, done, total, error, attempts, lease_expires_at,"
    " created_at, updated_at, started_at, finished_at"
)
_SELECT = f"SELECT {_COLUMNS} FROM jobs WHERE tenant_id = %s"
_INSERT = (
    f"INSERT INTO jobs ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (tenant_id, kind) WHERE status = 'queued' DO NOTHING"
)
_CLAIM = f"""
    UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_expires_at = %(until)s,
                    started_at = coalesce(started_at, %(now)s), updated_at = %(now)s
    WHERE id = (
        SELECT q.id FROM jobs q
        WHERE q.status = 'queued' AND NOT EXISTS (
            SELECT 1 FROM jobs r WHERE r.status = 'running' AND r.tenant_id = q.tenant_id
              AND r.kind = q.kind AND r.lease_expires_at >= %(now)s)
        ORDER BY q.created_at, q.id LIMIT 1
        FOR UPDATE SKIP LOCKED)
    RETURNING {_COLUMNS}"""
# Holding the claim: still running under the attempt that claimed it.
_HELD = "id = %(id)s AND tenant_id = %(tenant)s AND status = 'running' AND attempts = %(attempts)s"
_HEARTBEAT = (
    "UPDATE jobs SET done = %(done)s, total = %(total)s, lease_expires_at = %(until)s,"
    f" updated_at = %(now)s WHERE {_HELD}"
)
_SETTLE = (
    "UPDATE jobs SET status = %(status)s, error = %(error)s, lease_expires_at = NULL,"
    f" updated_at = %(now)s, finished_at = %(now)s WHERE {_HELD}"
)
_TWIN_QUEUED = (
    "EXISTS (SELECT 1 FROM jobs t WHERE t.status = 'queued' AND t.tenant_id = jobs.tenant_id"
    " AND t.kind = jobs.kind)"
)
_RELEASE = (
    "UPDATE jobs SET status = 'queued', lease_expires_at = NULL, updated_at = %(now)s"
    f" WHERE {_HELD} AND NOT {_TWIN_QUEUED}"
)
_SUPERSEDED = "superseded by a newer job of the same kind"
_EXPIRED = "status = 'running' AND lease_expires_at < %(now)s"
_FAIL_EXPIRED = (
    "UPDATE jobs SET status = 'failed', error = %(error)s, lease_expires_at = NULL,"
    " updated_at = %(now)s, finished_at = %(now)s WHERE "
)
_OUT_OF_ATTEMPTS = _FAIL_EXPIRED + f"{_EXPIRED} AND attempts >= %(max)s"
_SUPERSEDE = _FAIL_EXPIRED + f"{_EXPIRED} AND {_TWIN_QUEUED}"
# Oldest first, one per tenant and kind: the unique index admits one queued job of each. The
# outer status test is re-checked after waiting on a row lock: two workers re-queueing at once
# touch each row once.
_REQUEUE = f"""
    UPDATE jobs SET status = 'queued', lease_expires_at = NULL, updated_at = %(now)s
    WHERE status = 'running' AND id IN (
        SELECT DISTINCT ON (tenant_id, kind) id FROM jobs
        WHERE {_EXPIRED} ORDER BY tenant_id, kind, created_at, id)"""


def _job(row: Row) -> Job:
    return Job(**{**row, "status": JobStatus(row["status"])})


def _held(job: Job, now: datetime) -> dict[str, object]:
    return {"id": job.id, "tenant": job.tenant_id, "attempts": job.attempts, "now": now}


class PgJobQueue:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def enqueue(self, job: Job) -> Job:
        async with self._db.tenant(job.tenant_id) as conn:
            inserted = await execute(
                conn,
                _INSERT,
                [
                    job.id,
                    job.tenant_id,
                    job.kind,
                    Jsonb(dict(job.payload)),
                    job.status.value,
                    job.done,
                    job.total,
                    job.error,
                    job.attempts,
                    job.lease_expires_at,
                    job.created_at,
                    job.updated_at,
                    job.started_at,
                    job.finished_at,
                ],
            )
            if inserted:
                return job
            row = await fetch_one(
                conn, f"{_SELECT} AND kind = %s AND status = 'queued'", [job.tenant_id, job.kind]
            )
        if row is None:  # the twin was claimed between the two statements
            raise Conflict("A job of this kind was just started; try again.")
        return _job(row)

    async def get(self, tenant_id: str, job_id: str) -> Job | None:
        async with self._db.tenant(tenant_id) as conn:
            row = await fetch_one(conn, f"{_SELECT} AND id = %s", [tenant_id, job_id])
        return _job(row) if row else None

    async def list(self, tenant_id: str, page: PageRequest) -> Page[Job]:
        async with self._db.tenant(tenant_id) as conn:
            return await fetch_page(conn, _SELECT, [tenant_id], page, _job)

    async def claim(self, now: datetime, lease: timedelta) -> Job | None:
        async with self._db.platform() as conn:  # a worker serves every tenant
            row = await fetch_one(conn, _CLAIM, {"now": now, "until": now + lease})
        return _job(row) if row else None

    async def heartbeat(
        self, job: Job, *, done: int, total: int, now: datetime, lease: timedelta
    ) -> bool:
        params = {**_held(job, now), "done": done, "total": total, "until": now + lease}
        async with self._db.tenant(job.tenant_id) as conn:
            return bool(await execute(conn, _HEARTBEAT, params))

    async def succeed(self, job: Job, now: datetime) -> bool:
        return await self._settle(job, JobStatus.SUCCEEDED, None, now)

    async def fail(self, job: Job, error: str, now: datetime) -> bool:
        return await self._settle(job, JobStatus.FAILED, error, now)

    async def release(self, job: Job, now: datetime) -> bool:
        async with self._db.tenant(job.tenant_id) as conn:
            if await execute(conn, _RELEASE, _held(job, now)):
                return True
        return await self._settle(job, JobStatus.FAILED, _SUPERSEDED, now)

    async def requeue_expired(self, now: datetime) -> int:
        stopped = {"now": now, "max": MAX_ATTEMPTS, "error": "its worker stopped repeatedly"}
        superseded = {"now": now, "error": _SUPERSEDED}
        async with self._db.platform() as conn:  # expired leases of any tenant
            touched = await execute(conn, _OUT_OF_ATTEMPTS, stopped)
            touched += await execute(conn, _SUPERSEDE, superseded)
            touched += await execute(conn, _REQUEUE, {"now": now})
            # Twins that expired together: the oldest was queued again, the others give way.
            touched += await execute(conn, _SUPERSEDE, superseded)
        return touched

    async def _settle(self, job: Job, status: JobStatus, error: str | None, now: datetime) -> bool:
        params = {**_held(job, now), "status": status.value, "error": error}
        async with self._db.tenant(job.tenant_id) as conn:
            return bool(await execute(conn, _SETTLE, params))
