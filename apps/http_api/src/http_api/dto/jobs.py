"""Background job and embedding-model wire formats."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from itl_core.jobs.model import Job, JobStatus
from itl_core.knowledge.embedding import EmbeddingModel, EmbeddingSettings

from http_api.dto.common import StrictIn


class JobOut(msgspec.Struct, kw_only=True):
    """``done`` of ``total`` units (chunks, for ``reembed``) are finished."""

    id: str
    kind: str
    status: JobStatus
    done: int
    total: int
    error: str | None
    attempts: int
    payload: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, job: Job) -> JobOut:
        return cls(
            id=job.id,
            kind=job.kind,
            status=job.status,
            done=job.done,
            total=job.total,
            error=job.error,
            attempts=job.attempts,
            payload=dict(job.payload),
            created_at=job.created_at,
            updated_at=job.updated_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
        )


class JobPageOut(msgspec.Struct, kw_only=True):
    items: list[JobOut]
    next_cursor: str | None


class EmbeddingModelOut(msgspec.Struct, kw_only=True):
    """``provider``: the vendor whose key the tenant needs to use the model (null: none)."""

    name: str
    dimensions: int
    description: str
    provider: str | None

    @classmethod
    def of(cls, model: EmbeddingModel) -> EmbeddingModelOut:
        return cls(
            name=model.name,
            dimensions=model.dimensions,
            description=model.description,
            provider=model.provider,
        )


class EmbeddingSettingsOut(msgspec.Struct, kw_only=True):
    """``active_model`` serves searches; ``requested_model`` replaces it when ``job`` is done."""

    active_model: str
    requested_model: str
    models: list[EmbeddingModelOut]
    job: JobOut | None

    @classmethod
    def of(cls, settings: EmbeddingSettings) -> EmbeddingSettingsOut:
        return cls(
            active_model=settings.active_model,
            requested_model=settings.requested_model,
            models=[EmbeddingModelOut.of(m) for m in settings.models],
            job=JobOut.of(settings.job) if settings.job is not None else None,
        )


class EmbeddingModelIn(StrictIn):
    model: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
