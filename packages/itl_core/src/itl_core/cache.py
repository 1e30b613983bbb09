"""Cache port: a tenant-aware key/value store for derived data that can always be rebuilt."""

from __future__ import annotations

from typing import Protocol


class Cache(Protocol):
    """Best-effort bytes store: misses and outages return None, never raise.

    Keys carry the tenant (build them with ``tenant_key``).
    """

    async def get(self, key: str) -> bytes | None: ...

    async def get_many(self, *keys: str) -> list[bytes | None]:
        """The values of ``keys``, in order, in one round trip (all None on an outage)."""
        ...

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None: ...

    async def delete(self, *keys: str) -> None: ...


def tenant_key(tenant_id: str, *parts: str) -> str:
    """The one way to build a cache key: ``t:{tenant}:{part}:{part}...``."""
    return ":".join(("t", tenant_id, *parts))
