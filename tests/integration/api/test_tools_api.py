"""Tools administration over the real stack: CRUD, write-only secrets, tenants, ``/test``,
and the demo's tracking tool calling the API's own demo tracking route."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from itl_adapters.seed import DEMO_TENANT, SYSTEM
from itl_adapters.tools.demo import TOOL_NAME, ensure_demo_tracking_tool

from tests.integration.api.conftest import Api, assert_problem
from tests.support.fake_vendors.server import JsonReply
from tests.support.threads import vendor_in_thread

TOOLS = "/api/admin/tools"
SECRET = "tok-9f8e7d6c5b4a"
CONFIG = {
    "method": "GET",
    "url": "https://api.example.com/track/{number}",
    "parameters": {
        "type": "object",
        "properties": {"number": {"type": "string", "maxLength": 20}},
        "required": ["number"],
    },
    "headers": {"Accept": "application/json"},
    "response_fields": ["status"],
}


def body(**changes: Any) -> dict[str, Any]:
    return {"name": "track", "kind": "http", "description": "Tracks.", "config": CONFIG, **changes}


async def test_tenant_admin_manages_tools_and_secrets_are_write_only(api: Api) -> None:
    admin = api.other_admin
    created = await api.client.post(
        TOOLS, json=body(secrets={"Authorization": f"Bearer {SECRET}"}), headers=admin
    )
    assert created.status_code == 201, created.text
    tool = created.json()
    assert tool["secret_names"] == ["Authorization"] and tool["config"] == CONFIG
    url = f"{TOOLS}/{tool['id']}"
    answers = [
        created,
        await api.client.get(url, headers=admin),
        await api.client.get(TOOLS, headers=admin),
    ]
    answers.append(await api.client.put(url, json=body(description="Replaced."), headers=admin))
    assert answers[-1].json()["secret_names"] == ["Authorization"]  # PUT without secrets keeps
    answers.append(
        await api.client.patch(
            url, json={"secrets": {"X-Extra": "second-secret-value"}}, headers=admin
        )
    )
    assert answers[-1].json()["secret_names"] == ["Authorization", "X-Extra"]
    answers.append(await api.client.patch(url, json={"secrets": {"X-Extra": None}}, headers=admin))
    assert answers[-1].json()["secret_names"] == ["Authorization"]
    for answer in answers:
        assert answer.status_code == 200 or answer is created, answer.text
        assert SECRET not in answer.text and "second-secret-value" not in answer.text
    assert (await api.client.delete(url, headers=admin)).status_code == 204
    assert_problem(await api.client.get(url, headers=admin), 404)


async def test_bad_configs_are_422_with_fields_and_operators_only_read(api: Api) -> None:
    bad = await api.client.post(
        TOOLS, json=body(config={**CONFIG, "url": "http://{number}/x"}), headers=api.other_admin
    )
    problem = assert_problem(bad, 422)
    assert "config.url" in [e["field"] for e in problem["errors"]]
    created = await api.client.post(TOOLS, json=body(), headers=api.other_admin)
    url = f"{TOOLS}/{created.json()['id']}"
    assert (await api.client.get(url, headers=api.other_operator)).status_code == 200
    assert_problem(
        await api.client.patch(url, json={"description": "x"}, headers=api.other_operator), 403
    )
    assert_problem(await api.client.post(f"{url}/test", json={}, headers=api.other_operator), 403)
    assert_problem(await api.client.get(url, headers=api.other_member), 403)


async def test_another_tenants_tool_answers_404_like_a_missing_one(api: Api) -> None:
    created = await api.client.post(
        TOOLS, json=body(secrets={"X-Key": SECRET}), headers=api.demo_admin
    )
    url = f"{TOOLS}/{created.json()['id']}"
    reference = await api.client.get(f"{TOOLS}/{uuid.uuid4()}", headers=api.other_admin)
    assert_problem(reference, 404)
    for response in (
        await api.client.get(url, headers=api.other_admin),
        await api.client.get(url, params={"tenant_id": DEMO_TENANT}, headers=api.other_admin),
        await api.client.put(url, json=body(), headers=api.other_admin),
        await api.client.patch(url, json={"name": "stolen"}, headers=api.other_admin),
        await api.client.post(
            f"{url}/test", json={"arguments": {"number": "1"}}, headers=api.other_admin
        ),
        await api.client.delete(url, headers=api.other_admin),
    ):
        assert_problem(response, 404)
        assert SECRET not in response.text and "track" not in response.text
    listed = await api.client.get(TOOLS, headers=api.other_admin)
    assert created.json()["id"] not in listed.text
    assert (await api.client.get(url, headers=api.demo_admin)).status_code == 200


async def test_test_runs_the_tool_once_and_answers_its_outcome(api: Api) -> None:
    with vendor_in_thread() as vendor:
        vendor.reply(JsonReply(status=200, body={"status": "arrived", "secret_echo": SECRET}))
        port = vendor.url.rsplit(":", 1)[1]
        allowed = await api.client.patch(
            f"/api/admin/tenants/{api.other.id}",
            json={"settings": {"egress_allow": [f"127.0.0.1:{port}"]}},
            headers=api.platform,
        )
        assert allowed.status_code == 200, allowed.text
        config = {**CONFIG, "url": f"{vendor.url}/track/{{number}}", "response_fields": []}
        created = await api.client.post(
            TOOLS, json=body(config=config, secrets={"X-Key": SECRET}), headers=api.other_admin
        )
        url = f"{TOOLS}/{created.json()['id']}/test"
        ran = await api.client.post(
            url, json={"arguments": {"number": "A1"}}, headers=api.other_admin
        )
        invalid = await api.client.post(
            url, json={"arguments": {"number": 7}}, headers=api.other_admin
        )
    assert ran.status_code == 200, ran.text
    outcome = ran.json()
    assert outcome["is_error"] is False and outcome["data"]["status"] == 200
    assert outcome["data"]["result"]["status"] == "arrived"
    assert vendor.requests[0].headers["x-key"] == SECRET and SECRET not in ran.text
    assert invalid.status_code == 200 and invalid.json()["is_error"] is True
    assert len(vendor.requests) == 1


async def test_platform_admins_refuse_a_malformed_egress_allow_list(api: Api) -> None:
    response = await api.client.patch(
        f"/api/admin/tenants/{api.other.id}",
        json={"settings": {"egress_allow": ["*.corp"]}},
        headers=api.platform,
    )
    assert_problem(response, 422)


# --- the demo -----------------------------------------------------------------------------------


async def test_the_demo_tracking_route_is_deterministic_and_refuses_other_numbers(api: Api) -> None:
    first = await api.client.get("/demo/tracking/ITL-123456")
    assert first.status_code == 200, first.text
    shipment = first.json()
    assert shipment["number"] == "ITL-123456" and shipment["status"] == "in_transit"
    assert {"location", "eta", "events", "origin", "destination"} <= shipment.keys()
    assert (await api.client.get("/demo/tracking/itl-123456")).json() == shipment
    assert_problem(await api.client.get("/demo/tracking/12345"), 404)


async def test_the_seed_gives_the_tracking_agent_an_admitted_tracking_tool(api: Api) -> None:
    tools = (await api.client.get(TOOLS, headers=api.demo_admin)).json()["items"]
    tool = next(t for t in tools if t["name"] == TOOL_NAME)
    assert (
        tool["config"]["url"]
        == f"http://127.0.0.1:{api.settings.api_port}/demo/tracking/{{number}}"
    )
    agent = (await api.client.get(f"/api/admin/agents/{api.demo.agent_ids['Shipment Tracking']}",
                                  headers=api.demo_admin)).json()  # fmt: skip
    assert tool["id"] in agent["tool_ids"]
    tenant = (
        await api.client.get(f"/api/admin/tenants/{DEMO_TENANT}", headers=api.platform)
    ).json()
    assert f"127.0.0.1:{api.settings.api_port}" in tenant["settings"]["egress_allow"]


async def test_the_demo_tool_tracks_a_shipment_through_the_guarded_client(
    api: Api, served: int
) -> None:
    settings = dataclasses.replace(api.settings, api_port=served)
    tool_id = await ensure_demo_tracking_tool(api.container, settings, DEMO_TENANT, SYSTEM)
    ran = await api.client.post(
        f"{TOOLS}/{tool_id}/test",
        json={"arguments": {"number": "ITL-123456"}},
        headers=api.demo_admin,
    )
    assert ran.status_code == 200, ran.text
    outcome = ran.json()
    assert outcome["is_error"] is False, outcome
    assert outcome["data"]["result"]["status"] == "in_transit"
    assert outcome["data"]["result"]["location"].startswith("At sea")
