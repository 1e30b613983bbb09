"""PostgreSQL user repository.

Tenant users are read and written in their tenant's scope; platform admins (``tenant_id`` None)
belong to no tenant, so their rows are reachable only in the platform scope, as is the login
lookup by email, which must search every tenant.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from itl_core.access import Role
from itl_core.errors import NotFound
from itl_core.pagination import Page, PageRequest
from itl_core.users.model import User
from psycopg import AsyncConnection

from itl_adapters.postgres._sql import Row, execute, fetch_one, fetch_page
from itl_adapters.postgres.database import Database

_COLUMNS = "id, tenant_id, email, role, password_hash, is_active, created_at, updated_at"
# "IS NOT DISTINCT FROM" matches NULL to NULL: one query serves tenant users and platform admins.
_SAME_TENANT = "tenant_id IS NOT DISTINCT FROM %s"


def _user(row: Row) -> User:
    return User(**{**row, "role": Role(row["role"])})


@asynccontextmanager
async def scope_of(db: Database, tenant_id: str | None) -> AsyncIterator[AsyncConnection]:
    """The tenant's scope, or the platform scope for rows that belong to no tenant."""
    if tenant_id is None:
        async with db.platform() as conn:
            yield conn
    else:
        async with db.tenant(tenant_id) as conn:
            yield conn


class PgUserRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, tenant_id: str | None, user_id: str) -> User | None:
        async with scope_of(self._db, tenant_id) as conn:
            row = await fetch_one(
                conn,
                f"SELECT {_COLUMNS} FROM users WHERE id = %s AND {_SAME_TENANT}",
                [user_id, tenant_id],
            )
        return _user(row) if row else None

    async def find_for_login(self, email: str) -> User | None:
        async with self._db.platform() as conn:
            row = await fetch_one(
                conn, f"SELECT {_COLUMNS} FROM users WHERE lower(email) = lower(%s)", [email]
            )
        return _user(row) if row else None

    async def list(self, tenant_id: str | None, page: PageRequest) -> Page[User]:
        async with scope_of(self._db, tenant_id) as conn:
            return await fetch_page(
                conn, f"SELECT {_COLUMNS} FROM users WHERE {_SAME_TENANT}", [tenant_id], page, _user
            )

    async def add(self, user: User) -> None:
        async with scope_of(self._db, user.tenant_id) as conn:
            await execute(
                conn,
                f"INSERT INTO users ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    user.id,
                    user.tenant_id,
                    user.email,
                    user.role.value,
                    user.password_hash,
                    user.is_active,
                    user.created_at,
                    user.updated_at,
                ],
            )

    async def update(self, user: User) -> None:
        """Raises NotFound when the user does not exist in ``user.tenant_id``."""
        async with scope_of(self._db, user.tenant_id) as conn:
            touched = await execute(
                conn,
                "UPDATE users SET email = %s, role = %s, password_hash = %s, is_active = %s,"
                f" updated_at = %s WHERE id = %s AND {_SAME_TENANT}",
                [
                    user.email,
                    user.role.value,
                    user.password_hash,
                    user.is_active,
                    user.updated_at,
                    user.id,
                    user.tenant_id,
                ],
            )
        if not touched:
            raise NotFound("The user does not exist.")

    async def delete(self, tenant_id: str | None, user_id: str) -> bool:
        async with scope_of(self._db, tenant_id) as conn:
            return bool(
                await execute(
                    conn,
                    f"DELETE FROM users WHERE id = %s AND {_SAME_TENANT}",
                    [user_id, tenant_id],
                )
            )
