"""The connection pool and the only two ways to run a unit of work: per tenant, or platform-wide.

Isolation is enforced by PostgreSQL row-level security (see ``migrations/``); this module sets
the scope the policies read, always per transaction with ``set_config(..., true)`` so it ends
with the transaction and can never leak to the next user of a pooled connection.

``Database.tenant(tenant_id)`` is the normal path: the policies admit only that tenant's rows.

``Database.platform()`` sets ``app.scope = 'platform'``, which admits every tenant's rows. It is
deliberately narrow, used only by:

- the tenant repository (tenants are platform-level objects);
- rows that belong to no tenant: platform admins (``users.tenant_id IS NULL``) and their
  refresh tokens;
- the login lookup by email (the user's tenant is not known yet);
- refresh-token spending and family revocation (the token names no tenant);
- the start-up reaper (``MessageRepository.mark_pending_interrupted``);
- listing tenant ids for ``itl keys rotate`` (``secrets.rotate_sealed_secrets``), which then
  re-encrypts each tenant's secrets inside that tenant's own scope.
- the job worker claiming the next job and re-queueing expired leases (``PgJobQueue``): a
  worker serves every tenant; it then reads and settles the job in that job's tenant scope.

Anything else that reaches for ``platform()`` needs a reason written next to it.

``Database.unit(tenant_id)`` (``PgTransactions``, the ``itl_core.transactions`` port) opens one
tenant transaction that every ``tenant(tenant_id)`` block of the same task inside it joins, so a
use case can commit several repository calls at once: a transaction costs a pool checkout and
four round trips (check, BEGIN, scope, COMMIT) besides its statements. The joined blocks run on
the unit's connection, in its RLS scope; another tenant's block, or ``platform()``, still opens
its own transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from itl_core.errors import UpstreamUnavailable
from pgvector.psycopg import register_vector_async
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from itl_adapters.observability.metrics import track_pool, untrack_pool
from itl_adapters.postgres.errors import translate_errors

__all__ = [
    "Database",
    "PgTransactions",
    "UnsafeDatabaseRole",
    "assert_runtime_role_is_safe",
    "open_database",
]


class UnsafeDatabaseRole(RuntimeError):
    """The app is connected as a role that could read past row-level security."""


@dataclass(slots=True)
class _Unit:
    """The open tenant transaction of ``Database.unit``; ``open`` is cleared when it ends, so a
    task that copied the context inside the block can never reuse the returned connection."""

    database: Database
    tenant_id: str
    conn: AsyncConnection
    open: bool = True


_unit: ContextVar[_Unit | None] = ContextVar("itl_database_unit", default=None)


class Database:
    """A psycopg pool whose connections run in autocommit mode outside our explicit transactions."""

    def __init__(self, pool: AsyncConnectionPool) -> None:
        self._pool = pool

    @asynccontextmanager
    async def tenant(
        self, tenant_id: str, *, savepoint: bool = False
    ) -> AsyncIterator[AsyncConnection]:
        """A transaction in which RLS admits only ``tenant_id``'s rows; commits on success.

        Inside ``unit(tenant_id)`` the block joins the unit's transaction instead. ``savepoint``:
        a failure of this block must not spoil the rest of such a unit (its caller goes on after
        an error): it then runs in a savepoint, rolled back alone when the block raises.
        """
        if not tenant_id:
            raise ValueError("tenant_id must be a non-empty string")
        unit = self._joinable(tenant_id)
        if unit is None:
            async with self._transaction("app.tenant_id", tenant_id) as conn:
                yield conn
        elif savepoint:
            with translate_errors():
                async with unit.conn.transaction():
                    yield unit.conn
        else:
            with translate_errors():
                yield unit.conn

    @asynccontextmanager
    async def unit(self, tenant_id: str, *, durable: bool = True) -> AsyncIterator[None]:
        """One transaction shared by every ``tenant(tenant_id)`` block of this task inside it
        (see the module docstring); commits when the block ends, rolls back if it raises.
        ``durable=False``: the commit does not wait for the log flush (``synchronous_commit``
        off for this transaction only; see ``itl_core.transactions``)."""
        if not tenant_id:
            raise ValueError("tenant_id must be a non-empty string")
        if self._joinable(tenant_id) is not None:  # nested: the outer unit commits
            yield
            return
        async with self._transaction("app.tenant_id", tenant_id, durable=durable) as conn:
            unit = _Unit(self, tenant_id, conn)
            token = _unit.set(unit)
            try:
                yield
            finally:
                unit.open = False
                _unit.reset(token)

    def _joinable(self, tenant_id: str) -> _Unit | None:
        unit = _unit.get()
        if unit is not None and unit.open and unit.database is self and unit.tenant_id == tenant_id:
            return unit
        return None

    @asynccontextmanager
    async def platform(self) -> AsyncIterator[AsyncConnection]:
        """A transaction across every tenant: only for the uses listed in the module docstring."""
        async with self._transaction("app.scope", "platform") as conn:
            yield conn

    @asynccontextmanager
    async def _transaction(
        self, setting: str, value: str, *, durable: bool = True
    ) -> AsyncIterator[AsyncConnection]:
        with translate_errors():
            async with self._pool.connection() as conn, conn.transaction():
                # is_local=true: the value dies with the transaction (never a session-level SET).
                if durable:
                    await conn.execute("SELECT set_config(%s, %s, true)", [setting, value])
                else:
                    await conn.execute(
                        "SELECT set_config(%s, %s, true),"
                        " set_config('synchronous_commit', 'off', true)",
                        [setting, value],
                    )
                yield conn

    async def ping(self) -> None:
        """Round-trip to the server; raises UpstreamUnavailable when it cannot."""
        with translate_errors():
            async with self._pool.connection() as conn:
                await conn.execute("SELECT 1")

    async def close(self) -> None:
        untrack_pool(self._pool)
        await self._pool.close()


class PgTransactions:
    """``itl_core.transactions.Transactions`` over ``Database.unit``; ``sync_commit`` makes
    every unit durable, ``durable=False`` included (``ITL_CHAT_SYNC_COMMIT``)."""

    def __init__(self, db: Database, *, sync_commit: bool = False) -> None:
        self._db, self._sync_commit = db, sync_commit

    def atomic(self, tenant_id: str, *, durable: bool = True) -> AbstractAsyncContextManager[None]:
        return self._db.unit(tenant_id, durable=durable or self._sync_commit)


async def open_database(
    url: str,
    *,
    min_size: int = 1,
    max_size: int = 10,
    statement_timeout_ms: int = 5000,
    connect_timeout: int = 5,
) -> Database:
    """Open a pool (waiting for ``min_size`` connections) or raise UpstreamUnavailable."""

    async def configure(conn: AsyncConnection) -> None:
        # Once per physical connection: vector types for reads/writes, the statement timeout
        # (no query may hang a request), and UTC so timestamps come back in UTC.
        await register_vector_async(conn)
        await conn.execute(
            "SELECT set_config('statement_timeout', %s, false),"
            " set_config('TimeZone', 'UTC', false)",
            [str(statement_timeout_ms)],
        )

    pool = AsyncConnectionPool(
        url,
        min_size=min_size,
        max_size=max_size,
        kwargs={"autocommit": True, "connect_timeout": connect_timeout},
        configure=configure,
        # Checking each connection on checkout costs one round trip but means that after a
        # database restart the next request gets a fresh connection instead of a dead one.
        check=AsyncConnectionPool.check_connection,
        timeout=connect_timeout,
        open=False,
    )
    try:
        await pool.open(wait=True, timeout=connect_timeout)
    except Exception as e:
        await pool.close()
        raise UpstreamUnavailable("database unavailable") from e
    track_pool(pool)  # itl_db_pool_connections{state}, read at scrape time
    return Database(pool)


async def assert_runtime_role_is_safe(db: Database) -> None:
    """Raise UnsafeDatabaseRole unless the connected role is subject to row-level security:
    not a superuser, no BYPASSRLS, and neither owning nor inheriting the owner of any table."""
    async with db._pool.connection() as conn:
        cur = await conn.execute(
            "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        row = await cur.fetchone()
        assert row is not None
        user, is_super, bypass = row
        cur = await conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
            " AND pg_has_role(current_user, c.relowner, 'MEMBER') ORDER BY 1"
        )
        owned = [r[0] for r in await cur.fetchall()]
    if is_super or bypass or owned:
        reasons = [
            *(["is a superuser"] if is_super else []),
            *(["has BYPASSRLS"] if bypass else []),
            *([f"owns {', '.join(owned)}"] if owned else []),
        ]
        raise UnsafeDatabaseRole(f"database role {user!r} {' and '.join(reasons)}")
