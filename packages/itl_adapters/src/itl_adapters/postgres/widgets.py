"""PostgreSQL widget configuration: one row per tenant, saved by upsert."""

from __future__ import annotations

from itl_core.widgets.model import WidgetConfig
from psycopg.types.json import Jsonb

from itl_adapters.postgres._sql import Row, execute, fetch_one
from itl_adapters.postgres.database import Database

_COLUMNS = (
    "tenant_id, title, welcome_message, theme, position, starter_prompts, allowed_origins,"
    " sealed_identity_secret, updated_at"
)


def _config(row: Row) -> WidgetConfig:
    return WidgetConfig(
        **{
            **row,
            "starter_prompts": tuple(row["starter_prompts"]),
            "allowed_origins": tuple(row["allowed_origins"]),
        }
    )


class PgWidgetConfigRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, tenant_id: str) -> WidgetConfig | None:
        async with self._db.tenant(tenant_id) as conn:
            row = await fetch_one(
                conn, f"SELECT {_COLUMNS} FROM widget_configs WHERE tenant_id = %s", [tenant_id]
            )
        return _config(row) if row else None

    async def save(self, config: WidgetConfig) -> None:
        async with self._db.tenant(config.tenant_id) as conn:
            await execute(
                conn,
                f"INSERT INTO widget_configs ({_COLUMNS})"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (tenant_id) DO UPDATE SET title = excluded.title,"
                " welcome_message = excluded.welcome_message, theme = excluded.theme,"
                " position = excluded.position, starter_prompts = excluded.starter_prompts,"
                " allowed_origins = excluded.allowed_origins,"
                " sealed_identity_secret = excluded.sealed_identity_secret,"
                " updated_at = excluded.updated_at",
                [
                    config.tenant_id,
                    config.title,
                    config.welcome_message,
                    Jsonb(dict(config.theme)),
                    config.position,
                    list(config.starter_prompts),
                    list(config.allowed_origins),
                    config.sealed_identity_secret,
                    config.updated_at,
                ],
            )
