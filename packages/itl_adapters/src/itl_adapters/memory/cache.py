"""In-process ``Cache`` whose entries expire on an injected clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from itl_core.clock import Clock

from itl_adapters._cache import check_keys, check_ttl

__all__ = ["InMemoryCache"]


class InMemoryCache:
    """Same contract as ``RedisCache``: tenant keys only, positive TTL, expiry at ``set + ttl``.

    Expired entries are dropped when read; fine for tests and single-process development.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._entries: dict[str, tuple[bytes, datetime]] = {}

    async def get(self, key: str) -> bytes | None:
        check_keys((key,))
        entry = self._entries.get(key)
        if entry is None:
            return None
        value, expires_at = entry
        if self._clock.now() >= expires_at:
            del self._entries[key]
            return None
        return value

    async def get_many(self, *keys: str) -> list[bytes | None]:
        return [await self.get(key) for key in keys]

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        check_keys((key,))
        check_ttl(ttl_seconds)
        self._entries[key] = (bytes(value), self._clock.now() + timedelta(seconds=ttl_seconds))

    async def delete(self, *keys: str) -> None:
        check_keys(keys)
        for key in keys:
            self._entries.pop(key, None)
