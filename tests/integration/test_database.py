"""The Database unit of work: error translation, timeouts, chunk storage, surviving a restart."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aioredis
from itl_adapters.embedded import EmbeddedPostgres, EmbeddedRedis
from itl_adapters.postgres import Database, ensure_runtime_login, migrate, open_database
from itl_core.errors import NotFound, UpstreamUnavailable, ValidationFailed
from psycopg import AsyncConnection
from psycopg.conninfo import make_conninfo

from tests.contract.builders import chunk, document, message, session, tenant
from tests.contract.conftest import postgres_repositories


async def test_a_statement_over_the_timeout_is_upstream_unavailable(pg_runtime_url: str) -> None:
    db = await open_database(pg_runtime_url, max_size=1, statement_timeout_ms=50)
    try:
        with pytest.raises(UpstreamUnavailable, match="timed out"):
            async with db.tenant("any") as conn:
                await conn.execute("SELECT pg_sleep(1)")
        await db.ping()  # the connection is still usable afterwards
    finally:
        await db.close()


async def test_text_the_database_cannot_store_is_a_validation_failure(database: Database) -> None:
    with pytest.raises(ValidationFailed):
        await postgres_repositories(database).tenants.add(tenant("nul", name="bad\x00name"))


async def test_chunks_are_stored_with_embeddings_and_a_search_vector(database: Database) -> None:
    repos = postgres_repositories(database)
    await repos.tenants.add(tenant("acme"))
    doc = document("acme")
    await repos.documents.add(
        doc, [chunk(doc, 0, text="Parcels ship daily"), chunk(doc, 1, embedding=None)]
    )
    async with database.tenant("acme") as conn:
        cur = await conn.execute(
            "SELECT position, heading_path, vector_dims(embedding),"
            " search @@ to_tsquery('simple', 'parcels')"
            " FROM knowledge_chunks WHERE document_id = %s ORDER BY position",
            [doc.id],
        )
        assert await cur.fetchall() == [
            (0, ["Policies", "Returns"], 384, True),
            (1, ["Policies", "Returns"], None, False),
        ]
    await repos.documents.delete("acme", doc.id)
    async with database.tenant("acme") as conn:
        cur = await conn.execute("SELECT count(*) FROM knowledge_chunks")
        assert await cur.fetchone() == (0,)


async def _tenant_names(db: Database, tenant_id: str) -> list[str]:
    async with db.tenant(tenant_id) as conn:
        cur = await conn.execute("SELECT name FROM tenants ORDER BY name")
        return [row[0] for row in await cur.fetchall()]


async def test_a_unit_commits_its_tenant_blocks_together_or_not_at_all(
    database: Database,
) -> None:
    for t in ("t-a", "t-b"):
        await postgres_repositories(database).tenants.add(tenant(t))
    async with database.unit("t-a"):
        async with database.tenant("t-a") as first, database.tenant("t-a") as second:
            assert first is second  # joined: one connection, one transaction
        async with database.tenant("t-b") as other:  # another tenant: its own transaction
            assert other is not first
            cur = await other.execute("SELECT count(*) FROM tenants")
            assert (await cur.fetchone())[0] == 1  # and its own RLS scope
    with pytest.raises(ValidationFailed):
        async with database.unit("t-a"):
            async with database.tenant("t-a") as conn:
                await conn.execute("UPDATE tenants SET name = 'changed' WHERE id = 't-a'")
            raise ValidationFailed.single("x", "the block failed")
    assert await _tenant_names(database, "t-a") == ["Tenant t-a"]  # rolled back with the unit
    async with database.unit("t-a"):
        with pytest.raises(ValidationFailed):
            async with database.tenant("t-a", savepoint=True) as conn:
                await conn.execute("SELECT 'x'::int")  # a failed statement aborts its scope
        async with database.tenant("t-a") as conn:  # the savepoint kept the unit usable
            await conn.execute("UPDATE tenants SET name = 'kept' WHERE id = 't-a'")
    assert await _tenant_names(database, "t-a") == ["kept"]


async def test_a_queued_statement_that_fails_fails_its_unit_at_the_latest_when_it_ends(
    database: Database,
) -> None:
    # Inside a unit an INSERT travels with the next round trip (pipeline mode): its error may
    # surface after the call returned, but the unit then raises it, translated, and commits
    # nothing it did before.
    repos = postgres_repositories(database)
    await repos.tenants.add(tenant("t-a"))
    with pytest.raises(NotFound, match="session does not exist"):
        async with database.unit("t-a"):
            async with database.tenant("t-a") as conn:
                await conn.execute("UPDATE tenants SET name = 'changed' WHERE id = 't-a'")
            await repos.messages.add(message(session("t-a")))  # a session never stored
    assert await _tenant_names(database, "t-a") == ["Tenant t-a"]
    async with database.unit("t-a"):  # the pooled connection came back clean
        await repos.sessions.add(chat := session("t-a"))
        await repos.messages.add(message(chat))
    assert [m.session_id for m in await repos.messages.recent("t-a", chat.id, 5)] == [chat.id]


async def test_a_row_count_inside_a_unit_is_known_when_the_call_returns(
    database: Database,
) -> None:
    repos = postgres_repositories(database)
    await repos.tenants.add(tenant("t-a"))
    with pytest.raises(NotFound):  # the update's count of 0 rows, read before the unit ends
        async with database.unit("t-a"):
            await repos.sessions.update(session("t-a"))


async def test_a_healthy_pooled_connection_is_checked_out_without_a_query(
    pg_runtime_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = await open_database(pg_runtime_url, min_size=1, max_size=1)
    try:
        await db.ping()
        queries: list[str] = []
        original = AsyncConnection.execute

        async def counting(self: AsyncConnection, query: Any, *args: Any, **kw: Any) -> Any:
            queries.append(str(query))
            return await original(self, query, *args, **kw)

        monkeypatch.setattr(AsyncConnection, "execute", counting)
        await db.ping()
        assert queries == ["SELECT 1"]  # the ping's own query, no check before it
    finally:
        await db.close()


async def test_a_pooled_connection_numbered_above_1024_is_checked_and_kept(
    pg_runtime_url: str,
) -> None:
    # A busy process has over a thousand sockets open; select() refuses such descriptors, and
    # a check that raises would make the pool drop every connection it hands out.
    spare = [os.dup(0) for _ in range(1100)]
    try:
        db = await open_database(pg_runtime_url, min_size=1, max_size=1)
    finally:
        for fd in spare:
            os.close(fd)
    try:

        async def backend() -> tuple[int, int]:
            async with db.tenant("any") as conn:
                row = await (await conn.execute("SELECT pg_backend_pid()")).fetchone()
                return conn.pgconn.socket, row[0]

        (socket, pid), (_, again) = await backend(), await backend()
        assert socket > 1024 and again == pid  # checked on checkout, kept
    finally:
        await db.close()


async def test_a_unit_that_need_not_be_durable_skips_only_its_own_log_flush(
    database: Database,
) -> None:
    async def synchronous_commit(durable: bool) -> str:
        async with database.unit("t-a", durable=durable), database.tenant("t-a") as conn:
            return str((await (await conn.execute("SHOW synchronous_commit")).fetchone())[0])

    assert await synchronous_commit(durable=False) == "off"
    assert await synchronous_commit(durable=True) == "on"  # the setting died with its unit


async def test_an_unreachable_database_is_upstream_unavailable(tmp_path: Path) -> None:
    url = f"postgresql://nobody@/postgres?host={tmp_path}"
    with pytest.raises(UpstreamUnavailable):
        await open_database(url, connect_timeout=1)


async def test_the_pool_recovers_after_the_server_restarts(server_root: Path) -> None:
    server = EmbeddedPostgres(server_root / "pg")
    admin = await asyncio.to_thread(server.start)
    try:
        assert await asyncio.to_thread(EmbeddedPostgres(server_root / "pg").start) == admin
        await migrate(admin)
        await ensure_runtime_login(admin, "itl_app_restart", "restart-password")
        db = await open_database(
            make_conninfo(admin, user="itl_app_restart", password="restart-password"),
            max_size=2,
            connect_timeout=2,
        )
        try:
            await db.ping()
            await asyncio.to_thread(server.stop)
            with pytest.raises(UpstreamUnavailable):
                await db.ping()
            assert await asyncio.to_thread(server.start) == admin
            await db.ping()
        finally:
            await db.close()
    finally:
        await asyncio.to_thread(server.stop)


async def test_the_runtime_role_must_present_its_password(server_root: Path) -> None:
    server = EmbeddedPostgres(server_root / "pg")
    admin = await asyncio.to_thread(server.start)
    try:
        await migrate(admin)
        await ensure_runtime_login(admin, "itl_app_pw", "right-password")
        with pytest.raises(UpstreamUnavailable):
            await open_database(
                make_conninfo(admin, user="itl_app_pw", password="wrong"), connect_timeout=1
            )
    finally:
        await asyncio.to_thread(server.stop)


async def test_embedded_redis_stops_and_starts_on_the_same_socket(tmp_path: Path) -> None:
    server = EmbeddedRedis(tmp_path / "redis")
    url = await asyncio.to_thread(server.start)
    client = aioredis.from_url(url)
    try:
        assert await client.ping()
        assert await asyncio.to_thread(EmbeddedRedis(tmp_path / "redis").start) == url
        await asyncio.to_thread(server.stop)
        with pytest.raises(aioredis.ConnectionError):
            await client.ping()
        assert await asyncio.to_thread(server.start) == url
        assert await client.ping()
    finally:
        await client.aclose()
        await asyncio.to_thread(server.stop)
