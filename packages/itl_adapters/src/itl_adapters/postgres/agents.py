"""PostgreSQL agent repository. Name uniqueness and the one-active-supervisor rule are unique
indexes (``agents_name_key``, ``agents_one_active_supervisor_key``), so they hold under
concurrent writes; violations surface as Conflict through ``translate_errors``."""

from __future__ import annotations

from itl_core.agents.model import Agent, AgentKind, RoutingHints
from itl_core.errors import NotFound
from itl_core.pagination import Page, PageRequest
from psycopg.types.json import Jsonb

from itl_adapters.postgres._sql import Row, execute, fetch_one, fetch_page
from itl_adapters.postgres.database import Database

_COLUMNS = (
    "id, tenant_id, name, kind, description, system_prompt, provider, model, temperature,"
    " max_tokens, tool_ids, routing, is_active, created_at, updated_at"
)
_SELECT = f"SELECT {_COLUMNS} FROM agents WHERE tenant_id = %s"
_HINTS = ("keywords", "patterns", "examples")


def _agent(row: Row) -> Agent:
    routing = row["routing"]
    return Agent(
        **{
            **row,
            "kind": AgentKind(row["kind"]),
            "tool_ids": tuple(row["tool_ids"]),
            "routing": RoutingHints(
                **{k: tuple(routing.get(k, ())) for k in _HINTS},
                priority=int(routing.get("priority", 0)),
            ),
        }
    )


def _routing(hints: RoutingHints) -> Jsonb:
    return Jsonb({**{k: list(getattr(hints, k)) for k in _HINTS}, "priority": hints.priority})


def _mutable_values(agent: Agent) -> list[object]:
    return [
        agent.name, agent.kind.value, agent.description, agent.system_prompt, agent.provider,
        agent.model, agent.temperature, agent.max_tokens, list(agent.tool_ids),
        _routing(agent.routing), agent.is_active,
    ]  # fmt: skip


class PgAgentRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, tenant_id: str, agent_id: str) -> Agent | None:
        async with self._db.tenant(tenant_id) as conn:
            row = await fetch_one(conn, f"{_SELECT} AND id = %s", [tenant_id, agent_id])
        return _agent(row) if row else None

    async def list(self, tenant_id: str, page: PageRequest) -> Page[Agent]:
        async with self._db.tenant(tenant_id) as conn:
            return await fetch_page(conn, _SELECT, [tenant_id], page, _agent)

    async def find_by_name(self, tenant_id: str, name: str) -> Agent | None:
        async with self._db.tenant(tenant_id) as conn:
            row = await fetch_one(
                conn, f"{_SELECT} AND lower(name) = lower(%s)", [tenant_id, name.strip()]
            )
        return _agent(row) if row else None

    async def active_supervisor(self, tenant_id: str) -> Agent | None:
        async with self._db.tenant(tenant_id) as conn:
            row = await fetch_one(
                conn, f"{_SELECT} AND kind = 'supervisor' AND is_active", [tenant_id]
            )
        return _agent(row) if row else None

    async def add(self, agent: Agent) -> None:
        async with self._db.tenant(agent.tenant_id) as conn:
            await execute(
                conn,
                f"INSERT INTO agents ({_COLUMNS}) VALUES ({', '.join(['%s'] * 15)})",
                [
                    agent.id,
                    agent.tenant_id,
                    *_mutable_values(agent),
                    agent.created_at,
                    agent.updated_at,
                ],
            )

    async def update(self, agent: Agent) -> None:
        """Raises NotFound when the agent does not exist in its tenant."""
        async with self._db.tenant(agent.tenant_id) as conn:
            touched = await execute(
                conn,
                "UPDATE agents SET name = %s, kind = %s, description = %s, system_prompt = %s,"
                " provider = %s, model = %s, temperature = %s, max_tokens = %s, tool_ids = %s,"
                " routing = %s, is_active = %s, updated_at = %s WHERE tenant_id = %s AND id = %s",
                [*_mutable_values(agent), agent.updated_at, agent.tenant_id, agent.id],
            )
        if not touched:
            raise NotFound("The agent does not exist.")

    async def delete(self, tenant_id: str, agent_id: str) -> bool:
        async with self._db.tenant(tenant_id) as conn:
            return bool(
                await execute(
                    conn,
                    "DELETE FROM agents WHERE tenant_id = %s AND id = %s",
                    [tenant_id, agent_id],
                )
            )
