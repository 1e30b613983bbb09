"""How the composition root builds the things that need more than a constructor call.

Key material (operator-provided or generated for development), the JWT service, and the
Resources with a lifetime: the database pool, the Redis client and the model resolver (its
cached provider clients close with the app). ``resolve`` calls any provider the same way
whether it was overridden by a plain fake or is fed by an async Resource.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from dependency_injector import containers, providers
from itl_core.clock import Clock
from itl_core.provider_keys.ports import ProviderKeyRepository
from itl_core.security.ports import SecretBox, TokenKind
from itl_core.tenants.ports import TenantRepository
from redis.asyncio import Redis

from itl_adapters.llm.resolver import ProviderModelResolver
from itl_adapters.postgres import Database, assert_runtime_role_is_safe, open_database
from itl_adapters.redis.client import open_redis
from itl_adapters.security.jwt import JwtService
from itl_adapters.security.keys import KeyMaterial, load_or_create_dev_keys, load_signing_keys
from itl_adapters.services import prepare_database, prepare_redis
from itl_adapters.settings import Settings

__all__ = [
    "database_resource",
    "jwt_service",
    "key_material",
    "model_resolver_resource",
    "redis_resource",
    "resolve",
    "resources_open",
]


async def resolve(provider: providers.Provider[Any]) -> Any:
    """Call a provider and await the result only if it is awaitable."""
    result = provider()
    if inspect.isawaitable(result):
        result = await result
    return result


@asynccontextmanager
async def resources_open(container: containers.Container) -> AsyncIterator[None]:
    """The container's resources opened for the block (``init_resources``), closed after it.

    Meanwhile every provider runs in dependency-injector's sync mode. A provider fed by an
    async Resource otherwise answers with a future, and so does everything built on it: a use
    case such as the chat turn (some forty objects) then took 27 turns of the event loop and
    0.4 ms to build, on every request; in sync mode it takes 0.03 ms. Once the resources are
    open, their values are plain objects, so nothing is lost. Each provider's mode is restored
    before the resources close (their shutdown is async). An override set meanwhile must
    therefore give plain objects, not awaitables (``providers.Object`` of a fake does).
    """
    opening = container.init_resources()
    if inspect.isawaitable(opening):
        await opening
    modes = [(provider, _async_mode(provider)) for provider in container.traverse()]
    for provider, _ in modes:
        provider.disable_async_mode()
    try:
        yield
    finally:
        for provider, mode in modes:
            if mode == "enabled":
                provider.enable_async_mode()
            elif mode == "undefined":
                provider.reset_async_mode()
        closing = container.shutdown_resources()
        if inspect.isawaitable(closing):
            await closing


def _async_mode(provider: providers.Provider[Any]) -> str:
    if provider.is_async_mode_enabled():
        return "enabled"
    return "disabled" if provider.is_async_mode_disabled() else "undefined"


def key_material(settings: Settings) -> KeyMaterial:
    """Operator-provided keys, or (development only) keys generated once under the data dir."""
    settings.check_can_serve()
    dev = None
    if not (settings.jwt_keys and settings.secret_keys):
        dev = load_or_create_dev_keys(settings.data_dir)
    return KeyMaterial(
        jwt_private_jwks=settings.jwt_keys or dev.jwt_private_jwks,  # type: ignore[union-attr]
        secret_keys=settings.secret_keys or dev.secret_keys,  # type: ignore[union-attr]
        generated=dev is not None,
    )


def jwt_service(settings: Settings, keys: KeyMaterial, clock: Clock) -> JwtService:
    return JwtService(
        load_signing_keys(keys.jwt_private_jwks),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        ttls={
            TokenKind.ACCESS: settings.access_token_ttl,
            TokenKind.WIDGET: settings.widget_token_ttl,
        },
        clock=clock,
    )


async def database_resource(settings: Settings) -> AsyncIterator[Database]:
    if settings.database_url is None or settings.migrate_on_start:
        settings, _, _ = await prepare_database(settings)
    assert settings.database_url is not None
    db = await open_database(
        settings.database_url,
        min_size=settings.database_pool_min,
        max_size=settings.database_pool_max,
        statement_timeout_ms=settings.statement_timeout_ms,
        connect_timeout=settings.database_connect_timeout,
    )
    try:
        await assert_runtime_role_is_safe(db)
        yield db
    finally:
        await db.close()


async def redis_resource(settings: Settings) -> AsyncIterator[Redis]:
    settings, embedded = await prepare_redis(settings)
    assert settings.redis_url is not None
    client = open_redis(settings.redis_url, socket_timeout=settings.redis_timeout_ms / 1000)
    try:
        yield client
    finally:
        await client.aclose()
        if embedded is not None:
            await asyncio.to_thread(embedded.stop)


async def model_resolver_resource(
    settings: Settings, keys: ProviderKeyRepository, tenants: TenantRepository, box: SecretBox
) -> AsyncIterator[ProviderModelResolver]:
    """The tenant-aware model resolver; its cached provider clients close with the app."""
    resolver = ProviderModelResolver(
        keys=keys,
        tenants=tenants,
        box=box,
        base_urls={
            "openai": settings.openai_base_url,
            "anthropic": settings.anthropic_base_url,
            "google": settings.google_base_url,
        },
        timeout=float(settings.model_timeout),
    )
    try:
        yield resolver
    finally:
        await resolver.aclose()
