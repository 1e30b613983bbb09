"""Promotion of a large tenant's chunks into the HNSW graph (see migration 0006).

Inserting into the graph is slow (milliseconds per vector), so it happens here, in small
batches of one transaction each (every batch well inside the statement timeout), never during
an upload. Tenants at or below the exact-search size are skipped: exact scans serve them
better, and the graph stays smaller (and so more precise) for the tenants that need it.
"""

from __future__ import annotations

from itl_adapters.postgres._sql import execute, fetch_one
from itl_adapters.postgres.database import Database
from itl_adapters.postgres.knowledge_search import EXACT_BELOW

__all__ = ["PgVectorIndexer"]

_PROMOTE = (
    "UPDATE knowledge_chunks SET indexed = true WHERE id IN ("
    " SELECT id FROM knowledge_chunks WHERE tenant_id = %s AND NOT indexed LIMIT %s)"
)
_SIZE = (
    "SELECT coalesce(sum(chunks), 0)::bigint AS size FROM knowledge_documents WHERE tenant_id = %s"
)


class PgVectorIndexer:
    def __init__(self, db: Database, *, exact_below: int = EXACT_BELOW, batch: int = 250) -> None:
        self._db, self._exact_below, self._batch = db, exact_below, batch

    async def index_tenant(self, tenant_id: str, *, max_rows: int | None = None) -> int:
        """Promote the tenant's pending chunks (at most ``max_rows``); answer how many."""
        async with self._db.tenant(tenant_id) as conn:
            row = await fetch_one(conn, _SIZE, [tenant_id])
        if row is None or row["size"] <= self._exact_below:
            return 0
        done = 0
        while max_rows is None or done < max_rows:
            batch = self._batch if max_rows is None else min(self._batch, max_rows - done)
            async with self._db.tenant(tenant_id) as conn:
                promoted = await execute(conn, _PROMOTE, [tenant_id, batch])
            done += promoted
            if promoted < batch:
                break
        return done
