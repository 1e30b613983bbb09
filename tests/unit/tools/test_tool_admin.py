"""Tool administration rules: write-only secrets, config validation, roles, tenants."""

from __future__ import annotations

from typing import Any

import pytest
from itl_core.access import Principal
from itl_core.agents.use_cases import AgentDraft, CreateAgentRequest
from itl_core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from itl_core.pagination import PageRequest
from itl_core.security.ports import secret_context
from itl_core.tenants.model import Tenant
from itl_core.tenants.use_cases import UpdateTenantRequest
from itl_core.tools.egress import EgressAllowList, EgressRule, canonical_host
from itl_core.tools.model import ToolKind
from itl_core.tools.use_cases import (
    CreateToolRequest,
    ReplaceToolRequest,
    TestToolRequest,
    ToolDraft,
    UpdateToolRequest,
)

from tests.support.platform import BOOTSTRAP, Platform

CONFIG = {
    "url": "https://api.example.com/v1/track/{number}",
    "parameters": {
        "type": "object",
        "properties": {"number": {"type": "string"}},
        "required": ["number"],
    },
}


def draft(**changes: Any) -> ToolDraft:
    return ToolDraft(**{"name": "track", "kind": ToolKind.HTTP, "config": CONFIG, **changes})


async def create(platform: Platform, who: Principal, **kwargs: Any) -> Any:
    use = await platform.use("create_tool")
    kwargs.setdefault("draft", draft())
    return await use.execute(CreateToolRequest(principal=who, tenant_id=None, **kwargs))


async def test_secrets_are_sealed_to_their_tenant_tool_and_name(
    platform: Platform, acme_admin: Principal
) -> None:
    spec = await create(platform, acme_admin, secrets={"Authorization": "Bearer abc"})
    assert set(spec.sealed_secrets) == {"Authorization"}
    assert b"Bearer abc" not in spec.sealed_secrets["Authorization"]
    assert "Bearer abc" not in repr(spec.config)
    box = platform.container.infra.secret_box()
    context = secret_context("acme", "tool", spec.id, "Authorization")
    assert box.open(spec.sealed_secrets["Authorization"], context=context) == "Bearer abc"


async def test_replace_without_secrets_keeps_them_and_patch_null_removes_one(
    platform: Platform, acme_admin: Principal
) -> None:
    spec = await create(platform, acme_admin, secrets={"Authorization": "a", "X-Key": "b"})
    replace = await platform.use("replace_tool")
    kept = await replace.execute(
        ReplaceToolRequest(
            principal=acme_admin, tenant_id=None, tool_id=spec.id, draft=draft(description="new")
        )
    )
    assert set(kept.sealed_secrets) == {"Authorization", "X-Key"}
    update = await platform.use("update_tool")
    patched = await update.execute(
        UpdateToolRequest(
            principal=acme_admin,
            tenant_id=None,
            tool_id=spec.id,
            secrets={"x-key": None, "X-Other": "c"},  # names match case-insensitively
        )
    )
    assert set(patched.sealed_secrets) == {"Authorization", "X-Other"}
    replaced = await replace.execute(
        ReplaceToolRequest(
            principal=acme_admin, tenant_id=None, tool_id=spec.id, draft=draft(), secrets={}
        )
    )
    assert replaced.sealed_secrets == {}


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({**CONFIG, "url": "ftp://api.example.com/{number}"}, "config.url"),
        ({**CONFIG, "url": "https://user:pw@api.example.com/{number}"}, "config.url"),
        ({**CONFIG, "url": "https://{number}.example.com/"}, "config.url"),
        ({**CONFIG, "url": "https://api.example.com/{other}"}, "config.url"),
        ({**CONFIG, "method": "TRACE"}, "config.method"),
        ({**CONFIG, "timeout_s": 600}, "config.timeout_s"),
        ({**CONFIG, "max_response_bytes": 0}, "config.max_response_bytes"),
        ({**CONFIG, "headers": {"Host": "internal"}}, "config.headers.Host"),
        ({**CONFIG, "headers": {"X-A": "1\r\nX-B: 2"}}, "config.headers.X-A"),
        ({**CONFIG, "response_fields": ["a..b"]}, "config.response_fields"),
        ({**CONFIG, "parameters": {"type": "object", "oneOf": []}}, "config.parameters"),
        ({**CONFIG, "unknown": 1}, "config.unknown"),
    ],
)
async def test_unusable_http_configs_are_refused_with_the_field(
    platform: Platform, acme_admin: Principal, config: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        await create(platform, acme_admin, draft=draft(config=config))
    assert field in [e.field for e in refused.value.errors], refused.value.errors


async def test_a_secret_header_can_not_also_be_a_plain_header_nor_a_bad_name(
    platform: Platform, acme_admin: Principal
) -> None:
    with pytest.raises(ValidationFailed):
        await create(
            platform,
            acme_admin,
            draft=draft(config={**CONFIG, "headers": {"X-Key": "plain"}}),
            secrets={"X-Key": "sealed"},
        )
    with pytest.raises(ValidationFailed):
        await create(platform, acme_admin, secrets={"Bad Name": "x"})
    with pytest.raises(ValidationFailed):
        await create(platform, acme_admin, draft=draft(name="has spaces"))


async def test_the_model_may_choose_the_host_only_when_the_config_says_so(
    platform: Platform, acme_admin: Principal
) -> None:
    config = {**CONFIG, "url": "https://{number}/status", "allow_model_host": True}
    spec = await create(platform, acme_admin, draft=draft(config=config))
    assert spec.config["allow_model_host"] is True


async def test_operators_read_members_do_not_and_only_admins_write_or_test(
    platform: Platform, acme_admin: Principal, acme_operator: Principal, acme_member: Principal
) -> None:
    spec = await create(platform, acme_admin)
    get = await platform.use("get_tool")
    assert (await get.execute(acme_operator, spec.id)).id == spec.id
    with pytest.raises(PermissionDenied):
        await get.execute(acme_member, spec.id)
    with pytest.raises(PermissionDenied):
        await create(platform, acme_operator, draft=draft(name="other"))
    test = await platform.use("test_tool")
    with pytest.raises(PermissionDenied):
        await test.execute(
            TestToolRequest(principal=acme_operator, tenant_id=None, tool_id=spec.id)
        )


async def test_another_tenants_tool_is_not_found(
    platform: Platform, acme_admin: Principal, globex_admin: Principal
) -> None:
    spec = await create(platform, acme_admin)
    get = await platform.use("get_tool")
    with pytest.raises(NotFound):
        await get.execute(globex_admin, spec.id)
    with pytest.raises(NotFound):
        await get.execute(globex_admin, spec.id, "acme")
    delete = await platform.use("delete_tool")
    with pytest.raises(NotFound):
        await delete.execute(globex_admin, spec.id)
    listed = await (await platform.use("list_tools")).execute(globex_admin, PageRequest())
    assert listed.items == []


async def test_a_tool_an_agent_uses_can_not_be_deleted(
    platform: Platform, acme_admin: Principal
) -> None:
    spec = await create(platform, acme_admin)
    create_agent = await platform.use("create_agent")
    await create_agent.execute(
        CreateAgentRequest(
            principal=acme_admin, tenant_id=None, draft=AgentDraft(name="T", tool_ids=(spec.id,))
        )
    )
    delete = await platform.use("delete_tool")
    with pytest.raises(Conflict, match="'T'"):
        await delete.execute(acme_admin, spec.id)


# --- the egress allow-list ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "host", "port"),
    [
        ("tracking.internal", "tracking.internal", None),
        ("Tracking.Internal.:8080", "tracking.internal", 8080),
        ("127.0.0.1:8000", "127.0.0.1", 8000),
        ("2130706433:8000", "127.0.0.1", 8000),
        ("[::1]:9000", "::1", 9000),
        ("[::ffff:7f00:1]", "::ffff:7f00:1", None),
    ],
)
def test_allow_list_entries_are_exact_hosts_in_canonical_form(
    entry: str, host: str, port: int | None
) -> None:
    assert EgressRule.parse(entry) == EgressRule(host=host, port=port)


@pytest.mark.parametrize(
    "entry",
    ["*.internal", "http://a.example", "a.example/x", "a.example:0", "a.example:99999", "::1",
     " a.example", "user@a.example", "", "1.2.3.999", "[::1", "a..example"],
)  # fmt: skip
def test_allow_list_entries_that_are_not_exact_hosts_are_refused(entry: str) -> None:
    with pytest.raises(ValueError):
        EgressRule.parse(entry)


def test_every_spelling_of_an_address_is_one_host() -> None:
    spellings = {"127.0.0.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "0x7f.1"}
    assert {canonical_host(s) for s in spellings} == {"127.0.0.1"}
    allowed = EgressAllowList(rules=(EgressRule.parse("127.0.0.1:80"),))
    assert allowed.admits(canonical_host("0x7f000001"), 80)
    assert not allowed.admits("127.0.0.1", 81)


async def test_tenant_settings_refuse_a_malformed_allow_list(
    platform: Platform, acme: Tenant
) -> None:
    update = await platform.use("update_tenant")
    with pytest.raises(ValidationFailed) as refused:
        await update.execute(
            UpdateTenantRequest(
                principal=BOOTSTRAP,
                tenant_id=acme.id,
                settings={"egress_allow": ["ok.example", "*.internal"]},
            )
        )
    assert [e.field for e in refused.value.errors] == ["settings.egress_allow[1]"]
    with pytest.raises(ValidationFailed):
        await update.execute(
            UpdateTenantRequest(
                principal=BOOTSTRAP, tenant_id=acme.id, settings={"egress_allow": "a.example"}
            )
        )
