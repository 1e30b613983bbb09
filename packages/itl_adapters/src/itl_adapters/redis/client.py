"""Opening and probing the Redis client shared by the cache and the rate limiter."""

from __future__ import annotations

import logging

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

__all__ = ["open_redis", "ping"]

log = logging.getLogger(__name__)


def open_redis(url: str, *, socket_timeout: float = 0.5) -> Redis:
    """A pooled client with short timeouts and NO automatic retries.

    redis-py retries 10 times by default: with Redis down that turns a fast fallback into a
    multi-second stall, and replaying a rate-limit script that did run would count a hit twice.
    Idle pooled connections are health-checked instead, so a restarted server is picked up.
    No I/O happens here; the first command connects. Close with ``await client.aclose()``.
    """
    return Redis.from_url(
        url,
        socket_timeout=socket_timeout,
        socket_connect_timeout=socket_timeout,
        retry=Retry(NoBackoff(), 0),
        health_check_interval=30,
    )


async def ping(client: Redis) -> bool:
    """True when Redis answers; never raises (for readiness probes and start-up logs)."""
    try:
        return bool(await client.ping())
    except Exception as error:
        log.warning("redis ping failed: %s", type(error).__name__)
        return False
