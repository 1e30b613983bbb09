"""Knowledge documents and chunks."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class DocumentStatus(enum.StrEnum):
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    id: str
    tenant_id: str
    title: str
    content_hash: str
    status: DocumentStatus
    bytes: int
    chunks: int = 0
    failure_reason: str | None = None
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Chunk:
    """A retrievable passage; ``heading_path`` is kept for citations."""

    id: str
    tenant_id: str
    document_id: str
    position: int
    text: str
    heading_path: tuple[str, ...] = ()
    embedding: tuple[float, ...] | None = None
