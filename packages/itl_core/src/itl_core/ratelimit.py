"""Rate limiter port: one decision over several limits in a single call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from itl_core.errors import RateLimited


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

    def refusal(self, message: str | None = None) -> RateLimited:
        """The error that refuses a denied hit, carrying the refusing limit for the edge."""
        return RateLimited(
            self.retry_after, message, limit=self.limit, reset_after=self.reset_after
        )


class RateLimiter(Protocol):
    """Counts one event against every limit; allowed only if all allow, and then all count it."""

    async def hit(self, limits: Sequence[Limit]) -> Decision: ...
