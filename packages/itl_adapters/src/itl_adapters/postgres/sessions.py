"""PostgreSQL chat sessions and messages.

Messages are append-only except ``finish``, which settles an assistant message's final status,
content and metadata. ``mark_pending_interrupted`` is the start-up reaper and the one platform-
scoped call here: it runs before any request, across every tenant.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from itl_core.errors import NotFound, ValidationFailed
from itl_core.pagination import Page, PageRequest
from itl_core.sessions.model import (
    Channel,
    ChatSession,
    Message,
    MessageRole,
    MessageStatus,
    SessionStatus,
)
from psycopg.types.json import Jsonb

from itl_adapters.postgres._sql import Row, execute, fetch_all, fetch_one, fetch_page, queue
from itl_adapters.postgres.database import Database

_SESSION_COLUMNS = (
    "id, tenant_id, channel, status, user_id, visitor_id, agent_id, created_at, updated_at"
)
_MESSAGE_COLUMNS = (
    "id, tenant_id, session_id, role, content, status, agent_id, metadata, created_at"
)


def _session(row: Row) -> ChatSession:
    return ChatSession(
        **{**row, "channel": Channel(row["channel"]), "status": SessionStatus(row["status"])}
    )


def _message(row: Row) -> Message:
    return Message(
        **{**row, "role": MessageRole(row["role"]), "status": MessageStatus(row["status"])}
    )


class PgSessionRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, tenant_id: str, session_id: str) -> ChatSession | None:
        async with self._db.tenant(tenant_id) as conn:
            row = await fetch_one(
                conn,
                f"SELECT {_SESSION_COLUMNS} FROM chat_sessions WHERE tenant_id = %s AND id = %s",
                [tenant_id, session_id],
            )
        return _session(row) if row else None

    async def list(
        self,
        tenant_id: str,
        page: PageRequest,
        *,
        user_id: str | None = None,
        visitor_id: str | None = None,
        agent_id: str | None = None,
        status: SessionStatus | None = None,
        newest_first: bool = False,
    ) -> Page[ChatSession]:
        query = f"SELECT {_SESSION_COLUMNS} FROM chat_sessions WHERE tenant_id = %s"
        params: list[Any] = [tenant_id]
        filters = {
            "user_id": user_id,
            "visitor_id": visitor_id,
            "agent_id": agent_id,
            "status": status.value if status is not None else None,
        }
        for column, value in filters.items():  # column names are this dict's literals
            if value is not None:
                query += f" AND {column} = %s"
                params.append(value)
        async with self._db.tenant(tenant_id) as conn:
            return await fetch_page(conn, query, params, page, _session, descending=newest_first)

    async def add(self, session: ChatSession) -> None:
        async with self._db.tenant(session.tenant_id) as conn:
            await queue(
                conn,
                f"INSERT INTO chat_sessions ({_SESSION_COLUMNS})"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    session.id,
                    session.tenant_id,
                    session.channel.value,
                    session.status.value,
                    session.user_id,
                    session.visitor_id,
                    session.agent_id,
                    session.created_at,
                    session.updated_at,
                ],
            )

    async def update(self, session: ChatSession) -> None:
        """Rewrites all but id, tenant and created_at; NotFound when the session does not exist."""
        async with self._db.tenant(session.tenant_id) as conn:
            touched = await execute(
                conn,
                "UPDATE chat_sessions SET channel = %s, status = %s, user_id = %s,"
                " visitor_id = %s, agent_id = %s, updated_at = %s WHERE tenant_id = %s AND id = %s",
                [
                    session.channel.value,
                    session.status.value,
                    session.user_id,
                    session.visitor_id,
                    session.agent_id,
                    session.updated_at,
                    session.tenant_id,
                    session.id,
                ],
            )
        if not touched:
            raise NotFound("The session does not exist.")

    async def after_turn(
        self,
        tenant_id: str,
        session_id: str,
        *,
        agent_id: str | None,
        handoff: bool,
        at: datetime,
    ) -> None:
        """Queued (``_sql.queue``): in the settling unit it travels with the commit."""
        async with self._db.tenant(tenant_id) as conn:
            await queue(
                conn,
                "UPDATE chat_sessions SET agent_id = coalesce(%s, agent_id),"
                " status = CASE WHEN %s AND status = 'active' THEN 'waiting_for_human'"
                " ELSE status END, updated_at = %s WHERE tenant_id = %s AND id = %s",
                [agent_id, handoff, at, tenant_id, session_id],
            )


class PgMessageRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, message: Message) -> None:
        """Raises NotFound when the session does not exist in the message's tenant."""
        async with self._db.tenant(message.tenant_id) as conn:
            await queue(
                conn,
                f"INSERT INTO messages ({_MESSAGE_COLUMNS})"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    message.id,
                    message.tenant_id,
                    message.session_id,
                    message.role.value,
                    message.content,
                    message.status.value,
                    message.agent_id,
                    Jsonb(dict(message.metadata)),
                    message.created_at,
                ],
            )

    async def finish(
        self,
        tenant_id: str,
        message_id: str,
        *,
        status: MessageStatus,
        content: str,
        metadata: Mapping[str, Any],
        agent_id: str | None = None,
    ) -> None:
        """Settle an assistant message. ValidationFailed for ``pending``; NotFound when there is
        no assistant message with this id in the tenant."""
        if status is MessageStatus.PENDING:
            raise ValidationFailed.single("status", "a finished message cannot be pending")
        async with self._db.tenant(tenant_id) as conn:
            touched = await execute(
                conn,
                "UPDATE messages SET status = %s, content = %s, metadata = %s,"
                " agent_id = coalesce(%s, agent_id)"
                " WHERE tenant_id = %s AND id = %s AND role = 'assistant'",
                [status.value, content, Jsonb(dict(metadata)), agent_id, tenant_id, message_id],
            )
        if not touched:
            raise NotFound("The message does not exist.")

    async def list(self, tenant_id: str, session_id: str, page: PageRequest) -> Page[Message]:
        """Oldest first."""
        async with self._db.tenant(tenant_id) as conn:
            return await fetch_page(
                conn,
                f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE tenant_id = %s AND session_id = %s",
                [tenant_id, session_id],
                page,
                _message,
            )

    async def recent(self, tenant_id: str, session_id: str, limit: int) -> list[Message]:
        """The newest ``limit`` messages, oldest first (``messages_keyset_idx``, read backwards)."""
        if limit <= 0:
            return []
        async with self._db.tenant(tenant_id) as conn:
            rows = await fetch_all(
                conn,
                f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE tenant_id = %s AND session_id = %s"
                " ORDER BY created_at DESC, id DESC LIMIT %s",
                [tenant_id, session_id, limit],
            )
        return [_message(row) for row in reversed(rows)]

    async def mark_pending_interrupted(self) -> int:
        async with self._db.platform() as conn:
            return await execute(
                conn, "UPDATE messages SET status = 'interrupted' WHERE status = 'pending'", []
            )
