"""Another tenant's resources answer 404, exactly like missing ones; lists never mix tenants."""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import quote

import pytest

from tests.integration.api.conftest import DEMO_PASSWORD, Api, assert_problem

AGENTS = "/api/admin/agents"
USERS = "/api/admin/users"


def leaks(api: Api, response: Any) -> list[str]:
    text = response.text
    return [ident for ident in api.demo.identifiers() if ident in text]


async def test_b_admin_gets_404_for_a_agents_on_every_method(api: Api) -> None:
    b = api.other_admin
    missing = f"{AGENTS}/{uuid.uuid4()}"
    reference = await api.client.get(missing, headers=b)
    naming_a = await api.client.get(missing, params={"tenant_id": "demo"}, headers=b)
    assert_problem(reference, 404)
    assert_problem(naming_a, 404)
    for name, agent_id in api.demo.agent_ids.items():
        url = f"{AGENTS}/{agent_id}"
        for response in (
            await api.client.get(url, headers=b),
            await api.client.put(url, json={"name": "Hijacked"}, headers=b),
            await api.client.patch(url, json={"name": "Hijacked", "is_active": False}, headers=b),
            await api.client.delete(url, headers=b),
        ):
            assert_problem(response, 404)
            assert response.json() == reference.json(), (name, response.json())
            assert not leaks(api, response)
        for response in (
            await api.client.get(url, params={"tenant_id": "demo"}, headers=b),
            await api.client.put(url, params={"tenant_id": "demo"}, json={"name": "H"}, headers=b),
            await api.client.delete(url, params={"tenant_id": "demo"}, headers=b),
        ):
            assert_problem(response, 404)
            assert response.json() == naming_a.json(), (name, response.json())
            assert not leaks(api, response)
    # nothing changed on A's side
    listed = await api.client.get(AGENTS, headers=api.demo_admin)
    agents = {a["name"]: a for a in listed.json()["items"]}
    assert set(agents) == set(api.demo.agent_ids)
    assert all(a["is_active"] for a in agents.values())


async def test_b_admin_gets_404_for_a_users_on_every_method(api: Api) -> None:
    b = api.other_admin
    missing = f"{USERS}/{uuid.uuid4()}"
    reference = await api.client.get(missing, headers=b)
    naming_a = await api.client.get(missing, params={"tenant_id": "demo"}, headers=b)
    assert_problem(reference, 404)
    for user_id in [*api.demo.user_ids.values(), api.platform_admin_id]:
        url = f"{USERS}/{user_id}"
        for response in (
            await api.client.get(url, headers=b),
            await api.client.patch(url, json={"role": "member", "is_active": False}, headers=b),
            await api.client.patch(url, json={"password": "taken-over-123"}, headers=b),
            await api.client.delete(url, headers=b),
        ):
            assert_problem(response, 404)
            assert response.json() == reference.json()
            assert not leaks(api, response)
        for response in (
            await api.client.get(url, params={"tenant_id": "demo"}, headers=b),
            await api.client.delete(url, params={"tenant_id": "demo"}, headers=b),
        ):
            assert_problem(response, 404)
            assert response.json() == naming_a.json()
            assert not leaks(api, response)
    # A's admin still signs in with the old password and is still an admin
    body = await api.login(api.demo.admin_email, DEMO_PASSWORD)
    assert body["user"]["role"] == "tenant_admin" and body["user"]["is_active"] is True


@pytest.mark.parametrize("who", ["other_admin", "other_operator"])
async def test_a_data_never_appears_in_b_lists(api: Api, who: str) -> None:
    headers = api.headers[who]
    for path in (AGENTS, USERS, f"{AGENTS}?limit=200", f"{USERS}?limit=1"):
        response = await api.client.get(path, headers=headers)
        if response.status_code == 403:
            continue
        assert response.status_code == 200, response.text
        assert not leaks(api, response), path
        assert "demo" not in json.dumps(response.json()["items"])
    # naming A's tenant explicitly is a 404, not a list
    for path in (AGENTS, USERS):
        response = await api.client.get(path, params={"tenant_id": "demo"}, headers=headers)
        assert response.status_code in (403, 404)
        assert not leaks(api, response)


async def test_b_writes_land_in_b_even_when_the_body_names_a(api: Api) -> None:
    created = await api.client.post(
        USERS,
        json={
            "email": "sneaky@other.test",
            "password": "sneaky-pass-1",
            "role": "member",
            "tenant_id": "demo",
        },
        headers=api.other_admin,
    )
    assert created.status_code == 201
    assert created.json()["tenant_id"] == "other"
    agent = await api.client.post(
        AGENTS, params={"tenant_id": "demo"}, json={"name": "Sneaky"}, headers=api.other_admin
    )
    assert_problem(agent, 404)
    a_users = await api.client.get(USERS, headers=api.demo_admin)
    assert "sneaky@other.test" not in a_users.text


async def test_b_agent_cannot_reference_a_tools_or_agents(api: Api) -> None:
    response = await api.client.post(
        AGENTS, json={"name": "Borrower", "tool_ids": [api.demo.agent_id]}, headers=api.other_admin
    )
    assert_problem(response, 422)


MALFORMED_IDS = [
    "not-a-uuid",
    "1",
    "0",
    "-1",
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "x" * 300,
    "y" * 5000,
    "é",
    "日本語",
    "🙂🙂",
    "%00",
    "a%00b",
    "%ff%fe",
    "..",
    "' OR 1=1 --",
    "{agent_id}",
    "null",
    "%E2%80%AE",
]


@pytest.mark.parametrize("raw", MALFORMED_IDS)
async def test_malformed_ids_are_4xx_never_500(api: Api, raw: str) -> None:
    segment = raw if "%" in raw else quote(raw, safe="")
    for headers in (api.demo_admin, api.other_admin, api.platform):
        for base in (AGENTS, USERS, "/api/admin/tenants"):
            url = f"{base}/{segment}"
            for method, kwargs in (
                ("GET", {}),
                ("PUT", {"json": {"name": "x"}}),
                ("PATCH", {"json": {"name": "xyz"}}),
                ("DELETE", {}),
            ):
                response = await api.client.request(method, url, headers=headers, **kwargs)
                assert 400 <= response.status_code < 500, (
                    method,
                    url,
                    response.status_code,
                    response.text,
                )
                assert_problem(response)
                if method == "GET":
                    assert response.status_code in (403, 404, 405, 422), (url, response.text)
