"""Schema migrations and the runtime login role. Both run as the schema owner (the admin URL).

Migrations are the numbered ``migrations/NNNN_*.sql`` files, applied in name order, each in its own
transaction that first takes a transaction-level advisory lock, so concurrent ``migrate`` calls
(two app processes starting at once) serialise instead of colliding, and a failed migration
leaves the ones before it applied. Applied names are recorded in ``schema_migrations``.

The migrations create the NOLOGIN group role ``itl_runtime`` holding only DML grants; the app
logs in as a separate LOGIN member of it (``ensure_runtime_login``), never as the owner.
"""

from __future__ import annotations

import re
from importlib import resources

import psycopg
from itl_core.errors import UpstreamUnavailable
from psycopg import sql

from itl_adapters.postgres.database import UnsafeDatabaseRole

__all__ = ["RUNTIME_GROUP", "ensure_runtime_login", "migrate", "migration_names"]

RUNTIME_GROUP = "itl_runtime"
# One arbitrary, fixed key: every process migrating this database contends for the same lock.
_MIGRATION_LOCK = 7_240_318_451
_ROLE_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_NAME_RE = re.compile(r"^\d{4}_[a-z0-9_]+\.sql$")


def migration_names() -> list[str]:
    """Every migration shipped with the package, in the order they apply."""
    folder = resources.files("itl_adapters.postgres") / "migrations"
    return sorted(p.name for p in folder.iterdir() if _NAME_RE.fullmatch(p.name))


def _migration_sql(name: str) -> bytes:
    return (resources.files("itl_adapters.postgres") / "migrations" / name).read_bytes()


async def _connect(admin_url: str, connect_timeout: int) -> psycopg.AsyncConnection:
    try:
        return await psycopg.AsyncConnection.connect(
            admin_url, autocommit=True, connect_timeout=connect_timeout
        )
    except psycopg.OperationalError as e:
        raise UpstreamUnavailable("database unavailable") from e


async def migrate(admin_url: str, *, connect_timeout: int = 10) -> list[str]:
    """Apply every pending migration; return the names applied now (empty when up to date)."""
    applied_now: list[str] = []
    async with await _connect(admin_url, connect_timeout) as conn:
        for name in migration_names():
            async with conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock(%s)", [_MIGRATION_LOCK])
                await conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
                )
                cur = await conn.execute("SELECT 1 FROM schema_migrations WHERE name = %s", [name])
                if await cur.fetchone() is not None:
                    continue
                # No parameters: psycopg sends the file as one simple query (many statements).
                await conn.execute(_migration_sql(name))
                await conn.execute("INSERT INTO schema_migrations (name) VALUES (%s)", [name])
                applied_now.append(name)
    return applied_now


async def ensure_runtime_login(
    admin_url: str, role: str, password: str, *, connect_timeout: int = 10
) -> None:
    """Create the LOGIN role ``role`` in the runtime group, or reset its password if it exists.

    Raises ValueError for a role name that is not a plain lowercase identifier or names the group
    itself, and ``UnsafeDatabaseRole`` when an existing role of that name is a superuser or has
    BYPASSRLS (we refuse to hand such a role to the app rather than silently demote it).
    """
    if not _ROLE_RE.fullmatch(role) or role == RUNTIME_GROUP:
        raise ValueError(f"not a usable runtime role name: {role!r}")
    if not password:
        raise ValueError("the runtime role needs a password")
    ident, secret, group = (
        sql.Identifier(role),
        sql.Literal(password),
        sql.Identifier(RUNTIME_GROUP),
    )
    async with await _connect(admin_url, connect_timeout) as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", [_MIGRATION_LOCK])
        cur = await conn.execute(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role]
        )
        existing = await cur.fetchone()
        if existing is None:
            # CREATE ROLE takes no bind parameters; Literal quotes the password client-side.
            await conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(ident, secret, group)
            )
            return
        if existing[0] or existing[1]:
            raise UnsafeDatabaseRole(f"role {role!r} is a superuser or bypasses row-level security")
        await conn.execute(sql.SQL("ALTER ROLE {} WITH LOGIN PASSWORD {}").format(ident, secret))
        await conn.execute(sql.SQL("GRANT {} TO {}").format(group, ident))
