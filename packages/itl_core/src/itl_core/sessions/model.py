"""Chat sessions and messages.

A user message is stored before any model call; an assistant message is stored with the
status it ended in, so a transcript never silently loses a turn.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class Channel(enum.StrEnum):
    WEB = "web"
    WIDGET = "widget"
    API = "api"


class SessionStatus(enum.StrEnum):
    ACTIVE = "active"
    WAITING_FOR_HUMAN = "waiting_for_human"
    CLOSED = "closed"


class MessageRole(enum.StrEnum):
    USER = "user"
    ASSISTANT = "assistant"
    SYSTEM = "system"


class MessageStatus(enum.StrEnum):
    PENDING = "pending"  # an assistant message whose stream is in flight
    COMPLETE = "complete"
    INTERRUPTED = "interrupted"
    FAILED = "failed"


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatSession:
    """Owned by a signed-in user (``user_id``) or a widget visitor (``visitor_id``)."""

    id: str
    tenant_id: str
    channel: Channel
    status: SessionStatus
    user_id: str | None = None
    visitor_id: str | None = None
    agent_id: str | None = None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    id: str
    tenant_id: str
    session_id: str
    role: MessageRole
    content: str
    status: MessageStatus
    agent_id: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    created_at: datetime
