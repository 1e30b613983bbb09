"""Session-state cache: the session record, read through Redis by every worker.

Where it pays: the reads made outside the chat turn, many times per session — the web app's
Chat screen polls a session's messages every second while an answer is pending (each poll
checks the session's owner first), the Sessions screen, the widget visitor's transcript reads.
The chat turn itself reads the session inside the transaction that stores the user message,
where a cached copy would buy nothing; reads inside a ``Transactions.atomic`` block therefore
always go to the database.

Keys (``tenant_key``, so a tenant never reads another tenant's entry)::

    t:{tenant}:session:{id}:version    a random token, deleted on every update of the session
    t:{tenant}:session:{id}:record     b"{token}|{json}": the record as of that token

A read fetches both in one round trip; the record is a hit only under the current token. An
update deletes both keys AFTER the database committed (for one inside an atomic block: when the
block ends, see ``CacheAwareTransactions``). A reader that loaded the row before the commit
stored it under a token created before the deletion, which no later reader holds: it can never
be served. A missing session is not cached (a 404 is no hot path), so adding a session has
nothing to invalidate: a new session costs no Redis round trip. The TTL is the safety net for
an invalidation lost to a Redis outage; while Redis is down every read is a miss that falls
through to the database (the ``Cache`` port never raises).
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from datetime import datetime

import msgspec
from itl_core.cache import Cache, tenant_key
from itl_core.pagination import Page, PageRequest
from itl_core.sessions.model import ChatSession, SessionStatus
from itl_core.sessions.ports import SessionRepository
from itl_core.transactions import Transactions

from itl_adapters.cache.versioned import Codec
from itl_adapters.observability.metrics import platform_metrics

__all__ = ["CacheAwareTransactions", "CachedSessionRepository", "SessionCache"]

_RECORD = Codec[ChatSession](ChatSession)

# The keys of sessions written in the current atomic block, invalidated when it ends; None
# outside any block.
_written: ContextVar[list[tuple[str, str]] | None] = ContextVar(
    "itl_sessions_written", default=None
)


class SessionCache:
    """Reads session records through ``cache``; ``ttl_seconds`` bounds staleness after an
    invalidation lost to an outage. Hits and misses count as ``cache="session"``."""

    name = "session"

    def __init__(self, cache: Cache, *, ttl_seconds: int = 60) -> None:
        self._cache = cache
        self._ttl = ttl_seconds
        # A token only needs to outlive the records stamped with it; a lost one is re-created.
        self._version_ttl = 2 * ttl_seconds

    async def read(
        self,
        tenant_id: str,
        session_id: str,
        load: Callable[[], Awaitable[ChatSession | None]],
    ) -> ChatSession | None:
        """The cached record, or ``load()`` on a miss (stored unless None: no such session)."""
        counter = platform_metrics().cache_requests
        version_key, record_key = _keys(tenant_id, session_id)
        version, entry = await self._cache.get_many(version_key, record_key)
        if version is None:
            # First read since a write, an expiry or an outage: a new token (see the module
            # docstring), set BEFORE the load so that a write committed after it deletes it.
            version = secrets.token_hex(8).encode("ascii")
            await self._cache.set(version_key, version, self._version_ttl)
        elif entry is not None:
            token, _, payload = entry.partition(b"|")
            if token == version:
                try:
                    record = _RECORD.decode(payload)
                except msgspec.DecodeError:
                    pass  # written by an older release: rebuild it
                else:
                    # The key carries the tenant; checking the record too costs nothing.
                    if record.tenant_id == tenant_id:
                        counter.labels(cache=self.name, result="hit").inc()
                        return record
        counter.labels(cache=self.name, result="miss").inc()
        record = await load()
        if record is not None:
            await self._cache.set(record_key, version + b"|" + _RECORD.encode(record), self._ttl)
        return record

    async def invalidate(self, *sessions: tuple[str, str]) -> None:
        """Call after writes of ``(tenant_id, session_id)`` committed: every worker's copies
        become misses (one round trip for all)."""
        if sessions:
            await self._cache.delete(*(key for s in dict.fromkeys(sessions) for key in _keys(*s)))


class CachedSessionRepository:
    """``SessionRepository`` whose ``get`` outside atomic blocks is served by ``SessionCache``.

    ``list`` (filters, pages: any write of the tenant would change it) goes to the repository.
    ``update`` goes to the repository and then invalidates the session's entry, even when it
    raised (a failed write may still have changed the row; a needless miss costs one query);
    inside an atomic block of ``CacheAwareTransactions`` only once the block ended. ``add`` has
    nothing to invalidate: no entry exists for a session before its row does (a failed add of
    an existing id leaves that row, and its entry, as they were).
    """

    def __init__(self, inner: SessionRepository, cache: SessionCache) -> None:
        self._inner, self._cache = inner, cache

    async def get(self, tenant_id: str, session_id: str) -> ChatSession | None:
        if _written.get() is not None:  # inside a transaction: only the database is current
            return await self._inner.get(tenant_id, session_id)
        return await self._cache.read(
            tenant_id, session_id, lambda: self._inner.get(tenant_id, session_id)
        )

    async def list(
        self,
        tenant_id: str,
        page: PageRequest,
        *,
        user_id: str | None = None,
        visitor_id: str | None = None,
        agent_id: str | None = None,
        status: SessionStatus | None = None,
        newest_first: bool = False,
    ) -> Page[ChatSession]:
        return await self._inner.list(
            tenant_id,
            page,
            user_id=user_id,
            visitor_id=visitor_id,
            agent_id=agent_id,
            status=status,
            newest_first=newest_first,
        )

    async def add(self, session: ChatSession) -> None:
        await self._inner.add(session)

    async def update(self, session: ChatSession) -> None:
        async with self._writing(session.tenant_id, session.id):
            await self._inner.update(session)

    async def after_turn(
        self,
        tenant_id: str,
        session_id: str,
        *,
        agent_id: str | None,
        handoff: bool,
        at: datetime,
    ) -> None:
        async with self._writing(tenant_id, session_id):
            await self._inner.after_turn(
                tenant_id, session_id, agent_id=agent_id, handoff=handoff, at=at
            )

    @asynccontextmanager
    async def _writing(self, tenant_id: str, session_id: str) -> AsyncIterator[None]:
        try:
            yield
        finally:
            written = _written.get()
            if written is None:
                await self._cache.invalidate((tenant_id, session_id))
            else:
                written.append((tenant_id, session_id))


class CacheAwareTransactions:
    """``Transactions`` that invalidate the cached sessions written in a block once it ended.

    Invalidating before the commit would let another worker re-cache the old row under the new
    state of the cache; so the writes of ``CachedSessionRepository`` inside a block are recorded
    and invalidated when the outermost block ends (committed or rolled back). A block nested in
    another (of any tenant) hands its writes to the outer one. Inside a block, reads of
    ``CachedSessionRepository`` go to the database.
    """

    def __init__(self, inner: Transactions, cache: SessionCache) -> None:
        self._inner, self._cache = inner, cache

    def atomic(self, tenant_id: str, *, durable: bool = True) -> AbstractAsyncContextManager[None]:
        return self._atomic(tenant_id, durable)

    @asynccontextmanager
    async def _atomic(self, tenant_id: str, durable: bool) -> AsyncIterator[None]:
        if _written.get() is not None:  # nested: the outermost block invalidates
            async with self._inner.atomic(tenant_id, durable=durable):
                yield
            return
        written: list[tuple[str, str]] = []
        token = _written.set(written)
        try:
            async with self._inner.atomic(tenant_id, durable=durable):
                yield
        finally:
            _written.reset(token)
            await self._cache.invalidate(*written)


def _keys(tenant_id: str, session_id: str) -> tuple[str, str]:
    return (
        tenant_key(tenant_id, "session", session_id, "version"),
        tenant_key(tenant_id, "session", session_id, "record"),
    )
