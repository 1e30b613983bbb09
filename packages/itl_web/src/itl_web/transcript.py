"""Wire format of a transcript (API.md: ``.../sessions/{session_id}/messages``), shared by the
signed-in users' sessions routes and the widget's, so both answer the same message shape."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import msgspec
from itl_core.sessions.model import Message

__all__ = ["MessageOut", "MessagePageOut"]


class MessageOut(msgspec.Struct, kw_only=True):
    """``agent`` is the answering agent's id (None for user messages); ``metadata`` is what the
    turn recorded (routing, tools, citations, usage, latency, provider, model, error)."""

    id: str
    role: str
    content: str
    agent: str | None
    status: str
    created_at: datetime
    metadata: Mapping[str, Any]

    @classmethod
    def of(cls, message: Message) -> MessageOut:
        return cls(
            id=message.id,
            role=message.role.value,
            content=message.content,
            agent=message.agent_id,
            status=message.status.value,
            created_at=message.created_at,
            metadata=dict(message.metadata),
        )


class MessagePageOut(msgspec.Struct, kw_only=True):
    items: list[MessageOut]
    next_cursor: str | None
