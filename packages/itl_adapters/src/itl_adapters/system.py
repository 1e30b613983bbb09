"""Real implementations of the core's ``Clock`` and ``IdGenerator`` ports.

They live here, not in ``memory``, because they are what production runs; their test doubles
(``FakeClock``, ``SequentialIds``) live in ``itl_adapters.memory``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

__all__ = ["SystemClock", "UuidGenerator"]


class SystemClock:
    """The wall clock, as an aware UTC datetime."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class UuidGenerator:
    """Random (version 4) UUIDs as canonical lowercase strings."""

    def new_id(self) -> str:
        return str(uuid.uuid4())
