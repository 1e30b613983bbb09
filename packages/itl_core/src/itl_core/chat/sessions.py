"""Reading and closing chat sessions.

Who sees what: members and widget visitors their own sessions; operators and tenant admins
every session of their tenant. A session outside that (another owner's, another tenant's) is
``NotFound``, exactly like a missing one. The tenant is always the ``Actor``'s.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from itl_core.chat.actor import Actor
from itl_core.clock import Clock
from itl_core.errors import NotFound
from itl_core.pagination import Page, PageRequest
from itl_core.sessions.model import ChatSession, Message, SessionStatus
from itl_core.sessions.ports import MessageRepository, SessionRepository


async def _readable(sessions: SessionRepository, actor: Actor, session_id: str) -> ChatSession:
    session = await sessions.get(actor.tenant_id, session_id)
    if session is None or not actor.can_read(session):
        raise NotFound("The session does not exist.")
    return session


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionQuery:
    """Which of the readable sessions to list, in which order.

    ``mine``: only the actor's own (staff otherwise read the whole tenant's; for everyone else
    it changes nothing). ``agent_id`` / ``status``: only sessions with that agent / status.
    """

    mine: bool = False
    agent_id: str | None = None
    status: SessionStatus | None = None
    newest_first: bool = False


class ListSessions:
    """The actor's sessions (staff: all of the tenant's), oldest first unless asked for newest
    first, paginated and filtered by ``SessionQuery``."""

    def __init__(self, sessions: SessionRepository) -> None:
        self._sessions = sessions

    async def execute(
        self, actor: Actor, page: PageRequest, query: SessionQuery | None = None
    ) -> Page[ChatSession]:
        query = query or SessionQuery()
        own = query.mine or not actor.is_staff
        return await self._sessions.list(
            actor.tenant_id,
            page,
            user_id=actor.user_id if own else None,
            visitor_id=actor.visitor_id if own else None,
            agent_id=query.agent_id,
            status=query.status,
            newest_first=query.newest_first,
        )


class GetSession:
    def __init__(self, sessions: SessionRepository) -> None:
        self._sessions = sessions

    async def execute(self, actor: Actor, session_id: str) -> ChatSession:
        return await _readable(self._sessions, actor, session_id)


class ListMessages:
    """A session's transcript, oldest first, paginated."""

    def __init__(self, sessions: SessionRepository, messages: MessageRepository) -> None:
        self._sessions, self._messages = sessions, messages

    async def execute(self, actor: Actor, session_id: str, page: PageRequest) -> Page[Message]:
        session = await _readable(self._sessions, actor, session_id)
        return await self._messages.list(actor.tenant_id, session.id, page)


class CloseSession:
    """Closes a session (no more turns); closing a closed session changes nothing."""

    def __init__(self, sessions: SessionRepository, clock: Clock) -> None:
        self._sessions, self._clock = sessions, clock

    async def execute(self, actor: Actor, session_id: str) -> ChatSession:
        session = await _readable(self._sessions, actor, session_id)
        if session.status is SessionStatus.CLOSED:
            return session
        closed = replace(session, status=SessionStatus.CLOSED, updated_at=self._clock.now())
        await self._sessions.update(closed)
        return closed
