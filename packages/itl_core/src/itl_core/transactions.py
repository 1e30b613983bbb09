"""Transactions port: several repository calls of one tenant committed as one unit.

A use case that writes (or reads then writes) through several repositories can group the calls::

    async with transactions.atomic(tenant_id):
        await sessions.add(session)
        await messages.add(first_message)

Inside the block, every repository call for ``tenant_id`` made by this task joins one
transaction: they commit together when the block ends, or none of them does if it raises. Calls
for another tenant, or platform-wide ones, run on their own as usual. A block inside a block of
the same tenant joins the outer one. The calls in a block must not run concurrently (no
``gather`` inside): they share one connection. A store may send a block's writes together, so
a write's error (say, ``NotFound`` for a message whose session is gone) may surface when the
block ends rather than from the call: the block then raises it and commits nothing. Errors a
use case handles inside a block must therefore come from reads, which are never deferred.

``durable=False`` lets the store commit without waiting for its write-ahead log to reach the
disk: the unit is committed (visible to all, kept if the application crashes), but a crash of the
database server within a fraction of a second may lose it. Only for a unit a later durable unit
of the same flow makes durable with it (PostgreSQL flushes its log in order), so that what such a
crash can lose is an unfinished flow. An operator may make every unit durable
(``ITL_CHAT_SYNC_COMMIT``).

``NoTransactions`` (each call commits on its own) is for stores without transactions, such as
the in-memory fakes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol


class Transactions(Protocol):
    def atomic(
        self, tenant_id: str, *, durable: bool = True
    ) -> AbstractAsyncContextManager[None]: ...


class NoTransactions:
    """Every call commits on its own (``atomic`` groups nothing)."""

    @asynccontextmanager
    async def atomic(self, tenant_id: str, *, durable: bool = True) -> AsyncIterator[None]:
        yield
