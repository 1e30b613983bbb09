"""Tenant isolation is enforced by PostgreSQL itself, proven as the runtime role.

Rows of two tenants are seeded in every tenant table through the real repositories; tenant B
then queries every table with raw SQL (no WHERE tenant_id) and must see none of A's rows.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import psycopg
import pytest
from itl_adapters.postgres import (
    Database,
    UnsafeDatabaseRole,
    assert_runtime_role_is_safe,
    migrate,
    open_database,
)
from itl_adapters.postgres.embeddings import PgEmbeddingStore
from itl_adapters.postgres.jobs import PgJobQueue
from itl_adapters.postgres.migrate import migration_names
from itl_adapters.postgres.usage import PgUsageLedger
from itl_core.jobs.model import Job
from itl_core.sessions.model import MessageRole, MessageStatus
from psycopg import sql

from tests.contract.builders import (
    agent,
    chunk,
    document,
    message,
    refresh_token,
    session,
    tenant,
    tool,
    user,
    widget,
)
from tests.contract.conftest import postgres_repositories

A, B = "tenant-a", "tenant-b"

TENANT_TABLES_SQL = """
SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
  AND (c.relname = 'tenants' OR EXISTS (
        SELECT 1 FROM pg_attribute a
        WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped))
ORDER BY 1
"""


async def seed_every_table(db: Database) -> None:
    repos = postgres_repositories(db)
    await repos.users.add(user(None))  # a platform admin: belongs to no tenant at all
    for t in (A, B):
        await repos.tenants.add(tenant(t))
        member = user(t)
        await repos.users.add(member)
        await repos.refresh_tokens.add(refresh_token(member))
        await repos.agents.add(agent(t))
        await repos.tools.add(tool(t))
        chat = session(t)
        await repos.sessions.add(chat)
        await repos.messages.add(message(chat, role=MessageRole.ASSISTANT))
        await repos.widgets.save(widget(t))
        doc = document(t)
        first = chunk(doc, 0)
        await repos.documents.add(doc, [first, chunk(doc, 1)])
        embeddings = PgEmbeddingStore(db)
        await embeddings.prepare(t)
        await embeddings.store(t, "offline-words", {first.id: [0.5] * 384})
        async with db.tenant(t) as conn:  # no port yet: the provider-key store comes later
            await conn.execute(
                "INSERT INTO provider_keys VALUES (%s, 'openai', %s, 'abcd', now())",
                [t, b"sealed"],
            )
        await PgUsageLedger(db).add(t, datetime.now(UTC), tokens=10, cost_usd=0.01)
        now = datetime.now(UTC)
        await PgJobQueue(db).enqueue(
            Job(id=f"job-{t}", tenant_id=t, kind="reembed", created_at=now, updated_at=now)
        )


async def tenant_tables(admin_url: str) -> list[tuple[str, bool, bool]]:
    async with await psycopg.AsyncConnection.connect(admin_url) as conn:
        return await (await conn.execute(TENANT_TABLES_SQL)).fetchall()


async def test_every_tenant_table_has_row_level_security_enabled_and_forced(
    pg_admin_url: str,
) -> None:
    tables = await tenant_tables(pg_admin_url)
    assert {"tenants", "users", "messages", "knowledge_chunks"} <= {t for t, _, _ in tables}
    assert [t for t, enabled, forced in tables if not (enabled and forced)] == []


async def test_a_tenant_sees_none_of_another_tenants_rows_in_any_table(
    database: Database, pg_admin_url: str
) -> None:
    await seed_every_table(database)
    tables = [t for t, _, _ in await tenant_tables(pg_admin_url)]
    async with database.tenant(B) as conn:
        for table in tables:
            column = sql.Identifier("id" if table == "tenants" else "tenant_id")
            query = sql.SQL("SELECT DISTINCT {} FROM {}").format(column, sql.Identifier(table))
            owners = [r[0] for r in await (await conn.execute(query)).fetchall()]
            # Seeing B's own rows proves the table was seeded and the query can see something.
            assert owners == [B], f"{table} shows rows of {owners}"


async def test_a_tenant_cannot_insert_rows_into_another_tenant(database: Database) -> None:
    await seed_every_table(database)
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        async with database.tenant(B) as conn:
            await conn.execute(
                "INSERT INTO provider_keys VALUES (%s, 'anthropic', %s, 'wxyz', now())",
                [A, b"sealed"],
            )


async def test_a_tenant_cannot_move_its_rows_into_another_tenant(database: Database) -> None:
    await seed_every_table(database)
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        async with database.tenant(B) as conn:
            await conn.execute("UPDATE agents SET tenant_id = %s", [A])


async def test_a_tenant_cannot_update_or_delete_another_tenants_rows(database: Database) -> None:
    await seed_every_table(database)
    async with database.tenant(B) as conn:
        updated = await conn.execute("UPDATE agents SET name = 'pwned' WHERE tenant_id = %s", [A])
        deleted = await conn.execute("DELETE FROM messages WHERE tenant_id = %s", [A])
        assert (updated.rowcount, deleted.rowcount) == (0, 0)
    async with database.tenant(A) as conn:
        names = await (await conn.execute("SELECT name FROM agents")).fetchall()
        assert names and all(n != "pwned" for (n,) in names)


async def test_alternating_tenants_on_one_pooled_connection_never_leaks_the_setting(
    database: Database, pg_runtime_url: str
) -> None:
    await seed_every_table(database)
    single = await open_database(pg_runtime_url, min_size=1, max_size=1)
    try:
        backends = set()
        for i in range(6):
            current = (A, B)[i % 2]
            async with single.tenant(current) as conn:
                cur = await conn.execute(
                    "SELECT pg_backend_pid(), array_agg(DISTINCT tenant_id) FROM agents"
                )
                pid, owners = await cur.fetchone()
                backends.add(pid)
                assert owners == [current]
        assert len(backends) == 1  # the same physical connection served both tenants
        # Outside any unit of work the connection carries no tenant and sees nothing.
        async with single._pool.connection() as conn:
            cur = await conn.execute(
                "SELECT coalesce(current_setting('app.tenant_id', true), ''),"
                " (SELECT count(*) FROM agents), (SELECT count(*) FROM users)"
            )
            assert await cur.fetchone() == ("", 0, 0)
    finally:
        await single.close()


async def test_the_runtime_role_is_not_superuser_bypassrls_or_owner(
    database: Database, pg_admin_url: str
) -> None:
    await assert_runtime_role_is_safe(database)
    owner = await open_database(pg_admin_url, max_size=1)
    try:
        with pytest.raises(UnsafeDatabaseRole):
            await assert_runtime_role_is_safe(owner)
    finally:
        await owner.close()


async def test_migrations_are_idempotent(pg_admin_url: str) -> None:
    assert await migrate(pg_admin_url) == []


async def test_concurrent_migrations_apply_each_file_exactly_once(pg_admin_url: str) -> None:
    fresh = "itl_migration_race"
    async with await psycopg.AsyncConnection.connect(pg_admin_url, autocommit=True) as conn:
        await conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(fresh)))
        await conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(fresh)))
    url = psycopg.conninfo.make_conninfo(pg_admin_url, dbname=fresh)
    try:
        results = await asyncio.gather(*(migrate(url) for _ in range(4)))
        applied = sorted(name for names in results for name in names)
        assert applied == migration_names()
    finally:
        async with await psycopg.AsyncConnection.connect(pg_admin_url, autocommit=True) as conn:
            await conn.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(fresh))
            )


async def test_the_reaper_sees_every_tenant_but_tenants_do_not(database: Database) -> None:
    await seed_every_table(database)
    async with database.tenant(A) as conn:
        await conn.execute("UPDATE messages SET status = %s", [MessageStatus.PENDING.value])
    async with database.tenant(B) as conn:
        await conn.execute("UPDATE messages SET status = %s", [MessageStatus.PENDING.value])
    assert await postgres_repositories(database).messages.mark_pending_interrupted() == 2
