"""Cursor pagination shared by every list use case and repository.

A cursor is an opaque, URL-safe token encoding the sort key of the last item of a page
(``created_at`` and ``id``); repositories return items strictly after it, so pages stay stable
while rows are inserted.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from itl_core.errors import ValidationFailed

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


@dataclass(frozen=True, slots=True, kw_only=True)
class CursorKey:
    created_at: datetime
    id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PageRequest:
    """``limit`` in 1..200; ``after`` is the decoded cursor, or None for the first page."""

    limit: int = DEFAULT_LIMIT
    after: CursorKey | None = None

    @classmethod
    def parse(cls, limit: int | None, cursor: str | None) -> PageRequest:
        if limit is None:
            limit = DEFAULT_LIMIT
        if not 1 <= limit <= MAX_LIMIT:
            raise ValidationFailed.single("limit", f"must be between 1 and {MAX_LIMIT}")
        return cls(limit=limit, after=decode_cursor(cursor) if cursor else None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Page(Generic[T]):
    items: Sequence[T]
    next_cursor: str | None


def encode_cursor(key: CursorKey) -> str:
    raw = f"{key.created_at.isoformat()}|{key.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> CursorKey:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created, _, ident = base64.urlsafe_b64decode(padded.encode("ascii")).decode().partition("|")
        key = CursorKey(created_at=datetime.fromisoformat(created), id=ident)
    except (ValueError, UnicodeError, binascii.Error) as e:
        raise ValidationFailed.single("cursor", "is not a cursor this API issued") from e
    if not key.id or key.created_at.tzinfo is None:
        raise ValidationFailed.single("cursor", "is not a cursor this API issued")
    return key


def page_of(rows: Sequence[T], request: PageRequest) -> Page[T]:
    """Build a page from up to ``limit + 1`` sorted rows that carry ``created_at`` and ``id``."""
    items = list(rows[: request.limit])
    more = len(rows) > request.limit
    next_cursor = None
    if more and items:
        last = items[-1]
        next_cursor = encode_cursor(CursorKey(created_at=last.created_at, id=last.id))  # type: ignore[attr-defined]
    return Page(items=items, next_cursor=next_cursor)
