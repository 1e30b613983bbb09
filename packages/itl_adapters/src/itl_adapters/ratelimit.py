"""Failing open onto a local limiter when the shared one is unavailable.

SECURITY.md: with Redis down, chat keeps working under a per-process ``InMemoryRateLimiter``
(each replica then limits on its own: looser, but still bounded), while login fails closed. So
wrap the limiter for the routes that may fail open, and give login the bare Redis limiter,
whose ``UpstreamUnavailable`` becomes a 503.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from itl_core.errors import UpstreamUnavailable
from itl_core.ratelimit import Decision, Limit, RateLimiter

__all__ = ["FailOpenRateLimiter"]

log = logging.getLogger(__name__)


class FailOpenRateLimiter:
    """``RateLimiter`` that asks ``primary`` and, only if it is unavailable, ``fallback``."""

    def __init__(self, primary: RateLimiter, fallback: RateLimiter) -> None:
        self._primary, self._fallback = primary, fallback

    async def hit(self, limits: Sequence[Limit]) -> Decision:
        try:
            return await self._primary.hit(limits)
        except UpstreamUnavailable:
            log.warning("shared rate limiter unavailable; limiting in this process only")
            return await self._fallback.hit(limits)
