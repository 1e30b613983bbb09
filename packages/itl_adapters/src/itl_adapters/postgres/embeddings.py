"""PostgreSQL ``EmbeddingStore`` (migration 0012): a tenant's active embedding model, and the
vectors of the model being introduced, kept beside the searchable ones until the switch.

The switch is one transaction in the tenant's scope: it locks the tenant's model row (ingestion
reads it ``FOR SHARE``, so an upload either finished reading before or reads the new model
after), checks that every chunk has a vector of the new model and that no recent upload is
still processing, then moves the vectors into ``knowledge_chunks``, records the model and
deletes the moved vectors. Moved rows are marked not ``indexed``: re-inserting every vector into
the HNSW graph inside the switch would take milliseconds per row; search reads unindexed rows
exactly, and ``PgVectorIndexer`` promotes them again afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from itl_core.errors import ValidationFailed
from itl_core.knowledge.embedding import DEFAULT_EMBEDDING_MODEL, PendingChunk
from pgvector import Vector

from itl_adapters.postgres._sql import execute, fetch_all, fetch_one
from itl_adapters.postgres.database import Database
from itl_adapters.postgres.knowledge import EMBEDDING_DIMENSIONS

__all__ = ["PgEmbeddingStore"]

# Moving a large tenant's vectors is one statement over all its chunks; it may take longer
# than a request's statement timeout, and runs off the request path.
SWITCH_TIMEOUT_MS = 300_000

_MODEL = "SELECT model FROM knowledge_embedding_models WHERE tenant_id = %s"
_PREPARE = (
    "INSERT INTO knowledge_embedding_models (tenant_id, model) VALUES (%s, %s)"
    " ON CONFLICT (tenant_id) DO NOTHING"
)
_PROGRESS = """
    SELECT count(e.chunk_id) AS done, count(*) AS total FROM knowledge_chunks c
    LEFT JOIN knowledge_chunk_embeddings e
      ON e.tenant_id = c.tenant_id AND e.model = %(model)s AND e.chunk_id = c.id
    WHERE c.tenant_id = %(tenant)s"""
_PENDING = """
    SELECT c.id, c.text, c.heading_path FROM knowledge_chunks c
    WHERE c.tenant_id = %(tenant)s AND NOT EXISTS (
        SELECT 1 FROM knowledge_chunk_embeddings e
        WHERE e.tenant_id = c.tenant_id AND e.model = %(model)s AND e.chunk_id = c.id)
    ORDER BY c.id LIMIT %(limit)s"""
# Chunks deleted since they were read are skipped (the join), not an error.
_STORE = """
    INSERT INTO knowledge_chunk_embeddings (tenant_id, model, chunk_id, embedding)
    SELECT %(tenant)s, %(model)s, c.id, v.embedding
    FROM unnest(%(ids)s::text[], %(vectors)s::vector[]) AS v (chunk_id, embedding)
    JOIN knowledge_chunks c ON c.tenant_id = %(tenant)s AND c.id = v.chunk_id
    ON CONFLICT (tenant_id, model, chunk_id) DO UPDATE SET embedding = excluded.embedding"""
_BLOCKED = """
    SELECT EXISTS (
        SELECT 1 FROM knowledge_chunks c WHERE c.tenant_id = %(tenant)s AND NOT EXISTS (
            SELECT 1 FROM knowledge_chunk_embeddings e
            WHERE e.tenant_id = c.tenant_id AND e.model = %(model)s AND e.chunk_id = c.id))
    OR EXISTS (
        SELECT 1 FROM knowledge_documents d WHERE d.tenant_id = %(tenant)s
          AND d.status = 'processing' AND d.created_at >= %(since)s) AS blocked"""
_MOVE = """
    UPDATE knowledge_chunks c SET embedding = e.embedding, indexed = false
    FROM knowledge_chunk_embeddings e
    WHERE c.tenant_id = %(tenant)s AND e.tenant_id = c.tenant_id AND e.model = %(model)s
      AND e.chunk_id = c.id"""
_RECORD = (
    "UPDATE knowledge_embedding_models SET model = %(model)s, switched_at = now()"
    " WHERE tenant_id = %(tenant)s"
)


class PgEmbeddingStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def active_model(self, tenant_id: str, *, writing: bool = False) -> str:
        async with self._db.tenant(tenant_id) as conn:
            row = await fetch_one(conn, _MODEL + (" FOR SHARE" if writing else ""), [tenant_id])
        return row["model"] if row else DEFAULT_EMBEDDING_MODEL

    async def prepare(self, tenant_id: str) -> None:
        async with self._db.tenant(tenant_id) as conn:
            await execute(conn, _PREPARE, [tenant_id, DEFAULT_EMBEDDING_MODEL])

    async def progress(self, tenant_id: str, model: str) -> tuple[int, int]:
        async with self._db.tenant(tenant_id) as conn:
            row = await fetch_one(conn, _PROGRESS, {"tenant": tenant_id, "model": model})
        assert row is not None
        return row["done"], row["total"]

    async def pending(self, tenant_id: str, model: str, limit: int) -> list[PendingChunk]:
        params = {"tenant": tenant_id, "model": model, "limit": limit}
        async with self._db.tenant(tenant_id) as conn:
            rows = await fetch_all(conn, _PENDING, params)
        return [
            PendingChunk(id=r["id"], text=r["text"], heading_path=tuple(r["heading_path"]))
            for r in rows
        ]

    async def store(
        self, tenant_id: str, model: str, vectors: Mapping[str, Sequence[float]]
    ) -> None:
        if any(len(v) != EMBEDDING_DIMENSIONS for v in vectors.values()):
            raise ValidationFailed.single(
                "embedding", f"must have {EMBEDDING_DIMENSIONS} dimensions"
            )
        params = {
            "tenant": tenant_id,
            "model": model,
            "ids": list(vectors),
            "vectors": [Vector(list(v)) for v in vectors.values()],
        }
        async with self._db.tenant(tenant_id) as conn:
            await execute(conn, _STORE, params)

    async def switch(self, tenant_id: str, model: str, *, ingesting_since: datetime) -> bool:
        params = {"tenant": tenant_id, "model": model, "since": ingesting_since}
        async with self._db.tenant(tenant_id) as conn:
            await conn.execute(
                "SELECT set_config('statement_timeout', %s, true)", [str(SWITCH_TIMEOUT_MS)]
            )
            locked = await fetch_one(conn, _MODEL + " FOR UPDATE", [tenant_id])
            if locked is None:
                raise RuntimeError("prepare() the tenant before switching its model")
            row = await fetch_one(conn, _BLOCKED, params)
            if row is None or row["blocked"]:
                return False
            await execute(conn, _MOVE, params)
            await execute(conn, _RECORD, params)
            await execute(
                conn,
                "DELETE FROM knowledge_chunk_embeddings WHERE tenant_id = %s",
                [tenant_id],
            )
        return True

    async def discard(self, tenant_id: str, *, keep: str | None) -> None:
        async with self._db.tenant(tenant_id) as conn:
            await execute(
                conn,
                "DELETE FROM knowledge_chunk_embeddings WHERE tenant_id = %s"
                " AND model IS DISTINCT FROM %s",
                [tenant_id, keep],
            )
