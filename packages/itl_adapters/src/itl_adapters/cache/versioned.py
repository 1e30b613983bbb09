"""Version-stamped cache-aside over the ``Cache`` port, shared by every worker.

Keys (all built with ``tenant_key``)::

    t:{tenant}:cfg:{kind}:version        a random token, replaced on every write of that kind
    t:{tenant}:cfg:{kind}:{part}...      b"{token}|{json}": the value as of that token

A read fetches the version and the entry (one round trip); the entry is a hit only if it
carries the current token. A write replaces the token AFTER the database committed, so once any
worker sees the new token, the database already holds the new rows: a reader that loads old rows
under the old token stores them under a token nobody asks for any more. Tokens are random rather
than counters, so a version key lost to eviction or a Redis restart can never bring an old stamp
back to life.

The TTL is the safety net for the one gap left: a write whose version bump failed (Redis down at
that moment) is seen by other workers at the latest when their entries expire. The ``Cache``
port never raises for an outage, so while Redis is down every read is a miss that falls through
to the database.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import msgspec
from itl_core.cache import Cache, tenant_key

from itl_adapters.observability.metrics import platform_metrics

__all__ = ["Codec", "ConfigCache"]

T = TypeVar("T")

# A version token outlives any entry, and is re-created (at random) if it ever expires.
_VERSION_TTL = 7 * 24 * 3600


class Codec(Generic[T]):
    """JSON for one type (msgspec understands our frozen dataclasses, enums, bytes, datetimes)."""

    def __init__(self, type_: Any) -> None:
        self._encoder = msgspec.json.Encoder()
        self._decoder: msgspec.json.Decoder[T] = msgspec.json.Decoder(type_)

    def encode(self, value: T) -> bytes:
        return self._encoder.encode(value)

    def decode(self, data: bytes) -> T:
        return self._decoder.decode(data)


class ConfigCache:
    """Reads through and invalidates tenant configuration; ``ttl_seconds`` bounds staleness."""

    def __init__(self, cache: Cache, *, ttl_seconds: int = 300) -> None:
        self._cache = cache
        self._ttl = ttl_seconds

    async def read(
        self,
        tenant_id: str,
        kind: str,
        parts: tuple[str, ...],
        codec: Codec[T],
        load: Callable[[], Awaitable[T]],
    ) -> T:
        """The cached value under ``parts``, or ``load()`` (then stored) on a miss."""
        counter = platform_metrics().cache_requests
        key = tenant_key(tenant_id, "cfg", kind, *parts)
        # The version and the entry in one round trip: the entry's key does not depend on it.
        version, entry = await self._cache.get_many(self._version_key(tenant_id, kind), key)
        if version is None:
            version = await self._new_version(tenant_id, kind)
        elif entry is not None:
            token, _, payload = entry.partition(b"|")
            if token == version:
                try:
                    value = codec.decode(payload)
                except msgspec.DecodeError:
                    pass  # written by an older release: rebuild it
                else:
                    counter.labels(cache=kind, result="hit").inc()
                    return value
        counter.labels(cache=kind, result="miss").inc()
        value = await load()
        await self._cache.set(key, version + b"|" + codec.encode(value), self._ttl)
        return value

    async def invalidate(self, tenant_id: str, kind: str) -> None:
        """Call after a write of ``kind`` committed: every worker's entries become misses."""
        await self._cache.set(self._version_key(tenant_id, kind), _token(), _VERSION_TTL)

    async def _new_version(self, tenant_id: str, kind: str) -> bytes:
        # First read since a write, eviction or outage: start a new token. Two workers racing
        # here each store entries under their own token; one of them wins the key and the
        # other's entries are merely misses later.
        version = _token()
        await self._cache.set(self._version_key(tenant_id, kind), version, _VERSION_TTL)
        return version

    @staticmethod
    def _version_key(tenant_id: str, kind: str) -> str:
        return tenant_key(tenant_id, "cfg", kind, "version")


def _token() -> bytes:
    return secrets.token_hex(8).encode("ascii")
