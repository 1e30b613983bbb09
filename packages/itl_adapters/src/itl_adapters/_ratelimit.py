"""The rate-limit algorithm shared by ``memory.ratelimit`` and ``redis.ratelimit``.

Sliding-window log, chosen because it enforces the port's promise literally ("at most ``limit``
events per ``period_seconds``" holds for EVERY window, which GCRA and fixed windows do not):

- a limit admits a hit at ``now`` while fewer than ``limit`` admitted events lie in
  ``(now - period, now]``; an event at ``t`` stops counting at exactly ``t + period``;
- a hit is all-or-nothing: admitted only if every limit admits it, then recorded under every
  limit; a denied hit is recorded nowhere, so hammering while blocked does not extend the block
  and memory per key stays bounded by ``limit``;
- state is kept per (key, period): "10/min and 100/h on ip:x" count independently, and the
  same (key, period) listed twice records a hit once;
- times are integer milliseconds from the caller's clock (Lua numbers reach Redis clients as
  integers, and an injected clock lets tests move time instead of sleeping).

The Decision reports the most restrictive limit: when denied, the denying limit that frees up
last; when admitted, the one with the fewest hits left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from itl_core.ratelimit import Decision, Limit


@dataclass(frozen=True, slots=True)
class LimitState:
    """One limit's outcome of a hit, in milliseconds; ``retry_after_ms`` > 0 iff it denied."""

    limit: int
    remaining: int
    reset_after_ms: int
    retry_after_ms: int


def period_ms(limit: Limit) -> int:
    return max(1, round(limit.period_seconds * 1000))


def check_limits(limits: Sequence[Limit]) -> None:
    """Reject configurations that cannot mean anything: a programming error, not client input."""
    if not limits:
        raise ValueError("a hit needs at least one limit")
    for limit in limits:
        if limit.limit < 1 or not limit.period_seconds > 0 or not limit.key:
            raise ValueError(f"invalid rate limit: {limit!r}")


def decide(allowed: bool, states: Sequence[LimitState]) -> Decision:
    if allowed:
        worst = min(states, key=lambda s: (s.remaining, -s.reset_after_ms))
    else:
        worst = max(states, key=lambda s: s.retry_after_ms)
    return Decision(
        allowed=allowed,
        limit=worst.limit,
        remaining=worst.remaining,
        reset_after=worst.reset_after_ms / 1000,
        retry_after=worst.retry_after_ms / 1000,
    )
