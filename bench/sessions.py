"""Session polling benchmark: ``GET /api/{tenant}/sessions/{id}/messages`` and
``GET /api/{tenant}/sessions/{id}``, as the Chat screen polls them while an answer is pending,
with the session-state cache (``itl_adapters.cache.sessions``) and without it.

The API app runs in this process (``httpx.ASGITransport``: no sockets, no server loop, so the
figures are the application's own cost) on real embedded PostgreSQL and Redis. ``cached`` is the
production wiring; ``uncached`` replaces the session repository with the plain PostgreSQL one.
Each round issues the requests of both set-ups in alternation, so both see the same machine
load. Printed per route and set-up: p50 and p99 wall time and the p50 CPU time of this process.

``python -m bench sessions [--rounds N]`` (default 2,000 requests per route and set-up).
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
from dependency_injector import providers
from http_api.app import create_app
from itl_adapters.containers import Application, resolve
from itl_adapters.observability.logging import configure_logging
from itl_adapters.postgres import PgSessionRepository
from itl_adapters.seed import SYSTEM
from itl_adapters.services import start_services
from itl_adapters.settings import Settings
from itl_core.access import Role
from itl_core.security.ports import TokenKind
from itl_core.sessions.model import (
    Channel,
    ChatSession,
    Message,
    MessageRole,
    MessageStatus,
    SessionStatus,
)
from itl_core.tenants.use_cases import CreateTenantRequest

TENANT = "bench"
USER = "bench-user"
ROOMY = {"limits": {"api": {"tenant": 1_000_000, "actor": 1_000_000, "ip": 1_000_000}}}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


async def seed(container: Application) -> tuple[str, str]:
    """The tenant, one session of ``USER`` with a 20-message transcript; (session id, token)."""
    create_tenant = await resolve(container.use_cases.create_tenant)
    await create_tenant.execute(
        CreateTenantRequest(principal=SYSTEM, id=TENANT, name="Bench", settings=ROOMY)
    )
    clock, ids = container.infra.clock(), container.infra.ids()
    now = clock.now()
    chat = ChatSession(
        id=ids.new_id(), tenant_id=TENANT, channel=Channel.WEB, status=SessionStatus.ACTIVE,
        user_id=USER, created_at=now, updated_at=now,
    )  # fmt: skip
    await (await resolve(container.repositories.sessions)).add(chat)
    messages = await resolve(container.repositories.messages)
    for i in range(20):
        role = MessageRole.USER if i % 2 == 0 else MessageRole.ASSISTANT
        await messages.add(
            Message(
                id=ids.new_id(), tenant_id=TENANT, session_id=chat.id, role=role,
                content=f"message {i} " * 20, status=MessageStatus.COMPLETE,
                created_at=now + timedelta(milliseconds=i),
            )
        )  # fmt: skip
    await (await resolve(container.repositories.sessions)).update(
        replace(chat, updated_at=clock.now())
    )
    token = container.infra.tokens().issue(
        kind=TokenKind.ACCESS, subject=USER, tenant_id=TENANT, role=Role.MEMBER.value
    )
    return chat.id, token.token


async def run(rounds: int) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="itl-bench-sessions-"))
    services = await start_services(Settings(data_dir=data_dir, seed_demo=False))
    cached = Application(settings=services.settings)
    uncached = Application(settings=services.settings)
    uncached.repositories.sessions.override(
        providers.Factory(PgSessionRepository, uncached.infra.database)
    )
    try:
        for container in (cached, uncached):
            await container.init_resources()  # type: ignore[misc]
        session_id, token = await seed(cached)
        headers = {"Authorization": f"Bearer {token}"}
        clients = {
            name: httpx.AsyncClient(
                transport=httpx.ASGITransport(app=create_app(container)),
                base_url="http://bench",
                headers=headers,
            )
            for name, container in (("cached", cached), ("uncached", uncached))
        }
        # The production logging set-up, warnings only: a request line per request would flood
        # the output.
        configure_logging(level="WARNING")
        routes = {
            "GET sessions/{id}/messages": f"/api/{TENANT}/sessions/{session_id}/messages",
            "GET sessions/{id}": f"/api/{TENANT}/sessions/{session_id}",
        }
        for route, path in routes.items():
            wall: dict[str, list[float]] = {name: [] for name in clients}
            cpu: dict[str, list[float]] = {name: [] for name in clients}
            for _ in range(rounds // 10):  # warm-up: connections, caches, JIT-free but lazy imports
                for client in clients.values():
                    (await client.get(path)).raise_for_status()
            for _ in range(rounds):
                for name, client in clients.items():
                    w, c = await timed(lambda client=client, path=path: client.get(path))
                    wall[name].append(w)
                    cpu[name].append(c)
            for name in clients:
                print(
                    f"{route:<28} {name:<9} p50 {statistics.median(wall[name]):6.3f} ms"
                    f"   p99 {percentile(wall[name], 0.99):6.3f} ms"
                    f"   cpu p50 {statistics.median(cpu[name]):6.3f} ms   n={rounds}"
                )
        for client in clients.values():
            await client.aclose()
    finally:
        for container in (cached, uncached):
            await container.shutdown_resources()  # type: ignore[misc]
        services.stop()
        if services.postgres is not None:
            services.postgres.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


async def timed(call: Callable[[], Awaitable[httpx.Response]]) -> tuple[float, float]:
    """(wall ms, CPU ms of this process) of one request that must succeed."""
    wall, cpu = time.perf_counter(), time.process_time()
    response = await call()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    response.raise_for_status()
    return wall * 1000, cpu * 1000


def main(argv: list[str]) -> None:
    rounds = int(argv[argv.index("--rounds") + 1]) if "--rounds" in argv else 2000
    asyncio.run(run(rounds))
