"""Session-wide servers for the contract and integration suites.

PostgreSQL: ``ITL_TEST_DATABASE_ADMIN_URL`` if set (a schema owner, e.g. a superuser), else an
embedded server (pgserver) in a temporary directory, once per session. Redis: ``ITL_REDIS_URL`` if
set, else an embedded redis-server. Both start lazily, only when a test asks for them, so pure
unit tests never pay for a server.

Tests that touch the database use ``database``: a pool connected AS THE RUNTIME ROLE (RLS
applies; a test run as the owner would prove nothing), with every table emptied before the test.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest
import redis.asyncio as aioredis
from itl_adapters.embedded import EmbeddedPostgres, EmbeddedRedis
from itl_adapters.postgres import Database, ensure_runtime_login, migrate, open_database
from psycopg.conninfo import make_conninfo

RUNTIME_ROLE = "itl_app_test"


def server_dir(name: str) -> Path:
    """A fresh directory for an embedded server, outside pytest's tmp tree.

    pytest resets its tmp root to mode 0700 whenever a run starts; the embedded PostgreSQL runs
    as another system user when tests run as root and must keep access to its data directory.
    """
    return Path(tempfile.mkdtemp(prefix=f"itl-test-{name}-"))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[EmbeddedPostgres | None]:
    """The embedded server, or None when the environment names an external one."""
    if os.environ.get("ITL_TEST_DATABASE_ADMIN_URL"):
        yield None
        return
    root = server_dir("postgres")
    server = EmbeddedPostgres(root / "data")
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
async def pg_admin_url(pg_server: EmbeddedPostgres | None) -> str:
    """URL of the schema owner, with every migration applied."""
    if pg_server is None:
        url = os.environ["ITL_TEST_DATABASE_ADMIN_URL"]
    else:
        url = await asyncio.to_thread(pg_server.start)
    await migrate(url)
    return url


@pytest.fixture(scope="session")
async def pg_runtime_url(pg_admin_url: str) -> str:
    """URL of a LOGIN member of ``itl_runtime``: no superuser, no BYPASSRLS, owns nothing."""
    password = secrets.token_urlsafe(16)
    await ensure_runtime_login(pg_admin_url, RUNTIME_ROLE, password)
    return make_conninfo(pg_admin_url, user=RUNTIME_ROLE, password=password)


@pytest.fixture(scope="session")
async def _runtime_database(pg_runtime_url: str) -> AsyncIterator[Database]:
    db = await open_database(pg_runtime_url, max_size=4)
    yield db
    await db.close()


@pytest.fixture
async def database(
    _runtime_database: Database, pg_admin_url: str, request: pytest.FixtureRequest
) -> Database:
    """The runtime-role pool, over empty tables (emptied before, so a failed test leaves clues)."""
    await truncate_all_tables(pg_admin_url)
    if "redis_url" in request.fixturenames:  # configs cached from the emptied tables are stale
        await forget_cached_configs(request.getfixturevalue("redis_url"))
    return _runtime_database


async def forget_cached_configs(redis_url: str) -> None:
    """Drop every config-cache entry (``itl_adapters.cache``): TRUNCATE bypasses invalidation."""
    client = aioredis.Redis.from_url(redis_url)
    try:
        keys = [key async for key in client.scan_iter(match="itl:t:*:cfg:*", count=1000)]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


async def truncate_all_tables(admin_url: str) -> None:
    async with await psycopg.AsyncConnection.connect(admin_url, autocommit=True) as conn:
        cur = await conn.execute(
            "SELECT string_agg(format('%I', tablename), ', ') FROM pg_tables"
            " WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'"
        )
        row = await cur.fetchone()
        assert row is not None and row[0]
        await conn.execute(f"TRUNCATE {row[0]} CASCADE")


@pytest.fixture(scope="session")
async def redis_url() -> AsyncIterator[str]:
    if url := os.environ.get("ITL_REDIS_URL"):
        yield url
        return
    root = server_dir("redis")
    server = EmbeddedRedis(root)
    yield await asyncio.to_thread(server.start)
    await asyncio.to_thread(server.stop)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def server_root() -> Iterator[Path]:
    """A private directory for a test's own embedded server (see ``server_dir``)."""
    root = server_dir("own")
    yield root
    shutil.rmtree(root, ignore_errors=True)
