"""Builders of valid domain objects for the contract suites; keyword overrides change a field."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from itl_core.access import Role
from itl_core.agents.model import Agent, AgentKind
from itl_core.auth.model import RefreshTokenRecord
from itl_core.knowledge.model import Chunk, Document, DocumentStatus
from itl_core.pagination import Page, PageRequest, decode_cursor
from itl_core.sessions.model import (
    Channel,
    ChatSession,
    Message,
    MessageRole,
    MessageStatus,
    SessionStatus,
)
from itl_core.tenants.model import Tenant
from itl_core.tools.model import ToolKind, ToolSpec
from itl_core.users.model import User
from itl_core.widgets.model import WidgetConfig

T = TypeVar("T")

# Microseconds on purpose: the database must round-trip them exactly.
EPOCH = datetime(2025, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return EPOCH + timedelta(seconds=seconds)


def new_id() -> str:
    return str(uuid.uuid4())


def tenant(id: str, **kw: Any) -> Tenant:
    return Tenant(
        **{"id": id, "name": f"Tenant {id}", "created_at": at(0), "updated_at": at(0), **kw}
    )


def user(tenant_id: str | None, **kw: Any) -> User:
    defaults = {
        "id": new_id(),
        "tenant_id": tenant_id,
        "email": f"{new_id()[:8]}@example.com",
        "role": Role.PLATFORM_ADMIN if tenant_id is None else Role.MEMBER,
        "password_hash": "$argon2id$fake",
        "is_active": True,
        "created_at": at(0),
        "updated_at": at(0),
    }
    return User(**{**defaults, **kw})


def refresh_token(owner: User, **kw: Any) -> RefreshTokenRecord:
    defaults = {
        "id": new_id(),
        "family_id": new_id(),
        "user_id": owner.id,
        "tenant_id": owner.tenant_id,
        "token_hash": new_id().replace("-", "") * 2,
        "created_at": at(0),
        "expires_at": at(3600),
    }
    return RefreshTokenRecord(**{**defaults, **kw})


def agent(tenant_id: str, name: str = "", **kw: Any) -> Agent:
    defaults = {
        "id": new_id(),
        "tenant_id": tenant_id,
        "name": name or f"agent-{new_id()[:8]}",
        "kind": AgentKind.DOMAIN,
        "created_at": at(0),
        "updated_at": at(0),
    }
    return Agent(**{**defaults, **kw})


def tool(tenant_id: str, name: str = "", **kw: Any) -> ToolSpec:
    defaults = {
        "id": new_id(),
        "tenant_id": tenant_id,
        "name": name or f"tool-{new_id()[:8]}",
        "kind": ToolKind.HTTP,
        "created_at": at(0),
        "updated_at": at(0),
    }
    return ToolSpec(**{**defaults, **kw})


def session(tenant_id: str, **kw: Any) -> ChatSession:
    defaults = {
        "id": new_id(),
        "tenant_id": tenant_id,
        "channel": Channel.WEB,
        "status": SessionStatus.ACTIVE,
        "created_at": at(0),
        "updated_at": at(0),
    }
    return ChatSession(**{**defaults, **kw})


def message(chat: ChatSession, **kw: Any) -> Message:
    defaults = {
        "id": new_id(),
        "tenant_id": chat.tenant_id,
        "session_id": chat.id,
        "role": MessageRole.USER,
        "content": "hello",
        "status": MessageStatus.COMPLETE,
        "created_at": at(0),
    }
    return Message(**{**defaults, **kw})


def widget(tenant_id: str, **kw: Any) -> WidgetConfig:
    return WidgetConfig(**{"tenant_id": tenant_id, "updated_at": at(0), **kw})


def document(tenant_id: str, **kw: Any) -> Document:
    defaults = {
        "id": new_id(),
        "tenant_id": tenant_id,
        "title": "Returns policy",
        "content_hash": new_id(),
        "status": DocumentStatus.READY,
        "bytes": 1234,
        "created_at": at(0),
    }
    return Document(**{**defaults, **kw})


def chunk(doc: Document, position: int, **kw: Any) -> Chunk:
    defaults = {
        "id": new_id(),
        "tenant_id": doc.tenant_id,
        "document_id": doc.id,
        "position": position,
        "text": f"passage {position}",
        "heading_path": ("Policies", "Returns"),
        "embedding": tuple(float(i % 7) / 7 for i in range(384)),
    }
    return Chunk(**{**defaults, **kw})


async def all_pages(fetch: Callable[[PageRequest], Awaitable[Page[T]]], limit: int) -> list[T]:
    """Walk every page via the cursors; fails if a cursor loops."""

    items: list[T] = []
    request = PageRequest(limit=limit)
    for _ in range(100):
        page = await fetch(request)
        assert len(page.items) <= limit
        items.extend(page.items)
        if page.next_cursor is None:
            return items
        request = PageRequest(limit=limit, after=decode_cursor(page.next_cursor))
    raise AssertionError("pagination did not terminate")
