"""Query parameters are client input too: odd values answer 2xx or 4xx, never 5xx.

Every GET operation of the published schema that declares query parameters is called with odd
values for each of them, by a platform admin and by a tenant admin.
"""

from __future__ import annotations

import pytest

from tests.integration.api._schema import operations
from tests.integration.api.conftest import Api, assert_problem

ODD_VALUES = [
    "",
    "abc",
    "1e9",
    "-0",
    "9" * 40,
    "a%00b",
    "%00",
    "%ff",
    "é",
    "日本",
    "x" * 5000,
    "' OR '1'='1",
    "demo,other",
]


def path_values(api: Api) -> dict[str, str]:
    return {
        "tenant_id": api.demo.id,
        "agent_id": api.demo.agent_id,
        "user_id": api.demo.admin_id,
    }


@pytest.mark.parametrize("value", ODD_VALUES)
async def test_odd_query_values_never_cause_a_5xx(api: Api, value: str) -> None:
    schema = (await api.client.get("/schema/openapi.json")).json()
    ops = [op for op in operations(schema) if op.method == "get" and op.query_params]
    assert len(ops) >= 3
    values = path_values(api)
    failures = []
    for op in ops:
        base = op.url({name: values.get(name, api.demo.agent_id) for name in op.path_params})
        for name in op.query_params:
            for who in ("platform_admin", "demo_admin"):
                url = f"{base}?{name}={value}"
                response = await api.client.get(url, headers=api.headers[who])
                if response.status_code >= 500:
                    failures.append(f"{who} {url[:80]} -> {response.status_code} {response.text}")
                elif response.status_code >= 400:
                    assert_problem(response)
    assert not failures, "\n".join(failures)


async def test_repeated_query_parameters_are_4xx_or_ignored(api: Api) -> None:
    response = await api.client.get(
        "/api/admin/agents?tenant_id=demo&tenant_id=other", headers=api.platform
    )
    assert response.status_code < 500
    if response.status_code == 200:
        # whichever one wins, the answer is one tenant's, not a mix
        names = {a["name"] for a in response.json()["items"]}
        assert names <= set(api.demo.agent_ids) or names <= set(api.other.agent_ids)
