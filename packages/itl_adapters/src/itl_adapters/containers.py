"""The one composition root: dependency-injector containers shared by both apps and the CLI.

``Application(settings=...)`` wires everything from settings::

    Application
     ├── infra          clock, ids, keys, tokens, hasher, secret box,
     │                  database (Resource: pool), redis (Resource: client), cache, rate limiter
     ├── repositories   one Factory per repository port (PostgreSQL)
     └── use_cases      one Factory per use case, fed from the two above

Tests override ``repositories`` (and parts of ``infra``) with in-memory fakes: see
``itl_adapters.memory.container``. Pools and clients are Resources (async generators with
cleanup), opened by ``init_resources()`` in the app's lifespan and closed by
``shutdown_resources()``. A provider that depends on an async Resource returns an awaitable;
``resolve`` awaits only when needed, so a sync fake can replace an async Resource.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

from dependency_injector import containers, providers
from redis.asyncio import Redis

from itl_adapters.postgres import (
    Database,
    PgAgentRepository,
    PgDocumentRepository,
    PgMessageRepository,
    PgRefreshTokenRepository,
    PgSessionRepository,
    PgTenantRepository,
    PgToolSpecRepository,
    PgUserRepository,
    PgWidgetConfigRepository,
    assert_runtime_role_is_safe,
    open_database,
)
from itl_adapters.redis.cache import RedisCache
from itl_adapters.redis.client import open_redis
from itl_adapters.redis.ratelimit import RedisRateLimiter
from itl_adapters.security.jwt import JwtService
from itl_adapters.security.keys import KeyMaterial, load_or_create_dev_keys, load_signing_keys
from itl_adapters.security.passwords import Argon2PasswordHasher
from itl_adapters.security.secretbox import FernetSecretBox
from itl_adapters.services import prepare_database, prepare_redis
from itl_adapters.settings import Settings
from itl_adapters.system import SystemClock, UuidGenerator
from itl_core.agents import use_cases as agents
from itl_core.auth import use_cases as auth
from itl_core.clock import Clock
from itl_core.security.ports import TokenKind
from itl_core.tenants import use_cases as tenants
from itl_core.users import use_cases as users


async def resolve(provider: providers.Provider[Any]) -> Any:
    """Call a provider and await the result only if it is awaitable."""
    result = provider()
    if inspect.isawaitable(result):
        result = await result
    return result


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
        ttls={TokenKind.ACCESS: settings.access_token_ttl, TokenKind.WIDGET: settings.widget_token_ttl},
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
    )
    try:
        await assert_runtime_role_is_safe(db)
        yield db
    finally:
        await db.close()


async def redis_resource(settings: Settings) -> AsyncIterator[Redis]:
    settings, embedded = await prepare_redis(settings)
    assert settings.redis_url is not None
    client = open_redis(settings.redis_url)
    try:
        yield client
    finally:
        await client.aclose()
        if embedded is not None:
            await asyncio.to_thread(embedded.stop)


class Infrastructure(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    clock = providers.Singleton(SystemClock)
    ids = providers.Singleton(UuidGenerator)
    keys = providers.Singleton(key_material, settings)
    tokens = providers.Singleton(jwt_service, settings, keys, clock)
    hasher = providers.Singleton(Argon2PasswordHasher)
    secret_box = providers.Singleton(FernetSecretBox, keys.provided.secret_keys)
    database = providers.Resource(database_resource, settings)
    redis = providers.Resource(redis_resource, settings)
    cache = providers.Singleton(RedisCache, redis)
    rate_limiter = providers.Singleton(RedisRateLimiter, redis, clock)


class Repositories(containers.DeclarativeContainer):
    infra = providers.DependenciesContainer()
    tenants = providers.Factory(PgTenantRepository, infra.database)
    users = providers.Factory(PgUserRepository, infra.database)
    refresh_tokens = providers.Factory(PgRefreshTokenRepository, infra.database)
    agents = providers.Factory(PgAgentRepository, infra.database)
    tools = providers.Factory(PgToolSpecRepository, infra.database)
    sessions = providers.Factory(PgSessionRepository, infra.database)
    messages = providers.Factory(PgMessageRepository, infra.database)
    widgets = providers.Factory(PgWidgetConfigRepository, infra.database)
    documents = providers.Factory(PgDocumentRepository, infra.database)


class UseCases(containers.DeclarativeContainer):
    """Every use case by the name handlers ask for it (``NamedDependency``)."""

    infra = providers.DependenciesContainer()
    repos = providers.DependenciesContainer()
    settings = providers.Dependency(instance_of=Settings)

    auth_policy = providers.Singleton(
        auth.AuthPolicy, refresh_ttl=providers.Factory(timedelta, seconds=settings.provided.refresh_token_ttl)
    )
    login = providers.Factory(
        auth.Login,
        users=repos.users,
        hasher=infra.hasher,
        refresh_tokens=repos.refresh_tokens,
        issuer=infra.tokens,
        limiter=infra.rate_limiter,
        clock=infra.clock,
        ids=infra.ids,
        policy=auth_policy,
    )
    refresh_tokens = providers.Factory(
        auth.RefreshTokens,
        users=repos.users,
        refresh_tokens=repos.refresh_tokens,
        issuer=infra.tokens,
        clock=infra.clock,
        ids=infra.ids,
        policy=auth_policy,
    )
    logout = providers.Factory(auth.Logout, refresh_tokens=repos.refresh_tokens, clock=infra.clock)
    current_user = providers.Factory(auth.GetCurrentUser, users=repos.users)

    create_tenant = providers.Factory(tenants.CreateTenant, tenants=repos.tenants, clock=infra.clock)
    get_tenant = providers.Factory(tenants.GetTenant, tenants=repos.tenants)
    list_tenants = providers.Factory(tenants.ListTenants, tenants=repos.tenants)
    update_tenant = providers.Factory(tenants.UpdateTenant, tenants=repos.tenants, clock=infra.clock)
    delete_tenant = providers.Factory(tenants.DeleteTenant, tenants=repos.tenants)

    create_user = providers.Factory(
        users.CreateUser,
        users=repos.users,
        tenants=repos.tenants,
        hasher=infra.hasher,
        clock=infra.clock,
        ids=infra.ids,
    )
    get_user = providers.Factory(users.GetUser, users=repos.users)
    list_users = providers.Factory(users.ListUsers, users=repos.users)
    update_user = providers.Factory(users.UpdateUser, users=repos.users, hasher=infra.hasher, clock=infra.clock)
    delete_user = providers.Factory(users.DeleteUser, users=repos.users)

    create_agent = providers.Factory(
        agents.CreateAgent, agents=repos.agents, tools=repos.tools, clock=infra.clock, ids=infra.ids
    )
    get_agent = providers.Factory(agents.GetAgent, agents=repos.agents)
    list_agents = providers.Factory(agents.ListAgents, agents=repos.agents)
    update_agent = providers.Factory(agents.UpdateAgent, agents=repos.agents, tools=repos.tools, clock=infra.clock)
    replace_agent = providers.Factory(
        agents.ReplaceAgent, agents=repos.agents, tools=repos.tools, clock=infra.clock
    )
    delete_agent = providers.Factory(agents.DeleteAgent, agents=repos.agents)


class Application(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    infra = providers.Container(Infrastructure, settings=settings)
    repositories = providers.Container(Repositories, infra=infra)
    use_cases = providers.Container(UseCases, infra=infra, repos=repositories, settings=settings)
