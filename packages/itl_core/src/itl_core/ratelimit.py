"""Rate limiter port: one decision over several limits in a single call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True, kw_only=True)
class Limit:
    """At most ``limit`` events per ``period_seconds`` for ``key`` (e.g. ``ip:1.2.3.4:login``)."""

    key: str
    limit: int
    period_seconds: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_after: float
    retry_after: float


class RateLimiter(Protocol):
    """Counts one event against every limit; allowed only if all allow, and then all count it."""

    async def hit(self, limits: Sequence[Limit]) -> Decision: ...
