"""In-memory wiring of the composition root, for unit tests and embedders' own tests.

``memory_application(settings)`` is the real ``Application`` container with every repository
replaced by the in-memory fakes (sharing one ``MemoryStore``), and the clock, password hasher,
cache and rate limiter replaced by their fast fakes. Use cases, tokens and the secret box are
the real ones, so a test exercises exactly the wiring production uses.
"""

from __future__ import annotations

import functools

from dependency_injector import providers
from itl_core.transactions import NoTransactions

from itl_adapters.containers import Application
from itl_adapters.memory.cache import InMemoryCache
from itl_adapters.memory.clock import FakeClock
from itl_adapters.memory.content_repositories import (
    MemoryDocumentRepository,
    MemoryMessageRepository,
    MemorySessionRepository,
)
from itl_adapters.memory.embeddings import MemoryEmbeddingStore
from itl_adapters.memory.idempotency import InMemoryIdempotencyStore
from itl_adapters.memory.jobs import MemoryJobQueue
from itl_adapters.memory.knowledge_search import MemoryKnowledgeSearch
from itl_adapters.memory.provider_keys import MemoryProviderKeyRepository
from itl_adapters.memory.ratelimit import InMemoryRateLimiter
from itl_adapters.memory.repositories import (
    MemoryAgentRepository,
    MemoryRefreshTokenRepository,
    MemoryTenantRepository,
    MemoryToolSpecRepository,
    MemoryUserRepository,
    MemoryWidgetConfigRepository,
)
from itl_adapters.memory.security import FastPasswordHasher
from itl_adapters.memory.store import MemoryStore
from itl_adapters.memory.usage import MemoryUsageLedger
from itl_adapters.memory.usage_reports import MemoryUsageReports
from itl_adapters.settings import Settings

MEMORY_REPOSITORIES = {
    "tenants": MemoryTenantRepository,
    "users": MemoryUserRepository,
    "refresh_tokens": MemoryRefreshTokenRepository,
    "agents": MemoryAgentRepository,
    "tools": MemoryToolSpecRepository,
    "sessions": MemorySessionRepository,
    "messages": MemoryMessageRepository,
    "widgets": MemoryWidgetConfigRepository,
    "documents": MemoryDocumentRepository,
    "provider_keys": MemoryProviderKeyRepository,
    "embeddings": MemoryEmbeddingStore,
    "jobs": MemoryJobQueue,
    "usage_reports": MemoryUsageReports,
}


def memory_application(settings: Settings, store: MemoryStore | None = None) -> Application:
    """``Application`` over in-memory fakes; pass ``store`` to inspect or pre-fill the data."""
    container = Application(settings=settings)
    store = store or MemoryStore()
    for name, repository in MEMORY_REPOSITORIES.items():
        getattr(container.repositories, name).override(providers.Object(repository(store)))
    clock = FakeClock()
    container.infra.clock.override(providers.Object(clock))
    container.infra.hasher.override(providers.Singleton(FastPasswordHasher))
    container.infra.cache.override(providers.Singleton(InMemoryCache, clock))
    container.infra.rate_limiter.override(providers.Singleton(InMemoryRateLimiter, clock))
    container.repositories.usage.override(providers.Singleton(MemoryUsageLedger))
    container.repositories.transactions.override(providers.Object(NoTransactions()))
    container.repositories.model_search.override(
        providers.Object(functools.partial(MemoryKnowledgeSearch, store))
    )
    container.repositories.tenant_indexer.override(providers.Object(None))  # no DDL here
    container.infra.idempotency.override(providers.Singleton(InMemoryIdempotencyStore, clock))
    return container
