"""``TenantIndexer`` over ``PgVectorIndexer``: the ``index`` job's view of a tenant's indexes.

Building an index is DDL, run as the schema owner: without ``ITL_DATABASE_ADMIN_URL`` (the
embedded default always has one) there is no indexer, no ``index`` job is queued, and large
tenants are searched exactly, correct but slower.
"""

from __future__ import annotations

from itl_adapters.postgres._sql import fetch_one
from itl_adapters.postgres.database import Database
from itl_adapters.postgres.knowledge_search import EXACT_BELOW
from itl_adapters.postgres.vector_index import PgVectorIndexer
from itl_adapters.settings import Settings

__all__ = ["PgTenantIndexer", "optional_tenant_indexer"]

_SIZE = (
    "SELECT coalesce(sum(chunks), 0)::bigint AS size FROM knowledge_documents WHERE tenant_id = %s"
)


class PgTenantIndexer:
    def __init__(self, db: Database, indexer: PgVectorIndexer, exact_below: int = EXACT_BELOW):
        self._db, self._indexer, self._exact_below = db, indexer, exact_below

    async def needs_index(self, tenant_id: str) -> bool:
        async with self._db.tenant(tenant_id) as conn:
            row = await fetch_one(conn, _SIZE, [tenant_id])
        return row is not None and row["size"] > self._exact_below

    async def ensure_tenant_index(self, tenant_id: str) -> bool:
        return await self._indexer.ensure_tenant_index(tenant_id)

    async def index_tenant(self, tenant_id: str, *, max_rows: int | None = None) -> int:
        return await self._indexer.index_tenant(tenant_id, max_rows=max_rows)


def optional_tenant_indexer(db: Database, settings: Settings) -> PgTenantIndexer | None:
    """The indexer, or None when the process has no schema-owner URL (see the docstring)."""
    if not settings.database_admin_url:
        return None
    return PgTenantIndexer(db, PgVectorIndexer(db, settings.database_admin_url))
