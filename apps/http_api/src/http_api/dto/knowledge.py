"""Knowledge base wire formats."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from itl_core.knowledge.model import Document, DocumentStatus
from itl_core.knowledge.search import SearchHit
from itl_core.knowledge.use_cases import MAX_K, MAX_QUERY_CHARS

from http_api.dto.common import Name, StrictIn

DocumentId = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class DocumentTextIn(StrictIn):
    """The JSON form of an upload: the text is ingested as Markdown."""

    title: Name
    text: str


class SearchIn(StrictIn):
    query: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_QUERY_CHARS)]
    k: Annotated[int, msgspec.Meta(ge=1, le=MAX_K)] = 5
    document_ids: Annotated[list[DocumentId], msgspec.Meta(max_length=100)] | None = None


class DocumentOut(msgspec.Struct, kw_only=True):
    id: str
    title: str
    status: DocumentStatus
    chunks: int
    bytes: int
    failure_reason: str | None
    created_at: datetime

    @classmethod
    def of(cls, document: Document) -> DocumentOut:
        return cls(
            id=document.id,
            title=document.title,
            status=document.status,
            chunks=document.chunks,
            bytes=document.bytes,
            failure_reason=document.failure_reason,
            created_at=document.created_at,
        )


class DocumentPageOut(msgspec.Struct, kw_only=True):
    items: list[DocumentOut]
    next_cursor: str | None


class SearchHitOut(msgspec.Struct, kw_only=True):
    document_id: str
    chunk_id: str
    title: str
    text: str
    score: float
    heading_path: list[str]

    @classmethod
    def of(cls, hit: SearchHit) -> SearchHitOut:
        return cls(
            document_id=hit.document_id,
            chunk_id=hit.chunk_id,
            title=hit.title,
            text=hit.text,
            score=hit.score,
            heading_path=list(hit.heading_path),
        )


class SearchOut(msgspec.Struct, kw_only=True):
    items: list[SearchHitOut]
