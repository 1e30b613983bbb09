"""The model resolver over tenants' sealed keys, talking to the fake vendor servers.

Keys are stored through the real ``PutProviderKey`` use case (sealed by the real Fernet box);
the resolver opens them and builds the real adapters, whose SDKs call the local fake server.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from types import ModuleType

import pytest
from cryptography.fernet import Fernet
from itl_adapters.llm.resolver import ProviderModelResolver
from itl_adapters.memory.clock import FakeClock
from itl_adapters.memory.provider_keys import MemoryProviderKeyRepository
from itl_adapters.memory.repositories import MemoryTenantRepository
from itl_adapters.memory.store import MemoryStore
from itl_adapters.security.secretbox import FernetSecretBox
from itl_core.access import Principal, Role
from itl_core.agents.model import Agent, AgentKind
from itl_core.errors import UpstreamUnavailable
from itl_core.llm.model import ChatMessage, ChatRequest
from itl_core.llm.retry import RetryPolicy
from itl_core.provider_keys.use_cases import PutProviderKey, PutProviderKeyRequest
from itl_core.tenants.model import Tenant

from tests.support.fake_vendors import anthropic, openai
from tests.support.fake_vendors.server import FakeVendor

SYSTEM = Principal(user_id="system", tenant_id=None, role=Role.PLATFORM_ADMIN)
NOW = datetime(2025, 3, 1, tzinfo=UTC)
OFFLINE_INTRO = "I'm the offline assistant"


class World:
    """Two tenants, a key store and a resolver pointed at one fake vendor."""

    def __init__(self, vendor_url: str) -> None:
        self.store = MemoryStore()
        self.tenants = MemoryTenantRepository(self.store)
        self.keys = MemoryProviderKeyRepository(self.store)
        box = FernetSecretBox([Fernet.generate_key().decode()])
        self._put = PutProviderKey(self.keys, box, FakeClock())
        self.seconds = 0.0  # the resolver's monotonic clock
        self.resolver = ProviderModelResolver(
            keys=self.keys,
            tenants=self.tenants,
            box=box,
            base_urls={"openai": f"{vendor_url}/v1", "anthropic": vendor_url, "google": vendor_url},
            timeout=5.0,
            policy=RetryPolicy(max_attempts=2, base_delay=0.0, max_delay=0.0),
            settings_ttl=10.0,
            monotonic=lambda: self.seconds,
        )

    async def add_tenant(self, tenant_id: str, **settings: str) -> None:
        await self.tenants.add(
            Tenant(id=tenant_id, name=tenant_id, settings=settings, created_at=NOW, updated_at=NOW)
        )

    async def put_key(self, tenant_id: str, provider: str, api_key: str) -> None:
        await self._put.execute(
            PutProviderKeyRequest(
                principal=SYSTEM, tenant_id=tenant_id, provider=provider, api_key=api_key
            )
        )


def an_agent(tenant_id: str, provider: str, model: str) -> Agent:
    return Agent(
        id="agent-1", tenant_id=tenant_id, name="Helper", kind=AgentKind.DOMAIN,
        provider=provider, model=model, created_at=NOW, updated_at=NOW,
    )  # fmt: skip


def a_request(model: str) -> ChatRequest:
    return ChatRequest(
        model=model, messages=(ChatMessage.user("Where is my parcel?"),), max_tokens=50
    )


def sent_key(vendor: FakeVendor, index: int = -1) -> str:
    """Every header value of a recorded request, joined: each SDK carries the key its own way."""
    return " ".join(vendor.requests[index].headers.values())


@pytest.fixture
async def world(vendor: FakeVendor) -> AsyncIterator[World]:
    world = World(vendor.url)
    await world.add_tenant("acme")
    await world.add_tenant("globex")
    yield world
    await world.resolver.aclose()


async def test_a_tenant_with_a_key_gets_answers_from_its_provider(
    wire: ModuleType, vendor: FakeVendor, world: World
) -> None:
    provider = wire.__name__.rsplit(".", 1)[-1]
    await world.put_key("acme", provider, f"key-of-acme-for-{provider}")
    vendor.reply(wire.text("Your parcel is in Hamburg."))

    resolved = await world.resolver.for_agent("acme", an_agent("acme", provider, wire.MODEL))
    response = await resolved.chat_model.complete(a_request(resolved.model))

    assert (resolved.provider, resolved.model) == (provider, wire.MODEL)
    assert response.text == "Your parcel is in Hamburg."
    assert f"key-of-acme-for-{provider}" in sent_key(vendor)


async def test_a_failing_provider_fails_over_to_the_offline_model(
    vendor: FakeVendor, world: World
) -> None:
    await world.put_key("acme", "openai", "sk-acme-00000001")
    vendor.reply(openai.server_error(), openai.server_error())

    resolved = await world.resolver.for_agent("acme", an_agent("acme", "openai", openai.MODEL))
    response = await resolved.chat_model.complete(a_request(resolved.model))

    assert len(vendor.requests) == 2  # our retry policy ran first
    assert response.text.startswith(OFFLINE_INTRO)


async def test_a_streamed_failure_fails_over_too(vendor: FakeVendor, world: World) -> None:
    await world.put_key("acme", "openai", "sk-acme-00000001")
    vendor.reply(openai.server_error(), openai.server_error())

    resolved = await world.resolver.for_agent("acme", an_agent("acme", "openai", openai.MODEL))
    events = [e async for e in resolved.chat_model.stream(a_request(resolved.model))]

    assert "".join(getattr(e, "text", "") for e in events).startswith(OFFLINE_INTRO)


async def test_fallback_none_surfaces_the_provider_error(vendor: FakeVendor, world: World) -> None:
    await world.add_tenant("strict", fallback_provider="none")
    await world.put_key("strict", "openai", "sk-strict-0000001")
    vendor.reply(openai.server_error(), openai.server_error())

    resolved = await world.resolver.for_agent("strict", an_agent("strict", "openai", openai.MODEL))
    with pytest.raises(UpstreamUnavailable):
        await resolved.chat_model.complete(a_request(resolved.model))


async def test_a_changed_fallback_setting_applies_once_the_settings_ttl_passed(
    vendor: FakeVendor, world: World
) -> None:
    await world.add_tenant("strict", fallback_provider="none")
    await world.put_key("strict", "openai", "sk-strict-0000001")
    agent = an_agent("strict", "openai", openai.MODEL)
    await world.resolver.for_agent("strict", agent)  # the settings are read and remembered
    tenant = await world.tenants.get("strict")
    assert tenant is not None
    await world.tenants.update(dataclasses.replace(tenant, settings={}))  # offline fallback
    vendor.reply(*(openai.server_error() for _ in range(4)))

    remembered = await world.resolver.for_agent("strict", agent)
    with pytest.raises(UpstreamUnavailable):  # still "none" within the TTL
        await remembered.chat_model.complete(a_request(remembered.model))
    world.seconds += 10.0
    reread = await world.resolver.for_agent("strict", agent)
    response = await reread.chat_model.complete(a_request(reread.model))
    assert response.text.startswith(OFFLINE_INTRO)


async def test_the_tenants_fallback_provider_answers_when_the_primary_fails(
    vendor: FakeVendor, world: World
) -> None:
    await world.add_tenant("dual", fallback_provider="anthropic", fallback_model="claude-test")
    await world.put_key("dual", "openai", "sk-dual-openai-01")
    await world.put_key("dual", "anthropic", "sk-dual-anthropic-01")
    vendor.reply(openai.server_error(), openai.server_error(), anthropic.text("From Claude."))

    resolved = await world.resolver.for_agent("dual", an_agent("dual", "openai", openai.MODEL))
    response = await resolved.chat_model.complete(a_request(resolved.model))

    assert response.text == "From Claude."
    assert vendor.requests[-1].body["model"] == "claude-test"
    assert "sk-dual-anthropic-01" in sent_key(vendor)


async def test_without_a_key_the_agent_gets_the_offline_model(
    vendor: FakeVendor, world: World
) -> None:
    resolved = await world.resolver.for_agent("acme", an_agent("acme", "openai", "gpt-4o"))
    response = await resolved.chat_model.complete(a_request(resolved.model))

    assert (resolved.provider, resolved.model) == ("offline", "offline-1")
    assert response.text.startswith(OFFLINE_INTRO)
    assert vendor.requests == []


async def test_a_key_of_one_tenant_is_never_used_for_another(
    vendor: FakeVendor, world: World
) -> None:
    await world.put_key("acme", "openai", "sk-acme-secret-1")
    vendor.reply(openai.text("for acme"), openai.text("for globex"))

    globex = await world.resolver.for_agent("globex", an_agent("globex", "openai", openai.MODEL))
    assert globex.provider == "offline"

    await world.put_key("globex", "openai", "sk-globex-secret-1")
    acme = await world.resolver.for_agent("acme", an_agent("acme", "openai", openai.MODEL))
    globex = await world.resolver.for_agent("globex", an_agent("globex", "openai", openai.MODEL))
    await acme.chat_model.complete(a_request(openai.MODEL))
    await globex.chat_model.complete(a_request(openai.MODEL))

    assert "sk-acme-secret-1" in sent_key(vendor, 0) and "sk-globex" not in sent_key(vendor, 0)
    assert "sk-globex-secret-1" in sent_key(vendor, 1) and "sk-acme" not in sent_key(vendor, 1)


async def test_a_changed_key_is_used_from_the_next_turn(vendor: FakeVendor, world: World) -> None:
    await world.put_key("acme", "openai", "sk-acme-first-01")
    vendor.reply(openai.text("one"), openai.text("two"), openai.text("three"))
    agent = an_agent("acme", "openai", openai.MODEL)

    first = await world.resolver.for_agent("acme", agent)
    await first.chat_model.complete(a_request(openai.MODEL))
    await world.put_key("acme", "openai", "sk-acme-second-02")
    changed = await world.resolver.for_agent("acme", agent)
    await changed.chat_model.complete(a_request(openai.MODEL))

    assert "sk-acme-first-01" in sent_key(vendor, 0)
    assert "sk-acme-second-02" in sent_key(vendor, 1)
