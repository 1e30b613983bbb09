"""PostgreSQL knowledge documents; a document and its chunks are written in one transaction,
the chunks with binary COPY (one stream however many there are, no text round trip of vectors).

PostgreSQL refuses ``COPY FROM`` into a table with row-level security, so chunks are copied into
a transaction-scoped temporary table (not subject to RLS) and moved with one INSERT ... SELECT,
which the policy's WITH CHECK still inspects row by row.
"""

from __future__ import annotations

from collections.abc import Sequence

from itl_core.errors import NotFound, ValidationFailed
from itl_core.knowledge.model import Chunk, Document, DocumentStatus
from itl_core.pagination import Page, PageRequest
from pgvector import Vector
from psycopg import AsyncConnection

from itl_adapters.postgres._sql import Row, execute, fetch_one, fetch_page
from itl_adapters.postgres.database import Database

_COLUMNS = "id, tenant_id, title, content_hash, status, bytes, chunks, failure_reason, created_at"
_SELECT = f"SELECT {_COLUMNS} FROM knowledge_documents WHERE tenant_id = %s"
# The column is vector(384): a vector of another length would fail the whole COPY with an opaque
# error, and vectors of two models must never share an index, so lengths are checked first.
EMBEDDING_DIMENSIONS = 384
_CHUNK_COLUMNS = "id, tenant_id, document_id, position, text, heading_path, embedding"
_CHUNK_TYPES = ("text", "text", "text", "int4", "text", "text[]", "vector")
_STAGE_CHUNKS = (
    "CREATE TEMPORARY TABLE chunk_stage (id text, tenant_id text, document_id text,"
    " position integer, text text, heading_path text[], embedding vector(384)) ON COMMIT DROP"
)
_COPY_CHUNKS = f"COPY chunk_stage ({_CHUNK_COLUMNS}) FROM STDIN (FORMAT BINARY)"
_MOVE_CHUNKS = (
    f"INSERT INTO knowledge_chunks ({_CHUNK_COLUMNS}) SELECT {_CHUNK_COLUMNS} FROM chunk_stage"
)


def _document(row: Row) -> Document:
    return Document(**{**row, "status": DocumentStatus(row["status"])})


class PgDocumentRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, tenant_id: str, document_id: str) -> Document | None:
        async with self._db.tenant(tenant_id) as conn:
            row = await fetch_one(conn, f"{_SELECT} AND id = %s", [tenant_id, document_id])
        return _document(row) if row else None

    async def find_by_hash(self, tenant_id: str, content_hash: str) -> Document | None:
        async with self._db.tenant(tenant_id) as conn:
            row = await fetch_one(
                conn, f"{_SELECT} AND content_hash = %s", [tenant_id, content_hash]
            )
        return _document(row) if row else None

    async def list(self, tenant_id: str, page: PageRequest) -> Page[Document]:
        async with self._db.tenant(tenant_id) as conn:
            return await fetch_page(conn, _SELECT, [tenant_id], page, _document)

    async def add(self, document: Document, chunks: Sequence[Chunk]) -> None:
        """Raises Conflict when the tenant already has a document with the same content hash;
        chunks of another document or tenant are refused by the (tenant_id, document_id) key."""
        async with self._db.tenant(document.tenant_id) as conn:
            await execute(
                conn,
                f"INSERT INTO knowledge_documents ({_COLUMNS})"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    document.id,
                    document.tenant_id,
                    document.title,
                    document.content_hash,
                    document.status.value,
                    document.bytes,
                    document.chunks,
                    document.failure_reason,
                    document.created_at,
                ],
            )
            await copy_chunks(conn, chunks)

    async def finish(self, document: Document, chunks: Sequence[Chunk]) -> None:
        async with self._db.tenant(document.tenant_id) as conn:
            updated = await execute(
                conn,
                "UPDATE knowledge_documents SET status = %s, chunks = %s, failure_reason = %s"
                " WHERE tenant_id = %s AND id = %s",
                [
                    document.status.value,
                    document.chunks,
                    document.failure_reason,
                    document.tenant_id,
                    document.id,
                ],
            )
            if not updated:
                raise NotFound("The document does not exist.")
            await copy_chunks(conn, chunks)

    async def delete(self, tenant_id: str, document_id: str) -> bool:
        async with self._db.tenant(tenant_id) as conn:
            return bool(
                await execute(
                    conn,
                    "DELETE FROM knowledge_documents WHERE tenant_id = %s AND id = %s",
                    [tenant_id, document_id],
                )
            )


async def copy_chunks(conn: AsyncConnection, chunks: Sequence[Chunk]) -> None:
    """Stage ``chunks`` with binary COPY and move them into the table, inside ``conn``'s
    transaction (the caller's tenant scope applies to the move)."""
    if not chunks:
        return
    for c in chunks:
        if c.embedding is not None and len(c.embedding) != EMBEDDING_DIMENSIONS:
            raise ValidationFailed.single(
                "embedding", f"must have {EMBEDDING_DIMENSIONS} dimensions, not {len(c.embedding)}"
            )
    await execute(conn, _STAGE_CHUNKS, [])
    async with conn.cursor() as cur, cur.copy(_COPY_CHUNKS) as copy:
        copy.set_types(list(_CHUNK_TYPES))
        for c in chunks:
            await copy.write_row(
                (
                    c.id,
                    c.tenant_id,
                    c.document_id,
                    c.position,
                    c.text,
                    list(c.heading_path),
                    Vector(list(c.embedding)) if c.embedding is not None else None,
                )
            )
    await execute(conn, _MOVE_CHUNKS, [])
