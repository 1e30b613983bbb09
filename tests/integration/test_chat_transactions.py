"""The chat turn's transactions on a real pool: a turn never holds one pooled connection while
waiting for another (which, with as many turns as connections, would starve the pool)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from itl_adapters.containers import Application, resolve
from itl_adapters.postgres import Database, PgTenantRepository
from itl_adapters.settings import Settings
from itl_core.access import Role
from itl_core.chat import Actor, ChatTurnRequest, collect_result
from itl_core.sessions.model import Channel

from tests.contract.builders import agent, tenant

BUDGET = {"budget": {"daily_tokens": 1_000_000, "soft_ratio": 0.8}}


async def test_a_turn_of_a_budgeted_tenant_runs_on_a_single_connection_pool(
    database: Database, pg_runtime_url: str, redis_url: str, tmp_path: Path
) -> None:
    # The budget check reads the tenant (platform scope: a connection of its own) when its
    # quotas are not remembered yet; inside the turn's first transaction, on a pool of one, it
    # would wait for the pool's timeout and then run without the tenant's budget.
    await PgTenantRepository(database).add(tenant("acme", settings=BUDGET))
    settings = Settings(
        data_dir=tmp_path,
        database_url=pg_runtime_url,
        redis_url=redis_url,
        migrate_on_start=False,
        database_pool_min=1,
        database_pool_max=1,
    )
    container = Application(settings=settings)
    await container.init_resources()  # type: ignore[misc]
    try:
        agents = await resolve(container.repositories.agents)
        await agents.add(agent("acme", "Helper", provider="offline", model="offline-1"))
        chat_turn: Any = await resolve(container.use_cases.chat_turn)
        actor = Actor(tenant_id="acme", channel=Channel.API, user_id="u-1", role=Role.MEMBER)
        started = time.monotonic()
        result = await collect_result(
            chat_turn.execute(ChatTurnRequest(actor=actor, message="Hello"))
        )
        elapsed = time.monotonic() - started
    finally:
        await container.shutdown_resources()  # type: ignore[misc]
    assert result.metadata["usage"]["output_tokens"] > 0
    assert "budget_warning" not in result.metadata
    assert elapsed < 3, f"the turn waited {elapsed:.1f} s for a pooled connection"
