"""In-memory ``EmbeddingStore`` over a ``MemoryStore``'s chunks (see ``itl_core.knowledge.
embedding`` and the PostgreSQL store for the rules it mirrors)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from itl_core.errors import ValidationFailed
from itl_core.knowledge.embedding import DEFAULT_EMBEDDING_MODEL, PendingChunk
from itl_core.knowledge.model import Chunk, DocumentStatus

from itl_adapters.memory.store import MemoryStore

__all__ = ["MemoryEmbeddingStore"]

INDEX_DIMENSIONS = 384


class MemoryEmbeddingStore:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._active: dict[str, str] = {}
        # (tenant, model) -> chunk id -> vector: the vectors of a model being introduced.
        self._staged: dict[tuple[str, str], dict[str, tuple[float, ...]]] = {}

    async def active_model(self, tenant_id: str, *, writing: bool = False) -> str:
        return self._active.get(tenant_id, DEFAULT_EMBEDDING_MODEL)

    async def prepare(self, tenant_id: str) -> None:
        self._store.require_tenant(tenant_id)
        self._active.setdefault(tenant_id, DEFAULT_EMBEDDING_MODEL)

    async def progress(self, tenant_id: str, model: str) -> tuple[int, int]:
        chunks = self._chunks(tenant_id)
        staged = self._staged_of(tenant_id, model)
        return sum(c.id in staged for c in chunks), len(chunks)

    async def pending(self, tenant_id: str, model: str, limit: int) -> list[PendingChunk]:
        staged = self._staged_of(tenant_id, model)
        waiting = sorted((c for c in self._chunks(tenant_id) if c.id not in staged), key=_id)
        return [
            PendingChunk(id=c.id, text=c.text, heading_path=c.heading_path) for c in waiting[:limit]
        ]

    async def store(
        self, tenant_id: str, model: str, vectors: Mapping[str, Sequence[float]]
    ) -> None:
        if any(len(v) != INDEX_DIMENSIONS for v in vectors.values()):
            raise ValidationFailed.single("embedding", f"must have {INDEX_DIMENSIONS} dimensions")
        staged = self._staged.setdefault((tenant_id, model), {})
        for chunk_id, vector in vectors.items():
            chunk = self._store.chunks.get(chunk_id)
            if chunk is not None and chunk.tenant_id == tenant_id:
                staged[chunk_id] = tuple(vector)

    async def switch(self, tenant_id: str, model: str, *, ingesting_since: datetime) -> bool:
        if tenant_id not in self._active:
            raise RuntimeError("prepare() the tenant before switching its model")
        chunks = self._chunks(tenant_id)
        staged = self._staged_of(tenant_id, model)
        processing = any(
            d.tenant_id == tenant_id
            and d.status is DocumentStatus.PROCESSING
            and d.created_at >= ingesting_since
            for d in self._store.documents.values()
        )
        if processing or any(c.id not in staged for c in chunks):
            return False
        for chunk in chunks:
            self._store.chunks[chunk.id] = replace(chunk, embedding=staged[chunk.id])
        self._active[tenant_id] = model
        await self.discard(tenant_id, keep=None)
        return True

    async def discard(self, tenant_id: str, *, keep: str | None) -> None:
        for key in [k for k in self._staged if k[0] == tenant_id and k[1] != keep]:
            del self._staged[key]

    def _chunks(self, tenant_id: str) -> list[Chunk]:
        return [c for c in self._store.chunks.values() if c.tenant_id == tenant_id]

    def _staged_of(self, tenant_id: str, model: str) -> dict[str, tuple[float, ...]]:
        """The staged vectors of chunks that still exist (deleting a chunk drops its vectors)."""
        staged = self._staged.get((tenant_id, model), {})
        return {k: v for k, v in staged.items() if k in self._store.chunks}


def _id(chunk: Chunk) -> str:
    return chunk.id
