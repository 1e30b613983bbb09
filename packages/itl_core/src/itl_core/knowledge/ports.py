"""Knowledge ports: the document store and the parser (retrieval is in ``search``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from itl_core.knowledge.model import Chunk, Document, ParsedDocument
from itl_core.pagination import Page, PageRequest


class DocumentRepository(Protocol):
    """A tenant's documents; ``find_by_hash`` lets re-uploads of the same content dedupe."""

    async def get(self, tenant_id: str, document_id: str) -> Document | None: ...

    async def find_by_hash(self, tenant_id: str, content_hash: str) -> Document | None: ...

    async def list(self, tenant_id: str, page: PageRequest) -> Page[Document]: ...

    async def add(self, document: Document, chunks: Sequence[Chunk]) -> None: ...

    async def finish(self, document: Document, chunks: Sequence[Chunk]) -> None:
        """Settle a stored document: write its final status, counts and reason together with
        its chunks, all or nothing (NotFound if it is gone, e.g. deleted meanwhile)."""
        ...

    async def delete(self, tenant_id: str, document_id: str) -> bool: ...


class DocumentParser(Protocol):
    """Extracts structure from an uploaded file; ValidationFailed names why a file is unusable
    (unsupported type, not text, corrupt), so the caller can record or report the reason."""

    def supports(self, filename: str) -> bool: ...

    async def parse(self, filename: str, content: bytes) -> ParsedDocument: ...
