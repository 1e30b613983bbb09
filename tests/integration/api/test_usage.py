"""``GET /api/admin/usage`` over the real stack: chat turns show up per day and per agent, for
the tenant's admins and operators only, never across tenants; bad ranges are 422 problems."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from itl_adapters.seed import DEMO_TENANT

from tests.integration.api.conftest import OTHER_TENANT, Api, assert_problem

USAGE = "/api/admin/usage"


def today() -> date:
    return datetime.now(UTC).date()


async def chat(api: Api, headers: dict[str, str], tenant: str, text: str) -> dict[str, Any]:
    response = await api.client.post(f"/api/{tenant}/chat", json={"message": text}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def usage(api: Api, headers: dict[str, str], **params: str) -> dict[str, Any]:
    response = await api.client.get(USAGE, headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_chat_turns_add_up_per_day_and_per_agent(api: Api) -> None:
    answers = [
        await chat(api, api.demo_admin, DEMO_TENANT, "Hello, what can you do?"),
        await chat(api, api.demo_admin, DEMO_TENANT, "How much does a pallet to Hamburg cost?"),
    ]
    report = await usage(api, api.demo_admin)
    assert (report["from"], report["to"]) == (str(today() - timedelta(days=29)), str(today()))
    assert len(report["days"]) == 30 and report["days"][-1]["date"] == str(today())

    spent = [a["metadata"]["usage"] for a in answers]
    expected = {
        "turns": 2,
        "input_tokens": sum(u["input_tokens"] for u in spent),
        "output_tokens": sum(u["output_tokens"] for u in spent),
    }
    assert expected["input_tokens"] + expected["output_tokens"] > 0
    assert {k: report["totals"][k] for k in expected} == expected
    busy = [d for d in report["days"] if d["turns"]]  # today (yesterday if run at midnight)
    assert len(busy) == 1 and {k: busy[0][k] for k in expected} == expected
    # Agents by id, as the chat answers name them; each agent's turns add up to the total.
    assert {a["agent_id"] for a in report["agents"]} <= set(api.demo.agent_ids.values())
    assert sum(a["turns"] for a in report["agents"]) == 2


async def test_operators_read_usage_members_do_not(api: Api) -> None:
    await chat(api, api.other_admin, OTHER_TENANT, "Where is my invoice?")
    assert (await usage(api, api.other_operator))["totals"]["turns"] == 1
    assert_problem(await api.client.get(USAGE, headers=api.other_member), 403)
    assert_problem(await api.client.get(USAGE), 401)


async def test_a_tenant_never_sees_another_tenants_usage(api: Api) -> None:
    await chat(api, api.demo_admin, DEMO_TENANT, "Hello there")
    other = await usage(api, api.other_admin)
    assert other["totals"]["turns"] == 0 and other["agents"] == []
    assert all(d["turns"] == 0 for d in other["days"])
    named = await api.client.get(USAGE, headers=api.other_admin, params={"tenant_id": DEMO_TENANT})
    assert_problem(named, 404)
    # The platform admin names the tenant it looks at.
    assert (await usage(api, api.platform, tenant_id=DEMO_TENANT))["totals"]["turns"] == 1
    assert (await usage(api, api.platform, tenant_id=OTHER_TENANT))["totals"]["turns"] == 0
    assert_problem(await api.client.get(USAGE, headers=api.platform), 422)


async def test_an_explicit_range_is_answered_day_by_day(api: Api) -> None:
    report = await usage(api, api.demo_admin, **{"from": "2024-02-27", "to": "2024-03-01"})
    assert [d["date"] for d in report["days"]] == [
        "2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01"
    ]  # fmt: skip
    year = await usage(api, api.demo_admin, **{"from": "2024-01-01", "to": "2024-12-31"})
    assert len(year["days"]) == 366


async def test_bad_ranges_are_422_problems_naming_the_parameter(api: Api) -> None:
    for params, field in (
        ({"from": "2026-02-30"}, "from"),
        ({"from": "26-11-01"}, "from"),
        ({"to": "tomorrow"}, "to"),
        ({"from": "2026-11-10", "to": "2026-11-09"}, "from"),
        ({"from": "2024-01-01", "to": "2025-01-01"}, "from"),  # 367 days
    ):
        response = await api.client.get(USAGE, headers=api.demo_admin, params=params)
        body = assert_problem(response, 422)
        assert body["errors"][0]["field"] == field, params
        assert body["detail"], params
