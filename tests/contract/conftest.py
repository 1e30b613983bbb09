"""Every contract test runs twice: against the in-memory fake and against PostgreSQL (as the
runtime role). The same body passing on both is what keeps the fake honest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from itl_adapters.memory.content_repositories import (
    MemoryDocumentRepository,
    MemoryMessageRepository,
    MemorySessionRepository,
)
from itl_adapters.memory.provider_keys import MemoryProviderKeyRepository
from itl_adapters.memory.repositories import (
    MemoryAgentRepository,
    MemoryRefreshTokenRepository,
    MemoryTenantRepository,
    MemoryToolSpecRepository,
    MemoryUserRepository,
    MemoryWidgetConfigRepository,
)
from itl_adapters.memory.store import MemoryStore
from itl_adapters.memory.usage_reports import MemoryUsageReports
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
from itl_adapters.postgres.provider_keys import PgProviderKeyRepository
from itl_adapters.postgres.usage_reports import PgUsageReports

from tests.contract.builders import tenant

TENANT_A = "tenant-a"
TENANT_B = "tenant-b"


@dataclass(frozen=True)
class Repositories:
    tenants: Any
    users: Any
    refresh_tokens: Any
    agents: Any
    tools: Any
    sessions: Any
    messages: Any
    widgets: Any
    documents: Any
    provider_keys: Any
    usage_reports: Any


def memory_repositories() -> Repositories:
    store = MemoryStore()
    return Repositories(
        tenants=MemoryTenantRepository(store),
        users=MemoryUserRepository(store),
        refresh_tokens=MemoryRefreshTokenRepository(store),
        agents=MemoryAgentRepository(store),
        tools=MemoryToolSpecRepository(store),
        sessions=MemorySessionRepository(store),
        messages=MemoryMessageRepository(store),
        widgets=MemoryWidgetConfigRepository(store),
        documents=MemoryDocumentRepository(store),
        provider_keys=MemoryProviderKeyRepository(store),
        usage_reports=MemoryUsageReports(store),
    )


def postgres_repositories(db: Any) -> Repositories:
    return Repositories(
        tenants=PgTenantRepository(db),
        users=PgUserRepository(db),
        refresh_tokens=PgRefreshTokenRepository(db),
        agents=PgAgentRepository(db),
        tools=PgToolSpecRepository(db),
        sessions=PgSessionRepository(db),
        messages=PgMessageRepository(db),
        widgets=PgWidgetConfigRepository(db),
        documents=PgDocumentRepository(db),
        provider_keys=PgProviderKeyRepository(db),
        usage_reports=PgUsageReports(db),
    )


@pytest.fixture(params=["memory", "postgres"])
def repos(request: pytest.FixtureRequest) -> Repositories:
    if request.param == "memory":
        return memory_repositories()
    # Resolved only for the postgres variant, so `-k memory` runs without a server.
    return postgres_repositories(request.getfixturevalue("database"))


@pytest.fixture
async def two_tenants(repos: Repositories) -> tuple[str, str]:
    await repos.tenants.add(tenant(TENANT_A))
    await repos.tenants.add(tenant(TENANT_B))
    return TENANT_A, TENANT_B
