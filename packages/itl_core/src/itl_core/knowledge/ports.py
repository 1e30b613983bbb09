"""Knowledge repository port (retrieval ports arrive with the RAG work)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from itl_core.knowledge.model import Chunk, Document
from itl_core.pagination import Page, PageRequest


class DocumentRepository(Protocol):
    """A tenant's documents; ``find_by_hash`` lets re-uploads of the same content dedupe."""

    async def get(self, tenant_id: str, document_id: str) -> Document | None: ...

    async def find_by_hash(self, tenant_id: str, content_hash: str) -> Document | None: ...

    async def list(self, tenant_id: str, page: PageRequest) -> Page[Document]: ...

    async def add(self, document: Document, chunks: Sequence[Chunk]) -> None: ...

    async def delete(self, tenant_id: str, document_id: str) -> bool: ...
