"""A background job: one tenant's unit of slow work, with its progress.

Life cycle::

    queued ──claim──> running ──> succeeded
       ^                 │  └───> failed      (the handler raised, or attempts ran out)
       └──lease expired──┘                    (the worker died: another one takes it over)

A running job holds a lease that its worker extends each time it reports progress; a job whose
lease expired is queued again (``JobQueue.requeue_expired``) unless it has used up its attempts.
``attempts`` counts claims and doubles as the fencing token: a worker whose lease was taken
over can no longer report progress or settle the job.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

MAX_ATTEMPTS = 3


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True, slots=True, kw_only=True)
class Job:
    """``done`` of ``total`` units are finished (``total`` is 0 until the job knows it)."""

    id: str
    tenant_id: str
    kind: str
    payload: Mapping[str, Any] = field(default_factory=dict)
    status: JobStatus = JobStatus.QUEUED
    done: int = 0
    total: int = 0
    error: str | None = None
    attempts: int = 0
    lease_expires_at: datetime | None = None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)
