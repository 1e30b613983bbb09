"""The bridge from dependency-injector providers to Litestar dependencies.

Handlers never use dependency-injector's ``@inject`` (Litestar validates default arguments and
rejects its markers); instead each dependency is a ``Provide`` that calls the provider on use
through ``resolve``, which awaits only when the provider returned an awaitable (a provider fed
by an async Resource does; the same provider overridden by a plain fake does not).
"""

from __future__ import annotations

from typing import Any

from dependency_injector import providers
from litestar.di import Provide

from itl_adapters.containers import resolve

__all__ = ["provide", "resolve"]


def provide(provider: providers.Provider[Any]) -> Provide:
    """A Litestar ``Provide`` that builds a fresh object from ``provider`` per request."""

    async def dependency() -> Any:
        return await resolve(provider)

    return Provide(dependency)
