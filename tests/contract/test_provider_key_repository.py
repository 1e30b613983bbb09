"""Contract: ProviderKeyRepository (one sealed key per tenant and provider)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from itl_core.errors import ValidationFailed
from itl_core.provider_keys.model import ProviderKey

from tests.contract.builders import at
from tests.contract.conftest import Repositories


def a_key(tenant_id: str, provider: str = "openai", **kw: object) -> ProviderKey:
    defaults = {
        "sealed_key": b"\x00sealed-" + provider.encode(),
        "last4": "abcd",
        "updated_at": at(0),
    }
    return ProviderKey(tenant_id=tenant_id, provider=provider, **{**defaults, **kw})  # type: ignore[arg-type]


async def test_a_saved_key_reads_back_equal_and_saving_again_replaces_it(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    key = a_key(a)
    await repos.provider_keys.save(key)
    assert await repos.provider_keys.get(a, "openai") == key
    newer = replace(key, sealed_key=b"\x01other", last4="wxyz", updated_at=at(9))
    await repos.provider_keys.save(newer)
    assert await repos.provider_keys.get(a, "openai") == newer
    assert await repos.provider_keys.list(a) == [newer]


async def test_list_is_ordered_by_provider_and_holds_only_the_tenants_keys(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    for provider in ("openai", "google", "anthropic"):
        await repos.provider_keys.save(a_key(a, provider))
    await repos.provider_keys.save(a_key(b, "openai", last4="bbbb"))
    assert [k.provider for k in await repos.provider_keys.list(a)] == [
        "anthropic",
        "google",
        "openai",
    ]
    assert [k.last4 for k in await repos.provider_keys.list(b)] == ["bbbb"]


async def test_another_tenant_neither_reads_nor_deletes_the_key(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    await repos.provider_keys.save(a_key(a))
    assert await repos.provider_keys.get(b, "openai") is None
    assert await repos.provider_keys.delete(b, "openai") is False
    assert await repos.provider_keys.get(a, "openai") is not None


async def test_delete_removes_the_key_once(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    await repos.provider_keys.save(a_key(a))
    assert await repos.provider_keys.delete(a, "openai") is True
    assert await repos.provider_keys.delete(a, "openai") is False
    assert await repos.provider_keys.get(a, "openai") is None


async def test_deleting_the_tenant_deletes_its_keys(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    await repos.provider_keys.save(a_key(a))
    await repos.tenants.delete(a)
    assert await repos.provider_keys.list(a) == []


async def test_a_key_of_an_unknown_tenant_is_refused(repos: Repositories) -> None:
    with pytest.raises(ValidationFailed):
        await repos.provider_keys.save(a_key("no-such-tenant"))
