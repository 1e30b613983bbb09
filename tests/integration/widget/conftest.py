# ruff: noqa: F811 - pytest fixtures imported from the API suite are redefined as parameters
"""The widget host over the real stack, beside the REST API of ``tests/integration/api``.

The widget host gets its own composition root over the API suite's settings (as ``itl serve``
builds one per app over one database and one Redis). Each test starts over emptied tables with
two tenants: ``demo`` (the seed's demo agents, widget allowed on ``SHOP`` and ``SECOND_SHOP``)
and ``other`` (one agent, widget allowed on ``OTHER_SHOP``). No users: admin calls carry tokens
signed by the app's own key for made-up admin ids, which is all the widget routes look at.
The full seed (knowledge ingestion included) is not run: it would cost a second per test.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from dependency_injector import providers
from itl_adapters.containers import Application, resolve
from itl_adapters.demo_agents import DEMO_AGENTS
from itl_adapters.seed import SYSTEM
from itl_adapters.settings import Settings
from itl_core.access import Role
from itl_core.agents.use_cases import CreateAgentRequest
from itl_core.security.ports import TokenKind
from itl_core.tenants.use_cases import CreateTenantRequest
from itl_core.widgets.identity import SignedIdentity, sign_identity
from itl_core.widgets.limits import WidgetPolicy
from itl_core.widgets.use_cases import WidgetDraft
from litestar.testing import AsyncTestClient
from widget_host.app import create_app

from tests.integration.api.conftest import (  # noqa: F401 - fixtures reused, not redefined
    OTHER_AGENTS,
    client,
    container,
    hasher,
    isolate_rate_limits,
    keys,
    settings,
)
from tests.support.caching import isolate_config_cache

SHOP = "https://shop.example"
SECOND_SHOP = "http://localhost:3000"
OTHER_SHOP = "https://other.example"
WIDGET_HOST = "http://testserver.local"  # the test client's own origin: the iframe's calls


@dataclass(slots=True, kw_only=True)
class Widget:
    client: AsyncTestClient[Any]  # the widget host
    api_client: AsyncTestClient[Any]  # the REST API
    container: Application  # the API's composition root (repositories for setting scenes)
    settings: Settings

    def admin(self, tenant: str) -> dict[str, str]:
        tokens = self.container.infra.tokens()
        issued = tokens.issue(
            kind=TokenKind.ACCESS,
            subject=f"admin-of-{tenant}",
            tenant_id=tenant,
            role=Role.TENANT_ADMIN.value,
        )
        return {"Authorization": f"Bearer {issued.token}"}

    async def session(self, tenant: str = "demo", origin: str | None = SHOP, **body: Any) -> Any:
        headers = {"Origin": origin} if origin else {}
        return await self.client.post(
            f"/api/public/widgets/{tenant}/session", json=body, headers=headers
        )

    async def token(self, tenant: str = "demo", origin: str = SHOP, **body: Any) -> tuple[str, str]:
        response = await self.session(tenant, origin, **body)
        assert response.status_code == 200, response.text
        data = response.json()
        return data["widget_token"], data["visitor_id"]

    async def rotate_secret(self, tenant: str) -> str:
        response = await self.api_client.post(
            "/api/admin/widget/identity-secret", headers=self.admin(tenant)
        )
        assert response.status_code == 200, response.text
        return response.json()["identity_secret"]


def signed(
    secret: str, tenant: str, visitor_id: str, *, expires_in: int = 600, **fields: str
) -> dict[str, Any]:
    """The ``visitor`` body a tenant's backend would hand its page."""
    identity = SignedIdentity(
        visitor_id=visitor_id, expires=int(time.time()) + expires_in, signature="", **fields
    )
    return {
        "id": visitor_id,
        "name": identity.name,
        "email": identity.email,
        "expires": identity.expires,
        "signature": sign_identity(secret, tenant, identity),
    }


@pytest.fixture(scope="session")
def widget_container(settings: Settings) -> Application:
    """The widget host's own composition root over the same settings, as ``itl serve`` builds it."""
    return Application(settings=settings)


@pytest.fixture(scope="session")
async def widget_client(widget_container: Application) -> AsyncIterator[AsyncTestClient[Any]]:
    async with AsyncTestClient(app=create_app(widget_container)) as client:
        yield client


async def _scene(container: Application) -> None:
    create_tenant = await resolve(container.use_cases.create_tenant)
    create_agent = await resolve(container.use_cases.create_agent)
    configure = await resolve(container.use_cases.update_widget_config)
    for tenant, agents, origins in (
        ("demo", DEMO_AGENTS, (SHOP, SECOND_SHOP)),
        ("other", OTHER_AGENTS, (OTHER_SHOP,)),
    ):
        await create_tenant.execute(
            CreateTenantRequest(principal=SYSTEM, id=tenant, name=tenant.title(), settings={})
        )
        for draft in agents:
            await create_agent.execute(
                CreateAgentRequest(principal=SYSTEM, tenant_id=tenant, draft=draft)
            )
        draft = WidgetDraft(
            title="Help",
            welcome_message="Hello",
            theme={},
            position="bottom-right",
            starter_prompts=("Hi",),
            allowed_origins=origins,
        )
        await configure.execute(SYSTEM, draft, tenant)


@pytest.fixture
async def widget(
    database: Any,
    client: AsyncTestClient[Any],
    container: Application,
    settings: Settings,
    widget_client: AsyncTestClient[Any],
    widget_container: Application,
) -> Widget:
    isolate_rate_limits(widget_container)
    isolate_rate_limits(container)  # the API's limiter too: every request is limited
    isolate_config_cache(container)  # no Redis from this loop (see tests.support.caching)
    isolate_config_cache(widget_container)
    await _scene(container)
    return Widget(client=widget_client, api_client=client, container=container, settings=settings)


@pytest.fixture
def policy(widget_container: Application) -> Iterator[Any]:
    """Call with ``WidgetPolicy`` fields to tighten the widget limits for one test."""

    def tighten(**fields: Any) -> None:
        widget_container.use_cases.widget_policy.override(providers.Object(WidgetPolicy(**fields)))

    yield tighten
    widget_container.use_cases.widget_policy.reset_override()
