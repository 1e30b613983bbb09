"""The shared state behind the in-memory repositories: one dict per table.

Repositories built on one ``MemoryStore`` behave like tables of one database: a tenant's
deletion cascades to everything it owns, rows must reference rows that exist (the foreign keys
of the PostgreSQL schema), and ids are unique across tenants (primary keys). Every repository
method mutates the store without awaiting in between, so on one event loop each call is atomic,
as a single SQL statement is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from itl_core.agents.model import Agent
from itl_core.auth.model import RefreshTokenRecord
from itl_core.errors import Conflict, ValidationFailed
from itl_core.knowledge.model import Chunk, Document
from itl_core.pagination import Page, PageRequest, page_of
from itl_core.provider_keys.model import ProviderKey
from itl_core.sessions.model import ChatSession, Message
from itl_core.tenants.model import Tenant
from itl_core.tools.model import ToolSpec
from itl_core.users.model import User
from itl_core.widgets.model import WidgetConfig

__all__ = ["MemoryStore", "owned", "page_from", "require_new_id"]

T = TypeVar("T")


@dataclass
class MemoryStore:
    tenants: dict[str, Tenant] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    refresh_tokens: dict[str, RefreshTokenRecord] = field(default_factory=dict)
    agents: dict[str, Agent] = field(default_factory=dict)
    tools: dict[str, ToolSpec] = field(default_factory=dict)
    sessions: dict[str, ChatSession] = field(default_factory=dict)
    messages: dict[str, Message] = field(default_factory=dict)
    widgets: dict[str, WidgetConfig] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    chunks: dict[str, Chunk] = field(default_factory=dict)
    provider_keys: dict[tuple[str, str], ProviderKey] = field(default_factory=dict)

    def require_tenant(self, tenant_id: str | None) -> None:
        """The foreign key to tenants: None (a platform row) or an existing tenant."""
        if tenant_id is not None and tenant_id not in self.tenants:
            raise ValidationFailed.single("tenant_id", "the tenant does not exist")

    def delete_tenant(self, tenant_id: str) -> bool:
        if self.tenants.pop(tenant_id, None) is None:
            return False
        for table in self._tenant_tables():
            _delete_where(table, lambda row: row.tenant_id == tenant_id)
        return True

    def delete_user(self, user_id: str) -> None:
        del self.users[user_id]
        _delete_where(self.refresh_tokens, lambda r: r.user_id == user_id)

    def delete_document(self, document_id: str) -> None:
        del self.documents[document_id]
        _delete_where(self.chunks, lambda c: c.document_id == document_id)

    def _tenant_tables(self) -> Iterable[dict[str, Any]]:
        return (
            self.users, self.refresh_tokens, self.agents, self.tools, self.sessions,
            self.messages, self.widgets, self.documents, self.chunks, self.provider_keys,
        )  # fmt: skip


def owned(table: dict[str, T], tenant_id: str | None, row_id: str) -> T | None:
    """The row with ``row_id`` if it belongs to ``tenant_id``: other tenants' rows do not exist."""
    row = table.get(row_id)
    return row if row is not None and row.tenant_id == tenant_id else None  # type: ignore[attr-defined]


def require_new_id(table: dict[str, Any], row_id: str) -> None:
    """The primary key: ids are unique across tenants."""
    if row_id in table:
        raise Conflict("A record with this id already exists.")


def page_from(rows: Iterable[T], page: PageRequest, *, descending: bool = False) -> Page[T]:
    """Keyset page in ``(created_at, id)`` order (``descending``: newest first), strictly after
    the cursor in that order (as in SQL)."""
    ordered = sorted(rows, key=_keyset, reverse=descending)
    if page.after is not None:
        after = (page.after.created_at, page.after.id)
        ordered = [r for r in ordered if (_keyset(r) < after if descending else _keyset(r) > after)]
    return page_of(ordered[: page.limit + 1], page)


def _keyset(row: Any) -> tuple[Any, str]:
    return (row.created_at, row.id)


def _delete_where(table: dict[str, T], doomed: Callable[[T], bool]) -> None:
    for key in [k for k, row in table.items() if doomed(row)]:
        del table[key]
