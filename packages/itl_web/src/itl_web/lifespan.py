"""Container lifetime bound to an app's lifespan, and readiness checks over its resources."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from litestar import Litestar

from itl_adapters.containers import Application
from itl_web.di import resolve
from itl_web.health import ReadinessCheck


async def _maybe_await(value: Any) -> None:
    if inspect.isawaitable(value):
        await value


def container_lifespan(container: Application) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        await _maybe_await(container.init_resources())
        try:
            yield
        finally:
            await _maybe_await(container.shutdown_resources())

    return lifespan


def readiness_checks(container: Application) -> dict[str, ReadinessCheck]:
    async def postgres() -> None:
        await (await resolve(container.infra.database)).ping()

    async def redis() -> None:
        await (await resolve(container.infra.redis)).ping()

    return {"postgres": postgres, "redis": redis}
