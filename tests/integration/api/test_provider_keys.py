"""/api/admin/provider-keys: write-only keys, sealed per tenant, shown as their last four."""

from __future__ import annotations

import logging

import pytest
from itl_adapters.containers import resolve
from itl_core.security.ports import secret_context

from tests.integration.api.conftest import Api, assert_problem

KEYS = "/api/admin/provider-keys"
SECRET = "sk-live-demo-0123456789abcdefWXYZ"


async def test_a_tenant_admin_puts_lists_and_deletes_a_key_never_seeing_it(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    put = await api.client.put(f"{KEYS}/openai", json={"api_key": SECRET}, headers=api.demo_admin)
    assert put.status_code == 200, put.text
    assert put.json()["provider"] == "openai" and put.json()["last4"] == "WXYZ"
    listed = await api.client.get(KEYS, headers=api.demo_admin)
    assert [(k["provider"], k["last4"]) for k in listed.json()["items"]] == [("openai", "WXYZ")]
    assert {"provider", "last4", "updated_at"} == set(listed.json()["items"][0])
    deleted = await api.client.delete(f"{KEYS}/openai", headers=api.demo_admin)
    assert deleted.status_code == 204
    assert (await api.client.get(KEYS, headers=api.demo_admin)).json()["items"] == []
    assert_problem(await api.client.delete(f"{KEYS}/openai", headers=api.demo_admin), 404)
    for response in (put, listed):
        assert SECRET not in response.text
    assert SECRET not in caplog.text


async def test_the_key_is_stored_sealed_to_its_tenant_and_provider(api: Api) -> None:
    await api.client.put(f"{KEYS}/anthropic", json={"api_key": SECRET}, headers=api.demo_admin)
    keys = await resolve(api.container.repositories.provider_keys)
    stored = await keys.get(api.demo.id, "anthropic")
    assert SECRET.encode() not in stored.sealed_key
    box = api.container.infra.secret_box()
    assert (
        box.open(
            stored.sealed_key, context=secret_context(api.demo.id, "provider_key", "anthropic")
        )
        == SECRET
    )
    with pytest.raises(Exception):
        box.open(
            stored.sealed_key, context=secret_context(api.other.id, "provider_key", "anthropic")
        )
    with pytest.raises(Exception):
        box.open(stored.sealed_key, context=secret_context(api.demo.id, "provider_key", "openai"))


async def test_bad_providers_and_keys_are_422(api: Api) -> None:
    for provider, key in (("offline", SECRET), ("azure", SECRET), ("openai", "short"),
                          ("openai", "sk with spaces 123"), ("openai", "x" * 513)):  # fmt: skip
        response = await api.client.put(
            f"{KEYS}/{provider}", json={"api_key": key}, headers=api.demo_admin
        )
        assert_problem(response, 422)
        assert key not in response.text
    assert_problem(
        await api.client.put(
            f"{KEYS}/openai", json={"api_key": SECRET, "x": 1}, headers=api.demo_admin
        ),
        400,
    )


async def test_only_admins_manage_keys_and_only_their_tenants(api: Api) -> None:
    await api.client.put(f"{KEYS}/openai", json={"api_key": SECRET}, headers=api.demo_admin)
    for headers in (api.other_operator, api.other_member):
        assert_problem(await api.client.get(KEYS, headers=headers), 403)
        assert_problem(
            await api.client.put(f"{KEYS}/openai", json={"api_key": SECRET}, headers=headers), 403
        )
    b = api.other_admin
    assert (await api.client.get(KEYS, headers=b)).json()["items"] == []
    assert_problem(await api.client.get(KEYS, params={"tenant_id": "demo"}, headers=b), 404)
    assert_problem(await api.client.delete(f"{KEYS}/openai", headers=b), 404)
    assert_problem(
        await api.client.delete(f"{KEYS}/openai", params={"tenant_id": "demo"}, headers=b), 404
    )
    assert len((await api.client.get(KEYS, headers=api.demo_admin)).json()["items"]) == 1


async def test_a_platform_admin_names_the_tenant(api: Api) -> None:
    assert_problem(await api.client.get(KEYS, headers=api.platform), 422)
    put = await api.client.put(
        f"{KEYS}/google",
        params={"tenant_id": "other"},
        json={"api_key": SECRET},
        headers=api.platform,
    )
    assert put.status_code == 200, put.text
    listed = await api.client.get(KEYS, headers=api.other_admin)
    assert [k["provider"] for k in listed.json()["items"]] == ["google"]
