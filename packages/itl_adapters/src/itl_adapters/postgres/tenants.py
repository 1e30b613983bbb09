"""PostgreSQL tenant repository: tenants are platform-level, so every call is platform-scoped."""

from __future__ import annotations

from itl_core.errors import NotFound
from itl_core.pagination import Page, PageRequest
from itl_core.tenants.model import Tenant
from psycopg.types.json import Jsonb

from itl_adapters.postgres._sql import Row, execute, fetch_one, fetch_page
from itl_adapters.postgres.database import Database

_COLUMNS = "id, name, settings, created_at, updated_at"


def _tenant(row: Row) -> Tenant:
    return Tenant(**row)


class PgTenantRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, tenant_id: str) -> Tenant | None:
        async with self._db.platform() as conn:
            row = await fetch_one(
                conn, f"SELECT {_COLUMNS} FROM tenants WHERE id = %s", [tenant_id]
            )
        return _tenant(row) if row else None

    async def list(self, page: PageRequest) -> Page[Tenant]:
        async with self._db.platform() as conn:
            return await fetch_page(
                conn, f"SELECT {_COLUMNS} FROM tenants WHERE true", [], page, _tenant
            )

    async def add(self, tenant: Tenant) -> None:
        async with self._db.platform() as conn:
            await execute(
                conn,
                f"INSERT INTO tenants ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s)",
                [
                    tenant.id,
                    tenant.name,
                    Jsonb(dict(tenant.settings)),
                    tenant.created_at,
                    tenant.updated_at,
                ],
            )

    async def update(self, tenant: Tenant) -> None:
        """Raises NotFound when the tenant does not exist."""
        async with self._db.platform() as conn:
            touched = await execute(
                conn,
                "UPDATE tenants SET name = %s, settings = %s, updated_at = %s WHERE id = %s",
                [tenant.name, Jsonb(dict(tenant.settings)), tenant.updated_at, tenant.id],
            )
        if not touched:
            raise NotFound(f"Tenant '{tenant.id}' does not exist.")

    async def delete(self, tenant_id: str) -> bool:
        # Every tenant table references tenants ON DELETE CASCADE: one statement removes it all.
        async with self._db.platform() as conn:
            return bool(await execute(conn, "DELETE FROM tenants WHERE id = %s", [tenant_id]))
