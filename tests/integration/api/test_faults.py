"""Faults through the API: PostgreSQL stops and comes back under a running app, and a statement
that outlives the statement timeout. Both must answer clean 503 problems, never a 500."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from dependency_injector import providers
from http_api.app import create_app
from itl_adapters.containers import Application
from itl_adapters.embedded import EmbeddedPostgres
from itl_adapters.postgres import ensure_runtime_login, migrate
from itl_adapters.security.passwords import Argon2PasswordHasher
from itl_adapters.settings import Settings
from itl_core.access import Role
from itl_core.security.ports import TokenKind
from litestar.testing import AsyncTestClient
from psycopg.conninfo import make_conninfo

from tests.integration.api.conftest import assert_problem


def platform_admin(container: Application) -> dict[str, str]:
    token = container.infra.tokens().issue(
        kind=TokenKind.ACCESS, subject="ops", tenant_id=None, role=Role.PLATFORM_ADMIN.value
    )
    return {"Authorization": f"Bearer {token.token}"}


async def app_client(
    settings: Settings, hasher: Argon2PasswordHasher
) -> tuple[AsyncTestClient[Any], Application]:
    container = Application(settings=settings)
    container.infra.hasher.override(providers.Object(hasher))
    return AsyncTestClient(app=create_app(container)), container


@pytest.fixture
async def own_postgres(server_root: Path) -> AsyncIterator[tuple[EmbeddedPostgres, str]]:
    """A PostgreSQL of this test's own (it is stopped mid-test), migrated, with a runtime login."""
    server = EmbeddedPostgres(server_root / "pg")
    admin = await asyncio.to_thread(server.start)
    await migrate(admin)
    await ensure_runtime_login(admin, "itl_app_faults", "faults-password")
    try:
        yield server, make_conninfo(admin, user="itl_app_faults", password="faults-password")
    finally:
        await asyncio.to_thread(server.stop)


async def test_while_postgres_is_down_requests_answer_503_and_the_app_recovers_alone(
    own_postgres: tuple[EmbeddedPostgres, str],
    settings: Settings,
    hasher: Argon2PasswordHasher,
) -> None:
    server, runtime_url = own_postgres
    own = dataclasses.replace(settings, database_url=runtime_url, database_connect_timeout=1)
    client, container = await app_client(own, hasher)
    admin = platform_admin(container)
    async with client:
        assert (await client.get("/api/admin/tenants", headers=admin)).status_code == 200

        await asyncio.to_thread(server.stop)
        started = time.monotonic()
        down = await client.get("/api/admin/tenants", headers=admin)
        assert assert_problem(down, 503)["detail"] == "database unavailable"
        assert time.monotonic() - started < 5  # bounded by ITL_DATABASE_CONNECT_TIMEOUT
        login = await client.post(
            "/api/auth/login", json={"email": "a@b.example", "password": "whatever-password"}
        )
        assert_problem(login, 503)
        ready = await client.get("/ready")
        body = assert_problem(ready, 503)
        assert body["checks"] == {"postgres": "unavailable", "redis": "ok"}
        assert "postgres" in body["detail"]

        await asyncio.to_thread(server.start)
        deadline = time.monotonic() + 15
        while (
            status := (await client.get("/api/admin/tenants", headers=admin)).status_code
        ) != 200:
            assert status == 503 and time.monotonic() < deadline
            await asyncio.sleep(0.2)
        assert (await client.get("/ready")).status_code == 200


async def test_a_statement_over_the_timeout_answers_503(
    database: Any, pg_admin_url: str, settings: Settings, hasher: Argon2PasswordHasher
) -> None:
    client, container = await app_client(
        dataclasses.replace(settings, statement_timeout_ms=200), hasher
    )
    admin = platform_admin(container)
    async with client, await psycopg.AsyncConnection.connect(pg_admin_url) as locker:
        assert (await client.get("/api/admin/tenants", headers=admin)).status_code == 200
        async with locker.transaction():
            # Another session holds the table: the API's SELECT waits past its timeout.
            await locker.execute("LOCK TABLE tenants IN ACCESS EXCLUSIVE MODE")
            slow = await client.get("/api/admin/tenants", headers=admin)
        assert assert_problem(slow, 503)["detail"] == "database statement timed out"
        assert (await client.get("/api/admin/tenants", headers=admin)).status_code == 200
