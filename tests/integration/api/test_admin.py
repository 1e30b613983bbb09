"""Platform and tenant administration: tenants, users and agents, with every role."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.api.conftest import Api, assert_problem

TENANTS = "/api/admin/tenants"
USERS = "/api/admin/users"
AGENTS = "/api/admin/agents"


def assert_no_password(body: Any) -> None:
    text = json.dumps(body).lower()
    assert "password" not in text, body
    assert "argon2" not in text, body


# --- tenants -----------------------------------------------------------------------------------


async def test_platform_admin_creates_gets_patches_and_deletes_a_tenant(api: Api) -> None:
    created = await api.client.post(
        TENANTS,
        json={"id": "acme", "name": "Acme Corp", "settings": {"tier": "gold"}},
        headers=api.platform,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["id"] == "acme" and body["name"] == "Acme Corp"
    assert body["settings"] == {"tier": "gold"}
    assert {"created_at", "updated_at"} <= body.keys()

    got = await api.client.get(f"{TENANTS}/acme", headers=api.platform)
    assert got.status_code == 200 and got.json()["name"] == "Acme Corp"

    patched = await api.client.patch(
        f"{TENANTS}/acme", json={"name": "Acme Inc"}, headers=api.platform
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["name"] == "Acme Inc"
    assert patched.json()["settings"] == {"tier": "gold"}  # untouched by a partial update

    deleted = await api.client.delete(f"{TENANTS}/acme", headers=api.platform)
    assert deleted.status_code == 204
    assert_problem(await api.client.get(f"{TENANTS}/acme", headers=api.platform), 404)
    assert_problem(await api.client.delete(f"{TENANTS}/acme", headers=api.platform), 404)
    assert_problem(
        await api.client.patch(f"{TENANTS}/acme", json={"name": "x"}, headers=api.platform), 404
    )


async def test_tenant_list_pages_with_limit_and_cursor(api: Api) -> None:
    for i in range(3):
        response = await api.client.post(
            TENANTS, json={"id": f"page-{i}", "name": f"Page {i}"}, headers=api.platform
        )
        assert response.status_code == 201
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        response = await api.client.get(TENANTS, params=params, headers=api.platform)
        assert response.status_code == 200, response.text
        page = response.json()
        assert set(page) == {"items", "next_cursor"}
        assert len(page["items"]) <= 2
        seen += [t["id"] for t in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted({"demo", "other", "page-0", "page-1", "page-2"})
    assert len(seen) == len(set(seen)) == 5
    assert pages == 3


@pytest.mark.parametrize("limit", [0, -1, 201, 10**12])
async def test_tenant_list_limit_out_of_bounds_is_4xx(api: Api, limit: int) -> None:
    response = await api.client.get(TENANTS, params={"limit": limit}, headers=api.platform)
    assert 400 <= response.status_code < 500
    assert_problem(response)


@pytest.mark.parametrize("cursor", ["garbage", "!!!", "é", "a" * 5000, "MjAyNXxh"])
async def test_a_forged_cursor_is_4xx(api: Api, cursor: str) -> None:
    for path in (TENANTS, USERS + "?tenant_id=demo", AGENTS + "?tenant_id=demo"):
        response = await api.client.get(path, params={"cursor": cursor}, headers=api.platform)
        assert 400 <= response.status_code < 500, (path, response.status_code, response.text)
        assert_problem(response)


async def test_duplicate_tenant_is_409_and_bad_slug_is_422(api: Api) -> None:
    dup = await api.client.post(TENANTS, json={"id": "demo", "name": "Again"}, headers=api.platform)
    assert_problem(dup, 409)
    for bad in ("Demo", "-x", "x-", "a b", "ä", "", "a" * 64):
        response = await api.client.post(
            TENANTS, json={"id": bad, "name": "Bad"}, headers=api.platform
        )
        body = assert_problem(response, 422)
        assert body["errors"] and body["errors"][0]["field"] == "id", body


@pytest.mark.parametrize("who", ["demo_admin", "other_admin", "other_operator", "other_member"])
async def test_tenant_users_get_403_on_tenants(api: Api, who: str) -> None:
    headers = api.headers[who]
    assert_problem(await api.client.get(TENANTS, headers=headers), 403)
    assert_problem(
        await api.client.post(TENANTS, json={"id": "x", "name": "X"}, headers=headers), 403
    )
    assert_problem(await api.client.get(f"{TENANTS}/demo", headers=headers), 403)
    assert_problem(
        await api.client.patch(f"{TENANTS}/demo", json={"name": "X"}, headers=headers), 403
    )
    assert_problem(await api.client.delete(f"{TENANTS}/demo", headers=headers), 403)
    assert (await api.client.get(f"{TENANTS}/demo", headers=api.platform)).json()[
        "name"
    ] == "Demo Logistics"


async def test_admin_routes_without_a_token_are_401(api: Api) -> None:
    for path in (TENANTS, USERS, AGENTS):
        response = await api.client.get(path)
        assert_problem(response, 401)
        assert response.headers["www-authenticate"].lower().startswith("bearer")


# --- users -------------------------------------------------------------------------------------


async def test_tenant_admin_manages_users_of_the_own_tenant(api: Api) -> None:
    created = await api.client.post(
        USERS,
        json={"email": "New.Op@Demo.Local", "password": "operator-pass-1", "role": "operator"},
        headers=api.demo_admin,
    )
    assert created.status_code == 201, created.text
    user = created.json()
    assert_no_password(user)
    assert user["email"] == "new.op@demo.local"
    assert user["role"] == "operator" and user["tenant_id"] == "demo"
    user_id = user["id"]

    got = await api.client.get(f"{USERS}/{user_id}", headers=api.demo_admin)
    assert got.status_code == 200 and got.json()["id"] == user_id
    assert_no_password(got.json())

    listed = await api.client.get(USERS, headers=api.demo_admin)
    assert listed.status_code == 200
    assert_no_password(listed.json())
    emails = {u["email"] for u in listed.json()["items"]}
    assert emails == {"admin@demo.local", "new.op@demo.local"}

    patched = await api.client.patch(
        f"{USERS}/{user_id}",
        json={"role": "member", "password": "a-new-password-2", "is_active": False},
        headers=api.demo_admin,
    )
    assert patched.status_code == 200, patched.text
    assert_no_password(patched.json())
    assert patched.json()["role"] == "member" and patched.json()["is_active"] is False

    deleted = await api.client.delete(f"{USERS}/{user_id}", headers=api.demo_admin)
    assert deleted.status_code == 204
    assert_problem(await api.client.get(f"{USERS}/{user_id}", headers=api.demo_admin), 404)


async def test_created_user_can_log_in_and_password_change_takes_effect(api: Api) -> None:
    created = await api.client.post(
        USERS,
        json={"email": "m@demo.local", "password": "first-password-1", "role": "member"},
        headers=api.demo_admin,
    )
    assert created.status_code == 201
    assert (await api.login("m@demo.local", "first-password-1"))["user"]["role"] == "member"
    await api.client.patch(
        f"{USERS}/{created.json()['id']}",
        json={"password": "second-password-2"},
        headers=api.demo_admin,
    )
    old = await api.client.post(
        "/api/auth/login", json={"email": "m@demo.local", "password": "first-password-1"}
    )
    assert_problem(old, 401)
    await api.login("m@demo.local", "second-password-2")


async def test_tenant_admin_cannot_create_users_elsewhere_or_grant_platform_admin(api: Api) -> None:
    # a tenant in the body is ignored: the token's tenant wins
    created = await api.client.post(
        USERS,
        json={
            "email": "x@demo.local",
            "password": "some-password-1",
            "role": "member",
            "tenant_id": "other",
        },
        headers=api.demo_admin,
    )
    assert created.status_code == 201
    assert created.json()["tenant_id"] == "demo"
    escalate = await api.client.post(
        USERS,
        json={"email": "y@demo.local", "password": "some-password-1", "role": "platform_admin"},
        headers=api.demo_admin,
    )
    assert_problem(escalate, 422)
    promote = await api.client.patch(
        f"{USERS}/{created.json()['id']}", json={"role": "platform_admin"}, headers=api.demo_admin
    )
    assert_problem(promote, 422)


async def test_duplicate_email_is_409_and_bad_input_is_422(api: Api) -> None:
    dup = await api.client.post(
        USERS,
        json={"email": "ADMIN@demo.local", "password": "some-password-1", "role": "member"},
        headers=api.demo_admin,
    )
    assert_problem(dup, 409)
    # an email of another tenant is taken too (emails are global) but must not leak anything
    cross = await api.client.post(
        USERS,
        json={"email": "operator@other.test", "password": "some-password-1", "role": "member"},
        headers=api.demo_admin,
    )
    assert_problem(cross, 409)
    assert api.other.user_ids["operator@other.test"] not in cross.text
    for body in (
        {"email": "not-an-email", "password": "some-password-1", "role": "member"},
        {"email": "a@demo.local", "password": "short", "role": "member"},
        {"email": "a@demo.local", "password": "p" * 257, "role": "member"},
    ):
        response = await api.client.post(USERS, json=body, headers=api.demo_admin)
        problem = assert_problem(response, 422)
        assert problem["errors"], problem
        assert {"field", "message"} <= problem["errors"][0].keys()


async def test_admin_cannot_delete_or_demote_itself(api: Api) -> None:
    me = f"{USERS}/{api.demo.admin_id}"
    assert_problem(await api.client.delete(me, headers=api.demo_admin), 409)
    assert_problem(await api.client.patch(me, json={"role": "member"}, headers=api.demo_admin), 409)
    assert_problem(
        await api.client.patch(me, json={"is_active": False}, headers=api.demo_admin), 409
    )


async def test_platform_admin_manages_users_of_any_tenant(api: Api) -> None:
    created = await api.client.post(
        USERS,
        json={
            "email": "pa@other.test",
            "password": "some-password-1",
            "role": "operator",
            "tenant_id": "other",
        },
        headers=api.platform,
    )
    assert created.status_code == 201, created.text
    assert created.json()["tenant_id"] == "other"
    assert_no_password(created.json())
    user_id = created.json()["id"]
    listed = await api.client.get(USERS, params={"tenant_id": "other"}, headers=api.platform)
    assert user_id in {u["id"] for u in listed.json()["items"]}
    got = await api.client.get(
        f"{USERS}/{user_id}", params={"tenant_id": "other"}, headers=api.platform
    )
    assert got.status_code == 200
    patched = await api.client.patch(
        f"{USERS}/{user_id}",
        params={"tenant_id": "other"},
        json={"role": "member"},
        headers=api.platform,
    )
    assert patched.status_code == 200 and patched.json()["role"] == "member"
    deleted = await api.client.delete(
        f"{USERS}/{user_id}", params={"tenant_id": "other"}, headers=api.platform
    )
    assert deleted.status_code == 204
    # the other tenant's admin sees it is gone
    assert_problem(await api.client.get(f"{USERS}/{user_id}", headers=api.other_admin), 404)


async def test_platform_admin_user_for_unknown_tenant_is_422(api: Api) -> None:
    response = await api.client.post(
        USERS,
        json={
            "email": "z@nowhere.test",
            "password": "some-password-1",
            "role": "member",
            "tenant_id": "nowhere",
        },
        headers=api.platform,
    )
    assert_problem(response, 422)


async def test_platform_admin_creates_another_platform_admin(api: Api) -> None:
    response = await api.client.post(
        USERS,
        json={"email": "pa2@itl.local", "password": "some-password-1", "role": "platform_admin"},
        headers=api.platform,
    )
    assert response.status_code == 201, response.text
    assert response.json()["tenant_id"] is None
    listed = await api.client.get(USERS, headers=api.platform)
    assert {"admin@itl.local", "pa2@itl.local"} <= {u["email"] for u in listed.json()["items"]}


@pytest.mark.parametrize("who", ["other_operator", "other_member"])
async def test_non_admins_get_403_on_users(api: Api, who: str) -> None:
    headers = api.headers[who]
    uid = api.other.admin_id
    assert_problem(await api.client.get(USERS, headers=headers), 403)
    assert_problem(await api.client.get(f"{USERS}/{uid}", headers=headers), 403)
    body = {"email": "q@other.test", "password": "some-password-1", "role": "member"}
    assert_problem(await api.client.post(USERS, json=body, headers=headers), 403)
    assert_problem(
        await api.client.patch(f"{USERS}/{uid}", json={"role": "member"}, headers=headers), 403
    )
    assert_problem(await api.client.delete(f"{USERS}/{uid}", headers=headers), 403)


# --- agents ------------------------------------------------------------------------------------


def agent_body(**fields: Any) -> dict[str, Any]:
    return {
        "name": "Returns",
        "description": "Handles returns and refunds.",
        "system_prompt": "You handle returns.",
        "temperature": 0.5,
        "max_tokens": 512,
        "routing": {
            "keywords": ["return", "refund"],
            "patterns": [],
            "examples": ["I want a refund"],
            "priority": 2,
        },
    } | fields


AGENT_FIELDS = {
    "id", "name", "kind", "description", "system_prompt", "provider", "model", "temperature",
    "max_tokens", "tool_ids", "routing", "is_active", "created_at", "updated_at",
}  # fmt: skip


async def test_tenant_admin_agent_crud(api: Api) -> None:
    created = await api.client.post(AGENTS, json=agent_body(), headers=api.demo_admin)
    assert created.status_code == 201, created.text
    agent = created.json()
    assert set(agent) == AGENT_FIELDS
    assert agent["kind"] == "domain" and agent["is_active"] is True
    assert agent["routing"] == {
        "keywords": ["return", "refund"],
        "patterns": [],
        "examples": ["I want a refund"],
        "priority": 2,
    }
    url = f"{AGENTS}/{agent['id']}"

    got = await api.client.get(url, headers=api.demo_admin)
    assert got.status_code == 200 and got.json() == agent

    listed = await api.client.get(AGENTS, headers=api.demo_admin)
    assert listed.status_code == 200
    assert len(listed.json()["items"]) == len(api.demo.agent_ids) + 1

    replaced = await api.client.put(url, json={"name": "Returns Desk"}, headers=api.demo_admin)
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["name"] == "Returns Desk"
    assert replaced.json()["description"] == ""  # PUT replaces every field
    assert replaced.json()["created_at"] == agent["created_at"]

    patched = await api.client.patch(
        url, json={"temperature": 1.0, "is_active": False}, headers=api.demo_admin
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["temperature"] == 1.0 and patched.json()["is_active"] is False
    assert patched.json()["name"] == "Returns Desk"

    assert (await api.client.delete(url, headers=api.demo_admin)).status_code == 204
    assert_problem(await api.client.get(url, headers=api.demo_admin), 404)
    assert_problem(await api.client.delete(url, headers=api.demo_admin), 404)
    assert_problem(await api.client.put(url, json={"name": "x"}, headers=api.demo_admin), 404)
    assert_problem(await api.client.patch(url, json={"name": "x"}, headers=api.demo_admin), 404)


async def test_agent_list_pages_with_limit_and_cursor(api: Api) -> None:
    total = len(api.demo.agent_ids)
    assert total >= 4
    names: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = (await api.client.get(AGENTS, params=params, headers=api.demo_admin)).json()
        assert 1 <= len(page["items"]) <= 3
        names += [a["name"] for a in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == -(-total // 3)
    assert len(names) == len(set(names)) == total
    assert set(names) == set(api.demo.agent_ids)


async def test_one_active_supervisor_per_tenant(api: Api) -> None:
    second = await api.client.post(
        AGENTS, json=agent_body(name="Second Router", kind="supervisor"), headers=api.demo_admin
    )
    assert_problem(second, 409)
    inactive = await api.client.post(
        AGENTS,
        json=agent_body(name="Spare Router", kind="supervisor", is_active=False),
        headers=api.demo_admin,
    )
    assert inactive.status_code == 201, inactive.text
    spare = f"{AGENTS}/{inactive.json()['id']}"
    assert_problem(
        await api.client.patch(spare, json={"is_active": True}, headers=api.demo_admin), 409
    )
    promote = await api.client.patch(
        f"{AGENTS}/{api.demo.agent_ids['Shipment Tracking']}",
        json={"kind": "supervisor"},
        headers=api.demo_admin,
    )
    assert_problem(promote, 409)
    # after the current one steps down, the spare may take over
    concierge = f"{AGENTS}/{api.demo.agent_ids['Concierge']}"
    assert (
        await api.client.patch(concierge, json={"is_active": False}, headers=api.demo_admin)
    ).status_code == 200
    assert (
        await api.client.patch(spare, json={"is_active": True}, headers=api.demo_admin)
    ).status_code == 200
    # and the other tenant's supervisor never counted
    assert api.other.agent_ids["Other Router"]


async def test_agent_names_are_unique_per_tenant(api: Api) -> None:
    for name in ("Concierge", "concierge", "  Concierge  "):
        response = await api.client.post(AGENTS, json=agent_body(name=name), headers=api.demo_admin)
        assert_problem(response, 409)
    rename = await api.client.patch(
        f"{AGENTS}/{api.demo.agent_ids['Shipment Tracking']}",
        json={"name": "Concierge"},
        headers=api.demo_admin,
    )
    assert_problem(rename, 409)
    # another tenant's names do not collide
    other = await api.client.post(
        AGENTS, json=agent_body(name="Concierge"), headers=api.other_admin
    )
    assert other.status_code == 201, other.text


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"temperature": -0.1}, "temperature"),
        ({"temperature": 2.5}, "temperature"),
        ({"max_tokens": 0}, "max_tokens"),
        ({"max_tokens": 10**7}, "max_tokens"),
        ({"name": "   "}, "name"),
        ({"tool_ids": ["no-such-tool"]}, "tool_ids"),
        ({"provider": "nonsense"}, "provider"),
    ],
)
async def test_agent_bounds_answer_422_with_field_errors(
    api: Api, fields: dict[str, Any], field: str
) -> None:
    response = await api.client.post(AGENTS, json=agent_body(**fields), headers=api.demo_admin)
    body = assert_problem(response, 422)
    assert isinstance(body["errors"], list) and body["errors"]
    assert all(set(e) == {"field", "message"} for e in body["errors"])
    assert field in {e["field"] for e in body["errors"]}, body
    # the same rules guard the updates
    url = f"{AGENTS}/{api.demo.agent_ids['Shipment Tracking']}"
    assert_problem(await api.client.patch(url, json=fields, headers=api.demo_admin), 422)


@pytest.mark.parametrize(
    "fields",
    [
        {"name": ""},
        {"name": "n" * 201},
        {"description": "d" * 20_001},
        {"kind": "overlord"},
        {"routing": {"keywords": ["k"] * 101}},
        {"routing": {"keywords": [""]}},
        {"routing": {"priority": 101}},
        {"routing": {"priority": -1}},
        {"routing": {"priority": "high"}},
    ],
)
async def test_agent_wire_bounds_are_client_errors(api: Api, fields: dict[str, Any]) -> None:
    response = await api.client.post(AGENTS, json=agent_body(**fields), headers=api.demo_admin)
    assert response.status_code in (400, 422), response.text
    assert_problem(response)


async def test_member_gets_403_on_agents(api: Api) -> None:
    headers = api.other_member
    url = f"{AGENTS}/{api.other.agent_id}"
    assert_problem(await api.client.get(AGENTS, headers=headers), 403)
    assert_problem(await api.client.get(url, headers=headers), 403)
    assert_problem(await api.client.post(AGENTS, json=agent_body(), headers=headers), 403)
    assert_problem(await api.client.put(url, json=agent_body(), headers=headers), 403)
    assert_problem(await api.client.patch(url, json={"name": "x"}, headers=headers), 403)
    assert_problem(await api.client.delete(url, headers=headers), 403)


async def test_operator_reads_agents_but_cannot_write(api: Api) -> None:
    headers = api.other_operator
    url = f"{AGENTS}/{api.other.agent_id}"
    listed = await api.client.get(AGENTS, headers=headers)
    assert listed.status_code == 200
    assert {a["name"] for a in listed.json()["items"]} == set(api.other.agent_ids)
    assert (await api.client.get(url, headers=headers)).status_code == 200
    assert_problem(await api.client.post(AGENTS, json=agent_body(), headers=headers), 403)
    assert_problem(await api.client.put(url, json=agent_body(), headers=headers), 403)
    assert_problem(await api.client.patch(url, json={"name": "x"}, headers=headers), 403)
    assert_problem(await api.client.delete(url, headers=headers), 403)
    assert (await api.client.get(url, headers=api.other_admin)).json()["name"] == "Other Router"


async def test_platform_admin_needs_tenant_id_for_agents(api: Api) -> None:
    url = f"{AGENTS}/{api.demo.agent_id}"
    for response in (
        await api.client.get(AGENTS, headers=api.platform),
        await api.client.get(url, headers=api.platform),
        await api.client.post(AGENTS, json=agent_body(), headers=api.platform),
        await api.client.put(url, json=agent_body(), headers=api.platform),
        await api.client.patch(url, json={"name": "x"}, headers=api.platform),
        await api.client.delete(url, headers=api.platform),
    ):
        body = assert_problem(response, 422)
        assert body["errors"][0]["field"] == "tenant_id"


async def test_platform_admin_manages_agents_with_tenant_id(api: Api) -> None:
    q = {"tenant_id": "demo"}
    listed = await api.client.get(AGENTS, params=q, headers=api.platform)
    assert {a["name"] for a in listed.json()["items"]} == set(api.demo.agent_ids)
    created = await api.client.post(AGENTS, params=q, json=agent_body(), headers=api.platform)
    assert created.status_code == 201, created.text
    url = f"{AGENTS}/{created.json()['id']}"
    # it landed in demo: demo's admin sees it, other's does not
    assert (await api.client.get(url, headers=api.demo_admin)).status_code == 200
    assert_problem(await api.client.get(url, headers=api.other_admin), 404)
    # the agent id with the wrong tenant is not found
    assert_problem(
        await api.client.get(url, params={"tenant_id": "other"}, headers=api.platform), 404
    )
    assert (
        await api.client.patch(url, params=q, json={"name": "PA Agent"}, headers=api.platform)
    ).status_code == 200
    assert (
        await api.client.put(url, params=q, json=agent_body(name="PA"), headers=api.platform)
    ).status_code == 200
    assert (await api.client.delete(url, params=q, headers=api.platform)).status_code == 204
    # an unknown tenant is simply empty / not found, never a 500
    missing = await api.client.get(AGENTS, params={"tenant_id": "nowhere"}, headers=api.platform)
    assert missing.status_code in (200, 404)
    if missing.status_code == 200:
        assert missing.json()["items"] == []
    on_missing = await api.client.post(
        AGENTS, params={"tenant_id": "nowhere"}, json=agent_body(), headers=api.platform
    )
    assert 400 <= on_missing.status_code < 500, on_missing.text
