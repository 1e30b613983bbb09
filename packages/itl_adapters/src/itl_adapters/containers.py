"""The one composition root: dependency-injector containers shared by both apps and the CLI.

``Application(settings=...)`` wires everything from settings::

    Application
     ├── infra          clock, ids, keys, tokens, hasher, secret box,
     │                  database (Resource: pool), redis (Resource: client), cache, rate limiter
     ├── repositories   one Factory per repository port (PostgreSQL)
     └── use_cases      one Factory per use case, fed from the two above
                        (``itl_adapters.use_case_container``)

Tests override ``repositories`` (and parts of ``infra``) with in-memory fakes: see
``itl_adapters.memory.container``. Pools and clients are Resources (async generators with
cleanup), opened by ``init_resources()`` in the app's lifespan and closed by
``shutdown_resources()`` (``resources.resources_open`` does both, and runs the providers in
sync mode while the resources are open). A provider that depends on an async Resource returns
an awaitable outside that block; ``resolve`` awaits only when needed, so a sync fake can
replace an async Resource.
"""

from __future__ import annotations

import functools

from dependency_injector import containers, providers
from itl_core.knowledge import embedding as knowledge_embedding

from itl_adapters.cache import (
    CacheAwareTransactions,
    CachedAgentRepository,
    CachedProviderKeyRepository,
    CachedSessionRepository,
    CachedToolSpecRepository,
    CachedWidgetConfigRepository,
    ConfigCache,
    SessionCache,
)
from itl_adapters.knowledge.parsers import FileParser
from itl_adapters.llm.embedders import default_embedding_catalog, provider_embedders_resource
from itl_adapters.llm.offline import OfflineEmbedder
from itl_adapters.memory.ratelimit import InMemoryRateLimiter
from itl_adapters.observability.tracing import (
    process_tracing,
)
from itl_adapters.postgres import (
    PgAgentRepository,
    PgDocumentRepository,
    PgMessageRepository,
    PgRefreshTokenRepository,
    PgSessionRepository,
    PgTenantRepository,
    PgToolSpecRepository,
    PgUserRepository,
    PgWidgetConfigRepository,
)
from itl_adapters.postgres.database import PgTransactions
from itl_adapters.postgres.embeddings import PgEmbeddingStore
from itl_adapters.postgres.jobs import PgJobQueue
from itl_adapters.postgres.knowledge import EMBEDDING_DIMENSIONS
from itl_adapters.postgres.knowledge_search import PgKnowledgeSearch
from itl_adapters.postgres.provider_keys import PgProviderKeyRepository
from itl_adapters.postgres.tenant_indexing import optional_tenant_indexer
from itl_adapters.postgres.usage import PgUsageLedger
from itl_adapters.postgres.usage_reports import PgUsageReports
from itl_adapters.ratelimit import BreakerRateLimiter, FailOpenRateLimiter
from itl_adapters.redis.breaker import CircuitBreaker
from itl_adapters.redis.cache import RedisCache
from itl_adapters.redis.idempotency import RedisIdempotencyStore
from itl_adapters.redis.ratelimit import RedisRateLimiter
from itl_adapters.resources import (
    database_resource,
    jwt_service,
    key_material,
    redis_resource,
    resolve,
)
from itl_adapters.security.passwords import Argon2PasswordHasher
from itl_adapters.security.secretbox import FernetSecretBox
from itl_adapters.settings import Settings
from itl_adapters.system import SystemClock, UuidGenerator
from itl_adapters.tools.guarded_http import GuardedHttpClient
from itl_adapters.use_case_container import UseCases

__all__ = ["Application", "Infrastructure", "Repositories", "UseCases", "resolve"]


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
    # Agent/tool/widget configs, shared by every worker (see itl_adapters.cache.versioned).
    config_cache = providers.Singleton(
        ConfigCache, cache, ttl_seconds=settings.provided.config_cache_ttl
    )
    # Session records for the reads outside the chat turn (polling, widget transcripts), shared
    # by every worker (see itl_adapters.cache.sessions).
    session_cache = providers.Singleton(
        SessionCache, cache, ttl_seconds=settings.provided.session_cache_ttl
    )
    # One breaker for the one Redis: all its users share its health (itl_adapters.redis.breaker).
    redis_breaker = providers.Singleton(
        CircuitBreaker,
        failures=settings.provided.redis_breaker_failures,
        cooldown=settings.provided.redis_breaker_cooldown,
    )
    # Fails closed (login): Redis down -> UpstreamUnavailable -> 503, at once while circuit is open.
    rate_limiter = providers.Singleton(
        BreakerRateLimiter, providers.Singleton(RedisRateLimiter, redis, clock), redis_breaker
    )
    # Fails open onto this process's limiter (every other route, chat included): a Factory, so a
    # test's override of ``rate_limiter`` takes effect; the local limiter keeps its state.
    local_rate_limiter = providers.Singleton(InMemoryRateLimiter, clock)
    open_rate_limiter = providers.Factory(FailOpenRateLimiter, rate_limiter, local_rate_limiter)
    outbound_http = providers.Singleton(GuardedHttpClient)  # THE client for tenant/model URLs
    idempotency = providers.Singleton(RedisIdempotencyStore, redis)
    embedder = providers.Singleton(OfflineEmbedder)  # routing, and the default knowledge model
    # OpenTelemetry, when an OTLP endpoint is set (else None: nothing is traced or imported).
    tracing = providers.Singleton(process_tracing, settings)
    words_embedder = providers.Singleton(OfflineEmbedder, EMBEDDING_DIMENSIONS, char_trigrams=False)
    document_parser = providers.Singleton(FileParser)


class Repositories(containers.DeclarativeContainer):
    infra = providers.DependenciesContainer()
    tenants = providers.Factory(PgTenantRepository, infra.database)
    users = providers.Factory(PgUserRepository, infra.database)
    refresh_tokens = providers.Factory(PgRefreshTokenRepository, infra.database)
    agents = providers.Factory(
        CachedAgentRepository,
        providers.Factory(PgAgentRepository, infra.database),
        infra.config_cache,
    )
    tools = providers.Factory(
        CachedToolSpecRepository,
        providers.Factory(PgToolSpecRepository, infra.database),
        infra.config_cache,
    )
    # Read through the session cache outside transactions; writes invalidate it, inside a
    # transaction once it ended (``transactions`` below), so the two are wired together.
    sessions = providers.Factory(
        CachedSessionRepository,
        providers.Factory(PgSessionRepository, infra.database),
        infra.session_cache,
    )
    messages = providers.Factory(PgMessageRepository, infra.database)
    # Groups a use case's calls of one tenant into one transaction (the chat turn's three).
    transactions = providers.Factory(
        CacheAwareTransactions,
        providers.Factory(
            PgTransactions,
            infra.database,
            sync_commit=infra.settings.provided.chat_sync_commit,
        ),
        infra.session_cache,
    )
    widgets = providers.Factory(
        CachedWidgetConfigRepository,
        providers.Factory(PgWidgetConfigRepository, infra.database),
        infra.config_cache,
    )
    documents = providers.Factory(PgDocumentRepository, infra.database)
    jobs = providers.Factory(PgJobQueue, infra.database)
    # None without a schema-owner URL: then no tenant gets its own indexes (tenant_indexing).
    tenant_indexer = providers.Factory(optional_tenant_indexer, infra.database, infra.settings)
    provider_keys = providers.Factory(
        CachedProviderKeyRepository,
        providers.Factory(PgProviderKeyRepository, infra.database),
        infra.config_cache,
    )
    usage = providers.Factory(PgUsageLedger, infra.database)
    usage_reports = providers.Factory(PgUsageReports, infra.database)
    # The models tenants may choose for their knowledge (itl_core.knowledge.embedding); the
    # providers' ones use the tenant's key, so they come after ``provider_keys``.
    provider_embedders = providers.Resource(
        provider_embedders_resource, infra.settings, keys=provider_keys, box=infra.secret_box
    )
    embedding_models = providers.Factory(
        default_embedding_catalog,
        infra.embedder,
        infra.words_embedder,
        provider_embedders,
        index_dimensions=EMBEDDING_DIMENSIONS,
    )
    # Each tenant's knowledge is embedded and searched with its active model.
    embeddings = providers.Factory(PgEmbeddingStore, infra.database)
    tenant_embedders = providers.Factory(
        knowledge_embedding.TenantEmbedders, embeddings, embedding_models
    )
    model_search = providers.Factory(functools.partial, PgKnowledgeSearch, infra.database)
    knowledge_search = providers.Factory(
        knowledge_embedding.ActiveModelSearch, model_search, tenant_embedders
    )


class Application(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    infra = providers.Container(Infrastructure, settings=settings)
    repositories = providers.Container(Repositories, infra=infra)
    use_cases = providers.Container(UseCases, infra=infra, repos=repositories, settings=settings)
