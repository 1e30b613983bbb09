"""Identifier generation port and the slug rule for tenant ids."""

from __future__ import annotations

import re
from typing import Protocol

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


class IdGenerator(Protocol):
    """Returns a new, globally unique, opaque identifier (a UUID string) on every call."""

    def new_id(self) -> str: ...


def is_slug(value: str) -> bool:
    """True when ``value`` is a valid tenant id: lowercase, digits, inner dashes, 1-63 chars."""
    return bool(SLUG_RE.fullmatch(value))
