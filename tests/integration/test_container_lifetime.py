"""``resources_open``: while a container's resources are open, its providers build plain
objects (no futures, so no turns of the event loop per request), and the resources still
close cleanly afterwards."""

from __future__ import annotations

import inspect
from pathlib import Path

from itl_adapters.containers import Application
from itl_adapters.resources import resources_open
from itl_adapters.settings import Settings
from itl_core.chat.turn import ChatTurn


async def test_providers_build_plain_objects_while_the_resources_are_open(
    pg_runtime_url: str, redis_url: str, tmp_path: Path
) -> None:
    settings = Settings(
        data_dir=tmp_path, database_url=pg_runtime_url, redis_url=redis_url, migrate_on_start=False
    )
    container = Application(settings=settings)
    async with resources_open(container):
        first, second = container.use_cases.chat_turn(), container.use_cases.chat_turn()
        assert not inspect.isawaitable(first)
        assert first is not second  # still a fresh object per call
        assert isinstance(container.use_cases.chat_turn_core(), ChatTurn)
        database = container.infra.database()
        await database.ping()
    # Closed with the block; outside it, a provider fed by a Resource is async again.
    reopened = container.infra.database()
    assert inspect.isawaitable(reopened)
    database = await reopened  # initialises the resource anew
    await database.ping()
    await container.shutdown_resources()  # type: ignore[misc]
