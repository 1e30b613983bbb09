"""Wire formats of the chat and sessions routes (API.md, "Chat (signed-in users)").

The chat answer itself is ``ChatResult.as_dict()`` (shared with the widget and the SSE ``done``
event); transcripts use ``itl_web.transcript``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from itl_core.sessions.model import ChatSession
from litestar.params import QueryParameter

from http_api.dto.common import StrictIn

ChatText = Annotated[str, msgspec.Meta(max_length=20_000)]  # the core enforces the real bound
OpaqueId = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class ChatIn(StrictIn):
    """``user_id`` is accepted for older clients and ignored: the user is the token's."""

    message: ChatText
    session_id: OpaqueId | None = None
    stream: bool = False
    user_id: Annotated[str, msgspec.Meta(max_length=320)] | None = None


# Query parameters of ``GET /api/{tenant_id}/sessions`` (Litestar enforces ``QueryParameter``
# constraints and ``Literal`` values at the edge: anything else is a 400 problem).
SessionStatusName = Literal["active", "waiting_for_human", "closed"]
SessionOrder = Literal["oldest", "newest"]
AgentFilter = Annotated[
    str | None,
    QueryParameter(
        min_length=1, max_length=64, description="Only sessions with this agent (its id)."
    ),
]


class SessionOut(msgspec.Struct, kw_only=True):
    """``agent`` is the id of the agent the session is with (None before the first answer)."""

    id: str
    status: str
    agent: str | None
    channel: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, session: ChatSession) -> SessionOut:
        return cls(
            id=session.id,
            status=session.status.value,
            agent=session.agent_id,
            channel=session.channel.value,
            created_at=session.created_at,
            updated_at=session.updated_at,
        )


class SessionPageOut(msgspec.Struct, kw_only=True):
    items: list[SessionOut]
    next_cursor: str | None
