"""PostgreSQL tool-spec repository; sealed secrets are stored as ``{name: base64(ciphertext)}``."""

from __future__ import annotations

import base64
from collections.abc import Mapping

from itl_core.errors import NotFound
from itl_core.pagination import Page, PageRequest
from itl_core.tools.model import ToolKind, ToolSpec
from psycopg.types.json import Jsonb

from itl_adapters.postgres._sql import Row, execute, fetch_one, fetch_page
from itl_adapters.postgres.database import Database

_COLUMNS = "id, tenant_id, name, kind, description, config, sealed_secrets, created_at, updated_at"
_SELECT = f"SELECT {_COLUMNS} FROM tool_specs WHERE tenant_id = %s"


def _tool(row: Row) -> ToolSpec:
    secrets = {k: base64.b64decode(v) for k, v in row["sealed_secrets"].items()}
    return ToolSpec(**{**row, "kind": ToolKind(row["kind"]), "sealed_secrets": secrets})


def _sealed(secrets: Mapping[str, bytes]) -> Jsonb:
    return Jsonb({k: base64.b64encode(v).decode("ascii") for k, v in secrets.items()})


class PgToolSpecRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, tenant_id: str, tool_id: str) -> ToolSpec | None:
        async with self._db.tenant(tenant_id) as conn:
            row = await fetch_one(conn, f"{_SELECT} AND id = %s", [tenant_id, tool_id])
        return _tool(row) if row else None

    async def list(self, tenant_id: str, page: PageRequest) -> Page[ToolSpec]:
        async with self._db.tenant(tenant_id) as conn:
            return await fetch_page(conn, _SELECT, [tenant_id], page, _tool)

    async def add(self, tool: ToolSpec) -> None:
        async with self._db.tenant(tool.tenant_id) as conn:
            await execute(
                conn,
                f"INSERT INTO tool_specs ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    tool.id,
                    tool.tenant_id,
                    tool.name,
                    tool.kind.value,
                    tool.description,
                    Jsonb(dict(tool.config)),
                    _sealed(tool.sealed_secrets),
                    tool.created_at,
                    tool.updated_at,
                ],
            )

    async def update(self, tool: ToolSpec) -> None:
        """Raises NotFound when the tool does not exist in its tenant."""
        async with self._db.tenant(tool.tenant_id) as conn:
            touched = await execute(
                conn,
                "UPDATE tool_specs SET name = %s, kind = %s, description = %s, config = %s,"
                " sealed_secrets = %s, updated_at = %s WHERE tenant_id = %s AND id = %s",
                [
                    tool.name,
                    tool.kind.value,
                    tool.description,
                    Jsonb(dict(tool.config)),
                    _sealed(tool.sealed_secrets),
                    tool.updated_at,
                    tool.tenant_id,
                    tool.id,
                ],
            )
        if not touched:
            raise NotFound("The tool does not exist.")

    async def delete(self, tenant_id: str, tool_id: str) -> bool:
        async with self._db.tenant(tenant_id) as conn:
            return bool(
                await execute(
                    conn,
                    "DELETE FROM tool_specs WHERE tenant_id = %s AND id = %s",
                    [tenant_id, tool_id],
                )
            )
