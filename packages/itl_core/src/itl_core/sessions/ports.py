"""Session and message repository ports."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

from itl_core.pagination import Page, PageRequest
from itl_core.sessions.model import ChatSession, Message, MessageStatus, SessionStatus


class SessionRepository(Protocol):
    """A tenant's chat sessions.

    ``list`` keeps only the sessions matching every filter given (``user_id``, ``visitor_id``,
    ``agent_id``, ``status``); pages run in ``(created_at, id)`` order, newest first when
    ``newest_first`` (a cursor then continues with older sessions).
    """

    async def get(self, tenant_id: str, session_id: str) -> ChatSession | None: ...

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
    ) -> Page[ChatSession]: ...

    async def add(self, session: ChatSession) -> None: ...

    async def update(self, session: ChatSession) -> None: ...

    async def after_turn(
        self,
        tenant_id: str,
        session_id: str,
        *,
        agent_id: str | None,
        handoff: bool,
        at: datetime,
    ) -> None:
        """A chat turn's mark on its session, applied to the session as it is now (in one
        statement, so a change made meanwhile, such as closing it, is kept): the agent that
        answered becomes the session's (when given), an active session waits for a human after
        a ``handoff``, ``updated_at`` becomes ``at``. A session that is gone is left alone."""
        ...


class MessageRepository(Protocol):
    """Append-only transcript; only an assistant message's status and metadata may change."""

    async def add(self, message: Message) -> None: ...

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
        """Settle an assistant message; ``agent_id``, if given, names the agent that answered
        (a chat turn stores its answer before routing decides)."""
        ...

    async def list(self, tenant_id: str, session_id: str, page: PageRequest) -> Page[Message]:
        """Oldest first."""
        ...

    async def recent(self, tenant_id: str, session_id: str, limit: int) -> list[Message]:
        """The newest ``limit`` messages of the session, oldest first (one read, however long
        the transcript)."""
        ...

    async def mark_pending_interrupted(self) -> int:
        """Start-up reaper: every ``pending`` message of every tenant becomes ``interrupted``."""
        ...
