"""``Cache`` on Redis: best-effort, so every failure is logged and reads as a miss."""

from __future__ import annotations

import logging

from redis.asyncio import Redis

from itl_adapters._cache import check_keys, check_ttl

__all__ = ["RedisCache"]

log = logging.getLogger(__name__)


class RedisCache:
    """Stores bytes under ``namespace + key``; keys must come from ``tenant_key``.

    Argument errors (a key not built by ``tenant_key``, a TTL below one second) raise ValueError
    because they are bugs; anything Redis does wrong (down, slow, full) is swallowed: the caller
    rebuilds the value from the system of record. Entries expire on the Redis server's clock.
    """

    def __init__(self, client: Redis, *, namespace: str = "itl:") -> None:
        self._redis = client
        self._ns = namespace

    async def get(self, key: str) -> bytes | None:
        check_keys((key,))
        try:
            value = await self._redis.get(self._ns + key)
        except Exception as error:
            _log_failure("get", error)
            return None
        return None if value is None else bytes(value)

    async def get_many(self, *keys: str) -> list[bytes | None]:
        check_keys(keys)
        if not keys:
            return []
        try:
            values = await self._redis.mget([self._ns + key for key in keys])
        except Exception as error:
            _log_failure("get_many", error)
            return [None] * len(keys)
        return [None if value is None else bytes(value) for value in values]

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        check_keys((key,))
        check_ttl(ttl_seconds)
        try:
            await self._redis.set(self._ns + key, value, ex=ttl_seconds)
        except Exception as error:
            _log_failure("set", error)

    async def delete(self, *keys: str) -> None:
        check_keys(keys)
        if not keys:
            return
        try:
            await self._redis.delete(*(self._ns + key for key in keys))
        except Exception as error:
            # A failed invalidation leaves stale data until the TTL: the TTL is the safety net.
            _log_failure("delete", error)


def _log_failure(operation: str, error: Exception) -> None:
    # The class name only: messages can echo keys, and a down Redis would flood tracebacks.
    log.warning("redis cache %s failed (%s); treated as a miss", operation, type(error).__name__)
