"""A large tenant's own search indexes (migration 0011), and promotion of its chunks into them.

A tenant above the exact-search size (``EXACT_BELOW`` chunks) gets two partial indexes:

- ``knowledge_chunks_hnsw_<digest>``: HNSW over its chunks marked ``indexed``;
- ``knowledge_chunks_gin_<digest>``: GIN over the ``search`` tsvector of all its chunks.

``ensure_tenant_index`` creates them with ``CREATE INDEX CONCURRENTLY`` (no lock against other
tenants' uploads or searches; DDL, so on a connection of the schema owner). It first marks the
tenant's rows ``indexed`` while no graph covers them (a cheap row update), so the graph is built
in bulk (thousands of rows/s) instead of row by row. Chunks uploaded afterwards arrive unindexed
(inserting into a graph costs milliseconds per vector, too slow for an upload) and are searched
exactly until ``index_tenant`` promotes them in small batches (each its own transaction). When
most of a tenant's rows are unindexed again (a re-embedding switch marks them all so), promoting
them one by one would take minutes: ``ensure_tenant_index`` rebuilds the graph in bulk instead.

Scheduling: both are idempotent and cheap when there is nothing to do (one query). Run
``ensure_tenant_index`` then ``index_tenant`` for a tenant after each upload or re-embedding of
its documents completes, one run per tenant at a time (a job keyed by tenant), off the request
path: a build takes seconds (about 4,000 rows/s) and waits for transactions already running.
"""

from __future__ import annotations

import hashlib

import psycopg
from psycopg import sql

from itl_adapters.postgres._sql import execute, fetch_one
from itl_adapters.postgres.database import Database
from itl_adapters.postgres.knowledge_search import EXACT_BELOW

__all__ = ["PgVectorIndexer", "tenant_index_names"]

_PROMOTE = (
    "UPDATE knowledge_chunks SET indexed = true WHERE id IN ("
    " SELECT id FROM knowledge_chunks WHERE tenant_id = %s AND NOT indexed LIMIT %s)"
)
_STATE = """
    SELECT (SELECT coalesce(sum(chunks), 0) FROM knowledge_documents
            WHERE tenant_id = %(tenant)s)::bigint AS size,
           (SELECT count(*) FROM knowledge_chunks
            WHERE tenant_id = %(tenant)s AND NOT indexed)::bigint AS pending,
           coalesce((SELECT indisvalid FROM pg_index
                     WHERE indexrelid = to_regclass(%(hnsw)s)), false) AS graph,
           coalesce((SELECT indisvalid FROM pg_index
                     WHERE indexrelid = to_regclass(%(gin)s)), false) AS keywords"""
_HNSW = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON knowledge_chunks"
    " USING hnsw (embedding vector_cosine_ops) WHERE tenant_id = {tenant} AND indexed"
)
_GIN = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON knowledge_chunks"
    " USING gin (search) WHERE tenant_id = {tenant}"
)
_DROP = "DROP INDEX CONCURRENTLY IF EXISTS {name}"
_MARK_BATCH = 2_000  # rows per update while no graph covers them
# Bulk HNSW builds are much faster when the graph fits in memory (pgvector warns otherwise).
_BUILD_MEMORY = "SET maintenance_work_mem = '256MB'"


def tenant_index_names(tenant_id: str) -> tuple[str, str]:
    """The names of the tenant's HNSW and GIN indexes: a digest of its id, so any id (any
    characters, any length) yields a valid identifier well under PostgreSQL's 63 bytes."""
    digest = hashlib.sha256(tenant_id.encode()).hexdigest()[:24]
    return f"knowledge_chunks_hnsw_{digest}", f"knowledge_chunks_gin_{digest}"


class PgVectorIndexer:
    """Builds and feeds large tenants' indexes. ``db`` is the runtime pool (row updates, under
    RLS); ``owner_url`` connects as the schema owner, for the index DDL only."""

    def __init__(
        self,
        db: Database,
        owner_url: str,
        *,
        exact_below: int = EXACT_BELOW,
        batch: int = 250,
        rebuild_share: float = 0.5,
    ) -> None:
        self._db, self._owner_url = db, owner_url
        self._exact_below, self._batch, self._rebuild_share = exact_below, batch, rebuild_share

    async def ensure_tenant_index(self, tenant_id: str) -> bool:
        """Give a tenant above the exact-search size its HNSW and GIN indexes; answer whether
        anything was built.

        Builds when an index is missing or invalid (an interrupted concurrent build), and
        rebuilds the graph in bulk when more than ``rebuild_share`` of the tenant's chunks wait
        outside it. Tenants at or below the size are left alone (exact search serves them).
        Safe to repeat; not to be run concurrently for the same tenant.
        """
        hnsw, gin = tenant_index_names(tenant_id)
        async with self._db.tenant(tenant_id) as conn:
            state = await fetch_one(
                conn,
                _STATE,
                {"tenant": tenant_id, "hnsw": hnsw, "gin": gin},  # type: ignore[arg-type]
            )
        assert state is not None
        if state["size"] <= self._exact_below:
            return False
        stale = state["pending"] > self._rebuild_share * state["size"]
        if state["graph"] and state["keywords"] and not stale:
            return False
        async with await psycopg.AsyncConnection.connect(self._owner_url, autocommit=True) as owner:
            tenant = sql.Literal(tenant_id)
            await owner.execute(_BUILD_MEMORY)
            if not state["graph"] or stale:
                # Out of the graph first: marking rows indexed while it exists would insert
                # them into it one by one, the slow path this bulk build avoids.
                await owner.execute(sql.SQL(_DROP).format(name=sql.Identifier(hnsw)))
                await self._mark_all_indexed(tenant_id)
                await owner.execute(sql.SQL(_HNSW).format(name=sql.Identifier(hnsw), tenant=tenant))
            if not state["keywords"]:
                await owner.execute(sql.SQL(_DROP).format(name=sql.Identifier(gin)))
                await owner.execute(sql.SQL(_GIN).format(name=sql.Identifier(gin), tenant=tenant))
            # Fresh statistics, so the planner knows how many rows the tenant's predicate
            # selects and prefers its indexes to a sort (autovacuum may not have run yet).
            await owner.execute("ANALYZE knowledge_chunks")
        return True

    async def index_tenant(self, tenant_id: str, *, max_rows: int | None = None) -> int:
        """Promote the tenant's pending chunks into its graph (at most ``max_rows``), in batches
        of one transaction each; answer how many. Nothing happens for a tenant without a valid
        graph (``ensure_tenant_index`` builds it, and takes in every row then)."""
        hnsw, gin = tenant_index_names(tenant_id)
        async with self._db.tenant(tenant_id) as conn:
            state = await fetch_one(
                conn,
                _STATE,
                {"tenant": tenant_id, "hnsw": hnsw, "gin": gin},  # type: ignore[arg-type]
            )
        if state is None or not state["graph"]:
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

    async def drop_tenant_index(self, tenant_id: str) -> None:
        """Drop the tenant's indexes (after its deletion: they would stay, empty, otherwise)."""
        async with await psycopg.AsyncConnection.connect(self._owner_url, autocommit=True) as owner:
            for name in tenant_index_names(tenant_id):
                await owner.execute(sql.SQL(_DROP).format(name=sql.Identifier(name)))

    async def _mark_all_indexed(self, tenant_id: str) -> None:
        """Mark the tenant's rows indexed (no graph covers them: a plain update), in batches
        each well inside the runtime role's statement timeout."""
        while True:
            async with self._db.tenant(tenant_id) as conn:
                if await execute(conn, _PROMOTE, [tenant_id, _MARK_BATCH]) < _MARK_BATCH:
                    return
