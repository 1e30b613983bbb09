# ruff: noqa: F811 - pytest fixtures imported from the API suite are redefined as parameters
"""Rate limits, budgets and Redis outages over the real stack (PostgreSQL, Redis, HTTP).

Each test module gets its own app (``make_stack``): the API suite's settings with the changes a
test needs (trusted proxies, a private Redis), the real composition root, the session's
Argon2 hasher, and an in-memory config cache: test code runs on another event loop than the
app, and must never touch the app's Redis connections (the limiter's subject here is Redis).
Each test starts over emptied tables with a fresh limiter namespace and forgotten tenant quotas,
then sets its scene with ``Stack.tenant``.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from dependency_injector import providers
from http_api.app import create_app
from itl_adapters.containers import Application, resolve
from itl_adapters.demo_agents import DEMO_AGENTS
from itl_adapters.memory.cache import InMemoryCache
from itl_adapters.ratelimit import BreakerRateLimiter
from itl_adapters.redis.ratelimit import RedisRateLimiter
from itl_adapters.seed import SYSTEM
from itl_adapters.settings import Settings
from itl_adapters.system import SystemClock
from itl_core.access import Role
from itl_core.agents.use_cases import CreateAgentRequest
from itl_core.security.ports import TokenKind
from itl_core.tenants.use_cases import CreateTenantRequest
from itl_core.users.use_cases import CreateUserRequest
from litestar.testing import AsyncTestClient

from tests.integration.api.conftest import (  # noqa: F401 - fixtures reused, not redefined
    hasher,
    keys,
    settings,
)

PASSWORD = "quota-user-password-1"


@dataclass(slots=True, kw_only=True)
class Stack:
    client: AsyncTestClient[Any]
    container: Application

    def bearer(
        self, tenant: str | None, user: str = "user-1", role: Role = Role.TENANT_ADMIN
    ) -> dict[str, str]:
        issued = self.container.infra.tokens().issue(
            kind=TokenKind.ACCESS, subject=user, tenant_id=tenant, role=role.value
        )
        return {"Authorization": f"Bearer {issued.token}"}

    async def tenant(self, tenant: str, settings: Mapping[str, Any] | None = None) -> None:
        """A tenant with ``settings`` and the demo's agents (offline model)."""
        create_tenant = await resolve(self.container.use_cases.create_tenant)
        await create_tenant.execute(
            CreateTenantRequest(
                principal=SYSTEM, id=tenant, name=tenant.title(), settings=dict(settings or {})
            )
        )
        create_agent = await resolve(self.container.use_cases.create_agent)
        for draft in DEMO_AGENTS:
            await create_agent.execute(
                CreateAgentRequest(principal=SYSTEM, tenant_id=tenant, draft=draft)
            )

    async def user(self, tenant: str, email: str) -> dict[str, str]:
        """A real member of ``tenant`` (chat sessions belong to users); their bearer headers."""
        create_user = await resolve(self.container.use_cases.create_user)
        user = await create_user.execute(
            CreateUserRequest(
                principal=SYSTEM, email=email, password=PASSWORD, role=Role.MEMBER, tenant_id=tenant
            )
        )
        return self.bearer(tenant, user.id, Role.MEMBER)

    def reset(self) -> None:
        """A fresh limiter namespace and no remembered tenant quotas."""
        container = self.container
        container.infra.rate_limiter.override(
            providers.Singleton(
                BreakerRateLimiter,
                providers.Singleton(
                    RedisRateLimiter,
                    container.infra.redis,
                    container.infra.clock,
                    namespace=f"itl:test:{uuid.uuid4().hex}:rl:",
                ),
                container.infra.redis_breaker,
            )
        )
        container.infra.local_rate_limiter.reset()
        container.use_cases.tenant_quotas.reset()


@asynccontextmanager
async def make_stack(settings: Settings, hasher: Any, **changes: Any) -> AsyncIterator[Stack]:
    container = Application(settings=dataclasses.replace(settings, **changes))
    container.infra.hasher.override(providers.Object(hasher))
    container.infra.cache.override(providers.Singleton(InMemoryCache, SystemClock()))
    async with AsyncTestClient(app=create_app(container)) as client:
        yield Stack(client=client, container=container)
