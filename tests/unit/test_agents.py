"""Agent configuration: tenant admins write, operators read, and every agent obeys its bounds."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from itl_adapters.memory.store import MemoryStore
from itl_core.access import Principal
from itl_core.agents.model import MAX_HINTS, MAX_PRIORITY, AgentKind, RoutingHints
from itl_core.agents.use_cases import (
    AgentDraft,
    CreateAgentRequest,
    ReplaceAgentRequest,
    UpdateAgentRequest,
)
from itl_core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from itl_core.pagination import PageRequest
from itl_core.tools.model import ToolKind, ToolSpec

from tests.support.platform import Platform

SUPERVISOR = AgentDraft(name="Front desk", kind=AgentKind.SUPERVISOR)
BILLING = AgentDraft(
    name="Billing",
    description="Invoices and refunds",
    routing=RoutingHints(keywords=("invoice",), patterns=(r"INV-\d{6}",)),
)


def fields_of(error: ValidationFailed) -> set[str]:
    return {e.field for e in error.errors}


class Agents:
    """The agent use cases for one principal, with the tenant they name (None = their own)."""

    def __init__(self, platform: Platform, principal: Principal, tenant_id: str | None = None):
        self.platform, self.principal, self.tenant_id = platform, principal, tenant_id

    async def create(self, draft: AgentDraft):
        return await (await self.platform.use("create_agent")).execute(
            CreateAgentRequest(principal=self.principal, tenant_id=self.tenant_id, draft=draft)
        )

    async def get(self, agent_id: str):
        use_case = await self.platform.use("get_agent")
        return await use_case.execute(self.principal, agent_id, self.tenant_id)

    async def list(self, limit: int | None = None, cursor: str | None = None):
        use_case = await self.platform.use("list_agents")
        return await use_case.execute(
            self.principal, PageRequest.parse(limit, cursor), self.tenant_id
        )

    async def patch(self, agent_id: str, **changes):
        return await (await self.platform.use("update_agent")).execute(
            UpdateAgentRequest(
                principal=self.principal,
                tenant_id=self.tenant_id,
                agent_id=agent_id,
                changes=changes,
            )
        )

    async def replace(self, agent_id: str, draft: AgentDraft):
        return await (await self.platform.use("replace_agent")).execute(
            ReplaceAgentRequest(
                principal=self.principal, tenant_id=self.tenant_id, agent_id=agent_id, draft=draft
            )
        )

    async def delete(self, agent_id: str):
        use_case = await self.platform.use("delete_agent")
        return await use_case.execute(self.principal, agent_id, self.tenant_id)


@pytest.fixture
def acme_agents(platform, acme_admin) -> Agents:
    return Agents(platform, acme_admin)


@pytest.fixture
def globex_agents(platform, globex_admin) -> Agents:
    return Agents(platform, globex_admin)


def add_tool(store: MemoryStore, tenant_id: str, tool_id: str) -> ToolSpec:
    # No tool use case exists yet; the store is the fakes' database, so write the row directly.
    now = datetime(2025, 1, 1, tzinfo=UTC)
    tool = ToolSpec(
        id=tool_id, tenant_id=tenant_id, name=tool_id, kind=ToolKind.HTTP,
        created_at=now, updated_at=now,
    )  # fmt: skip
    store.tools[tool.id] = tool
    return tool


# --- create, read, list, replace, patch, delete ------------------------------------------------


async def test_a_tenant_admin_creates_an_agent_in_their_tenant(acme_agents):
    agent = await acme_agents.create(BILLING)

    assert (agent.tenant_id, agent.name, agent.kind) == ("acme", "Billing", AgentKind.DOMAIN)
    assert agent.routing.patterns == (r"INV-\d{6}",)
    assert await acme_agents.get(agent.id) == agent


async def test_an_agent_name_is_stored_trimmed(acme_agents):
    agent = await acme_agents.create(AgentDraft(name="  Billing  "))
    assert agent.name == "Billing"


async def test_listing_pages_through_the_tenants_agents_only(acme_agents, globex_agents, clock):
    names = [f"Agent {n}" for n in range(5)]
    for name in names:
        clock.advance(1)
        await acme_agents.create(AgentDraft(name=name))
    await globex_agents.create(AgentDraft(name="Elsewhere"))

    first = await acme_agents.list(limit=3)
    second = await acme_agents.list(limit=3, cursor=first.next_cursor)

    assert [a.name for a in first.items] + [a.name for a in second.items] == names
    assert second.next_cursor is None


async def test_patch_changes_only_the_named_fields(acme_agents, clock):
    agent = await acme_agents.create(BILLING)
    clock.advance(5)

    patched = await acme_agents.patch(agent.id, temperature=0.9, name=" Accounts ")

    assert (patched.temperature, patched.name) == (0.9, "Accounts")
    assert (patched.description, patched.routing) == (agent.description, agent.routing)
    assert patched.created_at == agent.created_at and patched.updated_at > agent.updated_at
    assert await acme_agents.get(agent.id) == patched


async def test_replace_resets_every_field_the_draft_leaves_out(acme_agents):
    agent = await acme_agents.create(BILLING)

    replaced = await acme_agents.replace(agent.id, AgentDraft(name="Billing"))

    assert replaced.id == agent.id
    assert (replaced.description, replaced.routing) == ("", RoutingHints())
    assert await acme_agents.get(agent.id) == replaced


async def test_deleting_an_agent_removes_it(acme_agents):
    agent = await acme_agents.create(BILLING)

    await acme_agents.delete(agent.id)

    with pytest.raises(NotFound):
        await acme_agents.get(agent.id)
    with pytest.raises(NotFound):
        await acme_agents.delete(agent.id)


async def test_a_missing_agent_is_not_found(acme_agents):
    with pytest.raises(NotFound):
        await acme_agents.get("no-such-agent")
    with pytest.raises(NotFound):
        await acme_agents.patch("no-such-agent", description="x")


# --- one active supervisor ---------------------------------------------------------------------


async def test_a_second_active_supervisor_is_a_conflict(acme_agents):
    await acme_agents.create(SUPERVISOR)

    with pytest.raises(Conflict):
        await acme_agents.create(replace(SUPERVISOR, name="Another desk"))


async def test_an_inactive_second_supervisor_is_allowed_but_cannot_be_activated(acme_agents):
    await acme_agents.create(SUPERVISOR)
    spare = await acme_agents.create(replace(SUPERVISOR, name="Spare desk", is_active=False))

    with pytest.raises(Conflict):
        await acme_agents.patch(spare.id, is_active=True)
    with pytest.raises(Conflict):
        await acme_agents.replace(spare.id, replace(SUPERVISOR, name="Spare desk"))
    assert (await acme_agents.get(spare.id)).is_active is False


async def test_turning_a_domain_agent_into_a_second_active_supervisor_is_a_conflict(acme_agents):
    await acme_agents.create(SUPERVISOR)
    billing = await acme_agents.create(BILLING)

    with pytest.raises(Conflict):
        await acme_agents.patch(billing.id, kind=AgentKind.SUPERVISOR)


async def test_the_supervisor_can_be_swapped_by_deactivating_the_current_one(acme_agents):
    current = await acme_agents.create(SUPERVISOR)
    spare = await acme_agents.create(replace(SUPERVISOR, name="Spare desk", is_active=False))

    await acme_agents.patch(current.id, is_active=False)
    activated = await acme_agents.patch(spare.id, is_active=True)

    assert activated.is_active_supervisor


async def test_the_active_supervisor_may_be_edited(acme_agents):
    desk = await acme_agents.create(SUPERVISOR)
    edited = await acme_agents.replace(desk.id, replace(SUPERVISOR, description="Routes"))
    assert edited.description == "Routes"


async def test_each_tenant_has_its_own_active_supervisor(acme_agents, globex_agents):
    await acme_agents.create(SUPERVISOR)
    assert (await globex_agents.create(SUPERVISOR)).is_active_supervisor


# --- names -------------------------------------------------------------------------------------


async def test_agent_names_are_unique_per_tenant_ignoring_case(acme_agents):
    await acme_agents.create(BILLING)

    with pytest.raises(Conflict):
        await acme_agents.create(AgentDraft(name="  BILLING "))


async def test_renaming_onto_a_taken_name_is_a_conflict(acme_agents):
    await acme_agents.create(BILLING)
    other = await acme_agents.create(AgentDraft(name="Shipping"))

    with pytest.raises(Conflict):
        await acme_agents.patch(other.id, name="billing")


async def test_an_agent_may_change_the_case_of_its_own_name(acme_agents):
    agent = await acme_agents.create(BILLING)
    assert (await acme_agents.patch(agent.id, name="BILLING")).name == "BILLING"


async def test_the_same_name_is_allowed_in_another_tenant(acme_agents, globex_agents):
    await acme_agents.create(BILLING)
    assert (await globex_agents.create(BILLING)).tenant_id == "globex"


# --- bounds ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"temperature": -0.01}, "temperature"),
        ({"temperature": 2.01}, "temperature"),
        ({"temperature": float("nan")}, "temperature"),
        ({"temperature": float("inf")}, "temperature"),
        ({"max_tokens": 0}, "max_tokens"),
        ({"max_tokens": 32_769}, "max_tokens"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"provider": "skynet"}, "provider"),
        ({"model": ""}, "model"),
        ({"description": "x" * 2_001}, "description"),
        ({"tool_ids": ("t", "t")}, "tool_ids"),
        ({"routing": RoutingHints(patterns=("INV-(\\d+",))}, "routing.patterns[0]"),
        ({"routing": RoutingHints(keywords=("k",) * (MAX_HINTS + 1))}, "routing.keywords"),
        ({"routing": RoutingHints(examples=("  ",))}, "routing.examples"),
        ({"routing": RoutingHints(priority=-1)}, "routing.priority"),
        ({"routing": RoutingHints(priority=MAX_PRIORITY + 1)}, "routing.priority"),
    ],
)
async def test_an_agent_out_of_bounds_is_refused(acme_agents, acme, store, changes, field):
    add_tool(store, "acme", "t")
    draft = replace(BILLING, **changes)
    with pytest.raises(ValidationFailed) as on_create:
        await acme_agents.create(draft)
    assert fields_of(on_create.value) == {field}

    agent = await acme_agents.create(BILLING)
    with pytest.raises(ValidationFailed) as on_patch:
        await acme_agents.patch(agent.id, **changes)
    assert fields_of(on_patch.value) == {field}
    assert await acme_agents.get(agent.id) == agent


@pytest.mark.parametrize(
    "changes",
    [
        {"temperature": 0.0},
        {"temperature": 2.0},
        {"max_tokens": 1},
        {"max_tokens": 32_768},
        {"routing": RoutingHints(keywords=("k",) * MAX_HINTS)},
        {"routing": RoutingHints(priority=MAX_PRIORITY)},
    ],
)
async def test_an_agent_at_its_bounds_is_accepted(acme_agents, changes):
    agent = await acme_agents.create(replace(BILLING, **changes))
    for name, value in changes.items():
        assert getattr(agent, name) == value


async def test_all_field_errors_are_reported_together(acme_agents):
    with pytest.raises(ValidationFailed) as refused:
        await acme_agents.create(AgentDraft(name="", temperature=3.0, max_tokens=0))
    assert fields_of(refused.value) == {"name", "temperature", "max_tokens"}


# --- tools -------------------------------------------------------------------------------------


async def test_an_agent_may_use_its_tenants_tools(acme_agents, store, acme):
    add_tool(store, "acme", "tracking")
    agent = await acme_agents.create(replace(BILLING, tool_ids=("tracking",)))
    assert agent.tool_ids == ("tracking",)


async def test_unknown_tool_ids_are_refused(acme_agents, store, acme):
    add_tool(store, "acme", "tracking")
    with pytest.raises(ValidationFailed) as refused:
        await acme_agents.create(replace(BILLING, tool_ids=("tracking", "missing")))
    assert fields_of(refused.value) == {"tool_ids"}
    assert "missing" in refused.value.message and "tracking" not in refused.value.message


async def test_another_tenants_tool_is_unknown(acme_agents, store, globex):
    add_tool(store, "globex", "their-tool")
    with pytest.raises(ValidationFailed) as refused:
        await acme_agents.create(replace(BILLING, tool_ids=("their-tool",)))
    assert fields_of(refused.value) == {"tool_ids"}


# --- patch fields ------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["id", "tenant_id", "created_at", "updated_at", "colour"])
async def test_patching_a_field_that_is_not_editable_is_refused(acme_agents, field):
    agent = await acme_agents.create(BILLING)
    with pytest.raises(ValidationFailed) as refused:
        await acme_agents.patch(agent.id, **{field: "x"})
    assert fields_of(refused.value) == {field}
    assert await acme_agents.get(agent.id) == agent


# --- tenancy and roles -------------------------------------------------------------------------


async def test_another_tenants_agent_is_not_found_for_every_operation(acme_agents, globex_agents):
    theirs = await globex_agents.create(BILLING)
    named = Agents(acme_agents.platform, acme_agents.principal, tenant_id="globex")

    for agents in (acme_agents, named):
        with pytest.raises(NotFound):
            await agents.get(theirs.id)
        with pytest.raises(NotFound):
            await agents.patch(theirs.id, description="mine now")
        with pytest.raises(NotFound):
            await agents.replace(theirs.id, AgentDraft(name="Mine"))
        with pytest.raises(NotFound):
            await agents.delete(theirs.id)
    with pytest.raises(NotFound):
        await named.create(AgentDraft(name="Planted"))
    with pytest.raises(NotFound):
        await named.list()

    assert await globex_agents.get(theirs.id) == theirs
    assert [a.id for a in (await globex_agents.list()).items] == [theirs.id]


async def test_an_operator_can_read_agents(platform, acme_agents, acme_operator):
    agent = await acme_agents.create(BILLING)
    operator = Agents(platform, acme_operator)

    assert await operator.get(agent.id) == agent
    assert [a.id for a in (await operator.list()).items] == [agent.id]


async def test_an_operator_cannot_write_agents(platform, acme_agents, acme_operator):
    agent = await acme_agents.create(BILLING)
    operator = Agents(platform, acme_operator)

    with pytest.raises(PermissionDenied):
        await operator.create(AgentDraft(name="Sneaky"))
    with pytest.raises(PermissionDenied):
        await operator.patch(agent.id, description="changed")
    with pytest.raises(PermissionDenied):
        await operator.replace(agent.id, AgentDraft(name="Changed"))
    with pytest.raises(PermissionDenied):
        await operator.delete(agent.id)
    assert await acme_agents.get(agent.id) == agent


async def test_a_member_cannot_even_read_agents(platform, acme_agents, acme_member):
    agent = await acme_agents.create(BILLING)
    member = Agents(platform, acme_member)

    with pytest.raises(PermissionDenied):
        await member.get(agent.id)
    with pytest.raises(PermissionDenied):
        await member.list()


async def test_a_platform_admin_must_name_a_tenant(platform, root, acme):
    unnamed = Agents(platform, root)
    attempts = [
        lambda: unnamed.create(BILLING),
        lambda: unnamed.list(),
        lambda: unnamed.get("x"),
        lambda: unnamed.patch("x", description="y"),
        lambda: unnamed.replace("x", BILLING),
        lambda: unnamed.delete("x"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationFailed) as refused:
            await attempt()
        assert fields_of(refused.value) == {"tenant_id"}


async def test_a_platform_admin_manages_agents_of_the_tenant_they_name(platform, root, acme_agents):
    as_root = Agents(platform, root, tenant_id="acme")

    created = await as_root.create(BILLING)
    patched = await as_root.patch(created.id, description="by the platform")

    assert created.tenant_id == "acme"
    assert await acme_agents.get(created.id) == patched
    await as_root.delete(created.id)
    assert list((await acme_agents.list()).items) == []


async def test_an_agent_for_a_nonexistent_tenant_is_a_validation_error(platform, root):
    with pytest.raises(ValidationFailed) as refused:
        await Agents(platform, root, tenant_id="nowhere").create(BILLING)
    assert fields_of(refused.value) == {"tenant_id"}
