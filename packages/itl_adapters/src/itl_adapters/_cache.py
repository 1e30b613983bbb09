"""Argument rules shared by every ``Cache`` implementation (``memory.cache``, ``redis.cache``).

A key that does not start with ``t:`` was not built by ``itl_core.cache.tenant_key`` and could
mix tenants' data, so it is refused loudly (ValueError: a bug in the caller, never an outage).
"""

from __future__ import annotations

from collections.abc import Iterable


def check_keys(keys: Iterable[str]) -> None:
    for key in keys:
        prefix, _, rest = key.partition(":")
        if prefix != "t" or not rest or rest.startswith(":"):
            raise ValueError(f"cache keys must be built with tenant_key(), got {key!r}")


def check_ttl(ttl_seconds: int) -> None:
    if ttl_seconds < 1:
        raise ValueError("a cache entry needs a TTL of at least one second")
