"""The bridge from dependency-injector providers to Litestar dependencies.

Handlers never use dependency-injector's ``@inject`` (Litestar validates default arguments and
rejects its markers); instead each dependency is a ``Provide`` that calls the provider on use
through ``resolve``, which awaits only when the provider returned an awaitable (a provider fed
by an async Resource does; the same provider overridden by a plain fake does not).
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

from dependency_injector import providers
from itl_adapters.containers import resolve
from litestar.di import Provide

__all__ = ["provide", "resolve"]


def provide(provider: providers.Provider[Any]) -> Provide:
    """A Litestar ``Provide`` that builds a fresh object from ``provider`` per request."""

    async def dependency() -> Any:
        result = provider()
        if inspect.isawaitable(result):
            # Litestar resolves a handler's dependencies concurrently and cancels the others
            # when one fails (a refused token). Cancelling dependency-injector's future makes
            # its done-callback raise CancelledError, which asyncio logs as an ERROR on every
            # such request; shielded, the (fast) resolution finishes and its result is dropped.
            return await asyncio.shield(result)
        return result

    return Provide(dependency)
