"""The ``http`` tool against a local server, run the way an admin's test run (and an agent) runs it.

Tools are created and run through the real use cases of the in-memory platform; the tenant's
egress allow-list admits the local server (a loopback address is refused otherwise).
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from itl_core.access import Principal
from itl_core.tenants.model import Tenant
from itl_core.tenants.use_cases import UpdateTenantRequest
from itl_core.tools.model import ToolKind
from itl_core.tools.ports import ToolOutcome
from itl_core.tools.use_cases import CreateToolRequest, TestToolRequest, ToolDraft

from tests.support.fake_vendors.server import FakeVendor, JsonReply, Stall
from tests.support.platform import BOOTSTRAP, Platform

SECRET = "s3cret-value-42"
PARAMETERS = {
    "type": "object",
    "properties": {
        "number": {"type": "string", "pattern": "^ITL-[0-9]{6}$"},
        "lang": {"type": "string", "enum": ["en", "fr"]},
    },
    "required": ["number"],
    "additionalProperties": False,
}


@pytest.fixture
async def vendor(platform: Platform, acme: Tenant) -> Any:
    async with FakeVendor() as server:
        port = server.url.rsplit(":", 1)[1]
        update = await platform.use("update_tenant")
        await update.execute(
            UpdateTenantRequest(
                principal=BOOTSTRAP,
                tenant_id=acme.id,
                settings={"egress_allow": [f"127.0.0.1:{port}"]},
            )
        )
        yield server


async def create_tool(platform: Platform, admin: Principal, url: str, **config: Any) -> str:
    create = await platform.use("create_tool")
    spec = await create.execute(
        CreateToolRequest(
            principal=admin,
            tenant_id=None,
            draft=ToolDraft(
                name="track",
                kind=ToolKind.HTTP,
                config={"url": url, "parameters": PARAMETERS, **config},
            ),
            secrets={"X-Api-Key": SECRET},
        )
    )
    return spec.id


async def run(
    platform: Platform, admin: Principal, tool_id: str, arguments: dict[str, Any]
) -> ToolOutcome:
    test = await platform.use("test_tool")
    return await test.execute(
        TestToolRequest(principal=admin, tenant_id=None, tool_id=tool_id, arguments=arguments)
    )


async def run_tool(
    platform: Platform, admin: Principal, url: str, arguments: dict[str, Any], **config: Any
) -> ToolOutcome:
    return await run(platform, admin, await create_tool(platform, admin, url, **config), arguments)


async def test_arguments_are_validated_before_any_request_is_sent(
    platform: Platform, acme_admin: Principal, vendor: FakeVendor
) -> None:
    tool_id = await create_tool(platform, acme_admin, f"{vendor.url}/t/{{number}}")
    for bad in ({}, {"number": "DROP TABLE"}, {"number": "ITL-123456", "lang": "de"},
                {"number": "ITL-123456", "host": "evil.example"}, {"number": 123456}):  # fmt: skip
        outcome = await run(platform, acme_admin, tool_id, bad)
        assert outcome.is_error and "arguments are not valid" in outcome.content, bad
    assert vendor.requests == []


async def test_secrets_are_sent_but_never_returned_nor_logged(
    platform: Platform, acme_admin: Principal, vendor: FakeVendor, caplog: pytest.LogCaptureFixture
) -> None:
    # An upstream that echoes the key back must not hand it to the model.
    vendor.reply(JsonReply(status=200, body={"status": "in_transit", "echo": f"key={SECRET}"}))
    with caplog.at_level(logging.DEBUG):
        outcome = await run_tool(
            platform,
            acme_admin,
            f"{vendor.url}/t/{{number}}",
            {"number": "ITL-123456", "lang": "fr"},
        )
    assert not outcome.is_error, outcome.content
    sent = vendor.requests[0]
    assert sent.headers["x-api-key"] == SECRET
    assert sent.path == "/t/ITL-123456?lang=fr"  # unused arguments of a GET go to the query
    assert SECRET not in outcome.content and SECRET not in repr(outcome.data)
    assert "[redacted]" in outcome.content
    assert SECRET not in caplog.text
    assert any("track" in r.getMessage() for r in caplog.records)  # the run itself is logged


async def test_the_model_gets_only_the_selected_response_fields(
    platform: Platform, acme_admin: Principal, vendor: FakeVendor
) -> None:
    vendor.reply(
        JsonReply(
            status=200,
            body={
                "shipment": {"status": "arrived", "internal_cost": 912},
                "events": [{"at": "Rotterdam"}],
            },
        )
    )
    outcome = await run_tool(
        platform,
        acme_admin,
        f"{vendor.url}/t/{{number}}",
        {"number": "ITL-000001"},
        response_fields=["shipment.status", "events.0.at", "missing.field"],
    )
    assert outcome.data["result"] == {"shipment.status": "arrived", "events.0.at": "Rotterdam"}
    assert "internal_cost" not in outcome.content and "912" not in outcome.content


async def test_a_parameter_can_not_change_the_host_or_the_path(
    platform: Platform, acme_admin: Principal, vendor: FakeVendor
) -> None:
    vendor.reply(JsonReply(status=200, body={}))
    params = {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]}
    create = await platform.use("create_tool")
    spec = await create.execute(
        CreateToolRequest(
            principal=acme_admin,
            tenant_id=None,
            draft=ToolDraft(
                name="search", kind=ToolKind.HTTP,
                config={"url": f"{vendor.url}/s/{{q}}", "parameters": params},
            ),
        )
    )  # fmt: skip
    test = await platform.use("test_tool")
    outcome = await test.execute(
        TestToolRequest(
            principal=acme_admin, tenant_id=None, tool_id=spec.id,
            arguments={"q": "../../admin?x=1#@169.254.169.254/"},
        )
    )  # fmt: skip
    assert not outcome.is_error
    assert vendor.requests[0].path == "/s/..%2F..%2Fadmin%3Fx%3D1%23%40169.254.169.254%2F"


async def test_a_stalled_upstream_becomes_an_error_outcome(
    platform: Platform, acme_admin: Principal, vendor: FakeVendor
) -> None:
    vendor.reply(Stall())
    outcome = await run_tool(
        platform, acme_admin, f"{vendor.url}/t/{{number}}", {"number": "ITL-123456"}, timeout_s=0.3
    )
    assert outcome.is_error and "did not" in outcome.content


async def test_an_oversized_answer_becomes_an_error_outcome(
    platform: Platform, acme_admin: Principal, vendor: FakeVendor
) -> None:
    vendor.reply(JsonReply(status=200, body={"blob": "x" * 10_000}))
    outcome = await run_tool(
        platform,
        acme_admin,
        f"{vendor.url}/t/{{number}}",
        {"number": "ITL-123456"},
        max_response_bytes=1_000,
    )
    assert outcome.is_error and "larger than 1000 bytes" in outcome.content


async def test_without_an_allow_list_entry_a_private_host_is_a_refused_call(
    platform: Platform, acme_admin: Principal, globex_admin: Principal, vendor: FakeVendor
) -> None:
    """acme admits the local server; globex does not, so globex's identical tool is refused."""
    outcome = await run_tool(
        platform, globex_admin, f"{vendor.url}/t/{{number}}", {"number": "ITL-123456"}
    )
    assert outcome.is_error and "allow-list" in outcome.content
    assert vendor.requests == []


async def test_an_upstream_error_status_is_an_error_outcome_with_its_body(
    platform: Platform, acme_admin: Principal, vendor: FakeVendor
) -> None:
    vendor.reply(JsonReply(status=404, body={"error": "unknown shipment"}))
    outcome = await run_tool(
        platform, acme_admin, f"{vendor.url}/t/{{number}}", {"number": "ITL-999999"}
    )
    assert outcome.is_error and outcome.data["status"] == 404
    assert "unknown shipment" in outcome.content
