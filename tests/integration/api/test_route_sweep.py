"""SECURITY.md's route sweep: every operation of the published schema, called by another tenant.

Tenant ``other`` (B) and an anonymous caller hit every operation with tenant ``demo`` (A)'s real
ids in the path (and ``?tenant_id=demo`` where a route takes it), with a minimal valid body for
writes built from the schema itself. No answer may contain anything of A's, and none may be a
5xx. The operations come from ``/schema/openapi.json``, so new routes are swept automatically.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from itl_adapters.demo_agents import DEMO_AGENTS

from tests.integration.api._schema import Operation, minimal_body, operations
from tests.integration.api.conftest import Api

# Operations in the schema when this sweep was written. If the count drops, routes vanished
# from the schema (and so from the sweep): find out why before lowering this number.
MIN_OPERATIONS = 24


def a_path_values(api: Api) -> dict[str, list[str]]:
    """Real ids of tenant A by path-parameter name; unknown names get every one of them."""
    return {
        "tenant_id": [api.demo.id],
        "agent_id": list(api.demo.agent_ids.values())[:2],
        "user_id": [api.demo.admin_id],
        "session_id": api.demo.session_ids,
    }


async def open_a_session(api: Api) -> None:
    """A chat session of A's, so the sessions routes are swept with a real session id."""
    response = await api.client.post(
        f"/api/{api.demo.id}/chat", json={"message": "Hello"}, headers=api.demo_admin
    )
    assert response.status_code == 200, response.text
    api.demo.session_ids.append(response.json()["session_id"])


def all_a_ids(api: Api) -> list[str]:
    return [api.demo.id, api.demo.agent_id, api.demo.admin_id]


def a_secrets(api: Api) -> list[str]:
    """Strings of A's that nothing B (or nobody) can see may contain."""
    texts = [*api.demo.identifiers(), api.demo.admin_email]
    texts += [d.description for d in DEMO_AGENTS] + [d.system_prompt for d in DEMO_AGENTS]
    return [t for t in texts if len(t) >= 6]


def json_strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in json_strings(k) + json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in json_strings(v)]
    return []


def calls(api: Api, op: Operation) -> list[tuple[str, dict[str, str]]]:
    """(url, query) pairs: every combination of A's ids in the path, with and without A named."""
    known = a_path_values(api)
    choices = [known.get(name, all_a_ids(api)) for name in op.path_params]
    urls = [
        op.url(dict(zip(op.path_params, combo, strict=True)))
        for combo in itertools.product(*choices)
    ]
    queries: list[dict[str, str]] = [{}]
    if "tenant_id" in op.query_params:
        queries.append({"tenant_id": api.demo.id})
    return [(url, query) for url in urls for query in queries]


async def sweep(
    api: Api, callers: dict[str, dict[str, str]]
) -> tuple[set[tuple[str, str]], list[str]]:
    schema = (await api.client.get("/schema/openapi.json")).json()
    ops = operations(schema)
    # Deletes last, so every other operation meets A's data intact.
    ops.sort(key=lambda op: op.method == "delete")
    secrets = a_secrets(api)
    covered: set[tuple[str, str]] = set()
    problems: list[str] = []
    for op in ops:
        for (url, query), (who, headers) in itertools.product(calls(api, op), callers.items()):
            kwargs: dict[str, Any] = {"headers": headers, "params": query}
            body = None
            if op.body_schema is not None:
                body = minimal_body(op)
                kwargs["json"] = body
            response = await api.client.request(op.method.upper(), url, **kwargs)
            covered.add(op.key)
            where = f"{who} {op.method.upper()} {url} {query or ''} -> {response.status_code}"
            if response.status_code >= 500:
                problems.append(f"{where}: 5xx {response.text[:300]}")
                continue
            sent = url + json.dumps(query) + json.dumps(body)
            leaked = [s for s in secrets if s in response.text and s not in sent]
            if leaked:
                problems.append(f"{where}: leaks {leaked}")
            if 200 <= response.status_code < 300 and "json" in response.headers.get(
                "content-type", ""
            ):
                if api.demo.id in json_strings(response.json()):
                    problems.append(
                        f"{where}: names tenant {api.demo.id!r} in {response.text[:300]}"
                    )
    return covered, problems


async def assert_a_intact(api: Api) -> None:
    agents = (await api.client.get("/api/admin/agents", headers=api.demo_admin)).json()["items"]
    assert {a["name"]: a["id"] for a in agents} == api.demo.agent_ids
    assert all(a["is_active"] for a in agents)
    users = (await api.client.get("/api/admin/users", headers=api.demo_admin)).json()["items"]
    assert {u["email"]: u["id"] for u in users} == api.demo.user_ids
    assert all(u["role"] == "tenant_admin" and u["is_active"] for u in users)
    tenant = await api.client.get("/api/admin/tenants/demo", headers=api.platform)
    assert tenant.status_code == 200 and tenant.json()["name"] == api.demo.name
    for session_id in api.demo.session_ids:  # still open, still its one exchange
        base = f"/api/{api.demo.id}/sessions/{session_id}"
        session = await api.client.get(base, headers=api.demo_admin)
        assert session.status_code == 200 and session.json()["status"] == "active"
        messages = await api.client.get(f"{base}/messages", headers=api.demo_admin)
        assert len(messages.json()["items"]) == 2


async def schema_keys(api: Api) -> set[tuple[str, str]]:
    return {op.key for op in operations((await api.client.get("/schema/openapi.json")).json())}


async def test_other_tenant_sees_nothing_of_demo_on_any_route(api: Api) -> None:
    callers = {
        "B tenant_admin": api.other_admin,
        "B operator": api.other_operator,
        "B member": api.other_member,
    }
    await open_a_session(api)
    covered, problems = await sweep(api, callers)
    assert not problems, "\n".join(problems)
    expected = await schema_keys(api)
    assert covered == expected
    assert len(covered) >= MIN_OPERATIONS, sorted(covered)
    await assert_a_intact(api)


async def test_anonymous_caller_sees_nothing_of_demo_on_any_route(api: Api) -> None:
    await open_a_session(api)
    covered, problems = await sweep(api, {"anonymous": {}})
    assert not problems, "\n".join(problems)
    assert covered == await schema_keys(api)
    assert len(covered) >= MIN_OPERATIONS
    await assert_a_intact(api)


async def test_secured_routes_refuse_anonymous_callers(api: Api) -> None:
    """Every operation that declares bearer security answers 401 without a token, whatever A id."""
    schema = (await api.client.get("/schema/openapi.json")).json()
    await open_a_session(api)
    secured = [op for op in operations(schema) if op.secured]
    assert len(secured) >= 17
    for op in secured:
        for url, query in calls(api, op):
            body = minimal_body(op) if op.body_schema is not None else None
            response = await api.client.request(op.method.upper(), url, params=query, json=body)
            assert response.status_code == 401, (op.key, url, response.status_code, response.text)
            assert response.headers["www-authenticate"].lower().startswith("bearer")
