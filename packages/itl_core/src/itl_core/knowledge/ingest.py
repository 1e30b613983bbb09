"""Ingesting a document: checks, dedupe by content hash, parse, chunk, embed, store.

Rules:

- Writers only (tenant admins; platform admins naming the tenant).
- Refused with nothing written: an empty file, one over ``max_bytes``, an unsupported type,
  and a file the parser cannot read (binary under a text name, a corrupt PDF): ValidationFailed
  with the reason.
- The same bytes again in the same tenant return the existing document (``created`` false),
  unless that one had failed: a failed document is replaced by a fresh attempt.
- Otherwise the document is recorded as ``processing`` first (the unique content hash makes a
  concurrent twin upload dedupe here too), then settled in one transaction as ``ready`` with all
  its chunks, or as ``failed`` with the reason and no chunk at all.
- Chunks are embedded with the tenant's active embedding model, read after the document is
  recorded as processing (see ``itl_core.knowledge.embedding`` for why that order matters).
- A ready document queues the tenant's ``index`` job when it is large enough to need its own
  search indexes (``itl_core.knowledge.indexing``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from itl_core.access import Principal, require_role, target_tenant
from itl_core.clock import Clock
from itl_core.errors import Conflict, DomainError, ValidationFailed
from itl_core.ids import IdGenerator
from itl_core.knowledge.chunking import ChunkDraft, chunk_blocks
from itl_core.knowledge.embedding import EmbedderSource
from itl_core.knowledge.indexing import IndexScheduler
from itl_core.knowledge.model import Chunk, Document, DocumentStatus
from itl_core.knowledge.ports import DocumentParser, DocumentRepository
from itl_core.knowledge.use_cases import WRITERS
from itl_core.llm.ports import Embedder

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
EMBED_BATCH = 64
MAX_TITLE = 200


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestDocumentRequest:
    """``filename`` decides the format (by extension); ``title`` defaults to the file's own."""

    principal: Principal
    tenant_id: str | None
    filename: str
    content: bytes
    title: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestResult:
    document: Document
    created: bool


class IngestDocument:
    def __init__(
        self,
        documents: DocumentRepository,
        parser: DocumentParser,
        embedders: EmbedderSource,
        clock: Clock,
        ids: IdGenerator,
        max_bytes: int = DEFAULT_MAX_BYTES,
        indexes: IndexScheduler | None = None,
    ) -> None:
        self._documents, self._parser, self._embedders = documents, parser, embedders
        self._clock, self._ids, self._max_bytes = clock, ids, max_bytes
        self._indexes = indexes

    async def execute(self, request: IngestDocumentRequest) -> IngestResult:
        require_role(request.principal, *WRITERS)
        tenant_id = target_tenant(request.principal, request.tenant_id)
        self._check(request)
        content_hash = hashlib.sha256(request.content).hexdigest()
        existing = await self._documents.find_by_hash(tenant_id, content_hash)
        if existing is not None and existing.status is not DocumentStatus.FAILED:
            return IngestResult(document=existing, created=False)
        parsed = await self._parser.parse(request.filename, request.content)
        drafts = chunk_blocks(parsed.blocks)
        if not drafts:
            raise ValidationFailed.single("file", "contains no text to index")
        if existing is not None:
            await self._documents.delete(tenant_id, existing.id)
        document = Document(
            id=self._ids.new_id(),
            tenant_id=tenant_id,
            title=_title(request.title, parsed.title, request.filename),
            content_hash=content_hash,
            status=DocumentStatus.PROCESSING,
            bytes=len(request.content),
            created_at=self._clock.now(),
        )
        try:
            await self._documents.add(document, [])
        except Conflict:  # a concurrent upload of the same bytes won the race
            twin = await self._documents.find_by_hash(tenant_id, content_hash)
            if twin is None:
                raise
            return IngestResult(document=twin, created=False)
        return IngestResult(document=await self._settle(document, drafts), created=True)

    def _check(self, request: IngestDocumentRequest) -> None:
        if not request.content:
            raise ValidationFailed.single("file", "is empty")
        if len(request.content) > self._max_bytes:
            raise ValidationFailed.single("file", f"is larger than {self._max_bytes} bytes")
        if not self._parser.supports(request.filename):
            raise ValidationFailed.single(
                "file", f"unsupported type {PurePosixPath(request.filename).suffix or '(none)'!r}"
            )

    async def _settle(self, document: Document, drafts: Sequence[ChunkDraft]) -> Document:
        try:
            embedder = await self._embedders.for_tenant(document.tenant_id, writing=True)
            chunks = await self._chunks(document, drafts, embedder)
        except DomainError as e:
            return await self._fail(document, e.message)
        except Exception:
            await self._fail(document, "an internal error stopped the ingestion")
            raise
        ready = replace(document, status=DocumentStatus.READY, chunks=len(chunks))
        await self._documents.finish(ready, chunks)
        if self._indexes is not None:
            await self._indexes.schedule(document.tenant_id)
        return ready

    async def _fail(self, document: Document, reason: str) -> Document:
        failed = replace(document, status=DocumentStatus.FAILED, failure_reason=reason)
        await self._documents.finish(failed, [])
        return failed

    async def _chunks(
        self, document: Document, drafts: Sequence[ChunkDraft], embedder: Embedder
    ) -> list[Chunk]:
        vectors: list[list[float]] = []
        for start in range(0, len(drafts), EMBED_BATCH):
            batch = drafts[start : start + EMBED_BATCH]
            vectors.extend(await embedder.embed([d.indexed_text for d in batch]))
        dims = embedder.dimensions
        if len(vectors) != len(drafts) or any(len(v) != dims for v in vectors):
            # Never store a mix of dimensions: the index compares vectors of one space only.
            raise ValidationFailed.single(
                "embedding", f"the embedder did not return {dims}-d vectors"
            )
        return [
            Chunk(
                id=self._ids.new_id(),
                tenant_id=document.tenant_id,
                document_id=document.id,
                position=d.position,
                text=d.text,
                heading_path=d.heading_path,
                embedding=tuple(v),
            )
            for d, v in zip(drafts, vectors, strict=True)
        ]


def _title(given: str | None, parsed: str | None, filename: str) -> str:
    for candidate in (given, parsed, PurePosixPath(filename).stem, "Untitled"):
        if candidate and candidate.strip():
            return " ".join(candidate.split())[:MAX_TITLE]
    return "Untitled"
