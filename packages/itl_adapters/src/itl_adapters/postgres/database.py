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
use case can commit several repository calls at once. The joined blocks run on the unit's
connection, in its RLS scope; another tenant's block, or ``platform()``, still opens its own
transaction.

A unit runs in libpq's pipeline mode: ``BEGIN``, the scope, the statements whose results nobody
waits for (``_sql.queue``) and ``COMMIT`` travel together, and the unit waits for the server
only where a result is read (a fetch, a row count) and at its commit. A chat turn's first unit
(a new session, its two messages) is one round trip instead of six. The price: the error of a
queued statement surfaces at the next wait, at the latest when the unit ends, which then raises
it (translated) and commits nothing. A ``savepoint`` block inside a unit waits for its own
statements before it ends, so its errors stay its own. Code given a unit's connection never
calls psycopg's ``conn.transaction()`` on it: in pipeline mode the connection may look idle
between round trips, and psycopg would then open and commit a transaction of its own.

Checking out a pooled connection costs no round trip: the pool checks a connection with a query
only when its socket has something to say (the server closed it, say after a restart) or it
is broken; a healthy idle connection has nothing to read.
"""

from __future__ import annotations

import contextlib
import select
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import psycopg
from itl_core.errors import UpstreamUnavailable
from pgvector.psycopg import register_vector_async
from psycopg import AsyncConnection, AsyncPipeline, sql
from psycopg.pq import TransactionStatus
from psycopg_pool import AsyncConnectionPool

from itl_adapters.observability.metrics import track_pool, untrack_pool
from itl_adapters.postgres.errors import translate_errors

__all__ = [
    "Database",
    "PgTransactions",
    "UnsafeDatabaseRole",
    "assert_runtime_role_is_safe",
    "open_database",
    "wait_for_results",
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
    pipeline: AsyncPipeline
    open: bool = True
    savepoints: int = 0


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
                async with _savepoint(unit):
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
        pipelined = self._pipelined("app.tenant_id", tenant_id, durable=durable)
        async with pipelined as (conn, pipeline):
            unit = _Unit(self, tenant_id, conn, pipeline)
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
    async def _transaction(self, setting: str, value: str) -> AsyncIterator[AsyncConnection]:
        with translate_errors():
            async with self._pool.connection() as conn, conn.transaction():
                # is_local=true: the value dies with the transaction (never a session-level SET).
                await conn.execute(_SCOPE, [setting, value])
                yield conn

    @asynccontextmanager
    async def _pipelined(
        self, setting: str, value: str, *, durable: bool
    ) -> AsyncIterator[tuple[AsyncConnection, AsyncPipeline]]:
        """``_transaction`` in pipeline mode (see the module docstring), with BEGIN and COMMIT
        of our own: psycopg's ``transaction()`` waits for the server when it starts and ends."""
        with translate_errors():
            async with self._pool.connection() as conn:
                try:
                    async with conn.pipeline() as pipeline:
                        await conn.execute("BEGIN")
                        scope = _SCOPE if durable else _SCOPE_NOT_DURABLE
                        await conn.execute(scope, [setting, value])
                        yield conn, pipeline
                        await conn.execute("COMMIT")
                except BaseException:
                    # The block or one of its statements failed, the transaction is still open
                    # (leaving the pipeline block ended any aborted pipeline segment). A broken
                    # connection, or one still busy after a cancellation, the pool drops.
                    if not conn.broken and conn.info.transaction_status in _OPEN:
                        await conn.execute("ROLLBACK")
                    raise

    async def ping(self) -> None:
        """Round-trip to the server; raises UpstreamUnavailable when it cannot."""
        with translate_errors():
            async with self._pool.connection() as conn:
                await conn.execute("SELECT 1")

    async def close(self) -> None:
        untrack_pool(self._pool)
        await self._pool.close()


_SCOPE = "SELECT set_config(%s, %s, true)"
_SCOPE_NOT_DURABLE = (
    "SELECT set_config(%s, %s, true), set_config('synchronous_commit', 'off', true)"
)
_OPEN = (TransactionStatus.INTRANS, TransactionStatus.INERROR)


@asynccontextmanager
async def _savepoint(unit: _Unit) -> AsyncIterator[None]:
    """A savepoint in a (pipelined) unit: the block's statements are waited for before it ends,
    so that a failure of the block is rolled back alone and raised from it."""
    conn, pipeline = unit.conn, unit.pipeline
    unit.savepoints += 1
    name = sql.Identifier(f"itl_savepoint_{unit.savepoints}")
    await conn.execute(sql.SQL("SAVEPOINT {}").format(name))
    try:
        yield
        if conn.info.transaction_status is TransactionStatus.ACTIVE:  # results still to come
            await pipeline.sync()
    except BaseException:
        if not conn.broken:
            # A failed statement makes the server skip the rest of the pipeline segment: end
            # it (its error is the one being raised), then roll the block back.
            with contextlib.suppress(psycopg.Error):
                await pipeline.sync()
            await conn.execute(sql.SQL("ROLLBACK TO SAVEPOINT {}").format(name))
            await pipeline.sync()
        raise
    await conn.execute(sql.SQL("RELEASE SAVEPOINT {}").format(name))


async def wait_for_results(conn: AsyncConnection) -> None:
    """Wait for the results of the statements sent so far on ``conn``: a no-op unless ``conn``
    is the pipelined connection of this task's unit (there, a row count is known only then)."""
    unit = _unit.get()
    if unit is not None and unit.open and unit.conn is conn:
        await unit.pipeline.sync()


async def _check_connection(conn: AsyncConnection) -> None:
    """The pool's check on checkout: a query only when the connection is broken or its socket
    is readable (an idle connection's server has nothing to say unless it closed the
    connection, a restart for instance); it raises when the connection is dead."""
    if conn.broken or _readable(conn.pgconn.socket):
        await AsyncConnectionPool.check_connection(conn)


def _readable(fd: int) -> bool:
    """Whether ``fd`` has something to read, without waiting. ``poll``, not ``select``: a busy
    process's sockets get numbers above 1024, which ``select`` refuses."""
    if not hasattr(select, "poll"):  # Windows: no poll, and no such numbering limit
        return bool(select.select([fd], [], [], 0)[0])
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


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
        # After a database restart the next request gets a fresh connection, not a dead one.
        check=_check_connection,
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
