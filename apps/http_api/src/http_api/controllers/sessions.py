"""A signed-in user's chat sessions and transcripts (API.md, "Chat (signed-in users)").

The path's tenant must be the token's (else 404). Members see their own sessions; operators and
tenant admins every session of their tenant; anything else (another user's session for a
member, another tenant's for anyone) answers 404, the same as a missing one.
"""

from __future__ import annotations

from itl_core.access import Principal
from itl_core.chat.actor import Actor
from itl_core.chat.sessions import (
    CloseSession,
    GetSession,
    ListMessages,
    ListSessions,
    SessionQuery,
)
from itl_core.pagination import PageRequest
from itl_core.sessions.model import SessionStatus
from itl_web.transcript import MessageOut, MessagePageOut
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from http_api.dto.chat import (
    AgentFilter,
    SessionOrder,
    SessionOut,
    SessionPageOut,
    SessionStatusName,
)


class SessionController(Controller):
    path = "/api/{tenant_id:str}/sessions"
    tags = ["sessions"]
    security = [{"BearerToken": []}]

    @get("/", operation_id="listSessions")
    async def list_sessions(
        self,
        tenant_id: FromPath[str],
        principal: NamedDependency[Principal],
        list_sessions: NamedDependency[ListSessions],
        limit: FromQuery[int | None] = None,
        cursor: FromQuery[str | None] = None,
        agent_id: AgentFilter = None,
        status: FromQuery[SessionStatusName | None] = None,
        mine: FromQuery[bool] = False,
        order: FromQuery[SessionOrder] = "oldest",
    ) -> SessionPageOut:
        """Members get their own sessions, staff all of the tenant's (``mine=true``: only their
        own). ``agent_id`` / ``status`` keep the sessions with that agent / status; ``order``
        is ``oldest`` (default) or ``newest`` first, and a cursor continues in that order."""
        actor = Actor.from_principal(principal, tenant_id)
        query = SessionQuery(
            mine=mine,
            agent_id=agent_id,
            status=SessionStatus(status) if status is not None else None,
            newest_first=order == "newest",
        )
        page = await list_sessions.execute(actor, PageRequest.parse(limit, cursor), query)
        return SessionPageOut(
            items=[SessionOut.of(s) for s in page.items], next_cursor=page.next_cursor
        )

    @get("/{session_id:str}", operation_id="getSession")
    async def get_session(
        self,
        tenant_id: FromPath[str],
        session_id: FromPath[str],
        principal: NamedDependency[Principal],
        get_session: NamedDependency[GetSession],
    ) -> SessionOut:
        actor = Actor.from_principal(principal, tenant_id)
        return SessionOut.of(await get_session.execute(actor, session_id))

    @get("/{session_id:str}/messages", operation_id="listSessionMessages")
    async def list_messages(
        self,
        tenant_id: FromPath[str],
        session_id: FromPath[str],
        principal: NamedDependency[Principal],
        list_messages: NamedDependency[ListMessages],
        limit: FromQuery[int | None] = None,
        cursor: FromQuery[str | None] = None,
    ) -> MessagePageOut:
        """The transcript, oldest first; each assistant message carries its status and the
        turn's metadata (routing, tools, citations, usage)."""
        actor = Actor.from_principal(principal, tenant_id)
        page = await list_messages.execute(actor, session_id, PageRequest.parse(limit, cursor))
        return MessagePageOut(
            items=[MessageOut.of(m) for m in page.items], next_cursor=page.next_cursor
        )

    @post("/{session_id:str}/close", operation_id="closeSession", status_code=200)
    async def close_session(
        self,
        tenant_id: FromPath[str],
        session_id: FromPath[str],
        principal: NamedDependency[Principal],
        close_session: NamedDependency[CloseSession],
    ) -> SessionOut:
        """No more turns in this session; closing a closed session changes nothing."""
        actor = Actor.from_principal(principal, tenant_id)
        return SessionOut.of(await close_session.execute(actor, session_id))
