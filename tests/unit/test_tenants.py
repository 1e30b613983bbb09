"""Tenant administration: platform admins only; ids are slugs; deletion takes everything along."""

from __future__ import annotations

import pytest
from itl_core.access import Principal, Role
from itl_core.agents.use_cases import AgentDraft, CreateAgentRequest
from itl_core.auth.use_cases import LoginRequest
from itl_core.errors import (
    AuthenticationFailed,
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from itl_core.pagination import MAX_LIMIT, PageRequest
from itl_core.tenants.use_cases import CreateTenantRequest, UpdateTenantRequest

from tests.support.platform import PASSWORD, Platform


def create_request(principal: Principal, tenant_id: str = "initech", name: str = "Initech"):
    return CreateTenantRequest(
        principal=principal, id=tenant_id, name=name, settings={"plan": "pro"}
    )


def fields_of(error: ValidationFailed) -> set[str]:
    return {e.field for e in error.errors}


async def walk(platform: Platform, principal: Principal, limit: int) -> list[list[str]]:
    """Every page of the tenant list, following cursors until there is none."""
    list_tenants = await platform.use("list_tenants")
    pages, cursor = [], None
    while True:
        page = await list_tenants.execute(principal, PageRequest.parse(limit, cursor))
        pages.append([t.id for t in page.items])
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


# --- the platform admin's CRUD -----------------------------------------------------------------


async def test_a_platform_admin_creates_a_tenant(platform, root):
    tenant = await (await platform.use("create_tenant")).execute(create_request(root))

    assert (tenant.id, tenant.name, dict(tenant.settings)) == (
        "initech",
        "Initech",
        {"plan": "pro"},
    )
    fetched = await (await platform.use("get_tenant")).execute(root, "initech")
    assert fetched == tenant


async def test_a_tenant_name_is_stored_without_surrounding_spaces(platform, root):
    tenant = await (await platform.use("create_tenant")).execute(
        create_request(root, name="  Initech  ")
    )
    assert tenant.name == "Initech"


async def test_a_platform_admin_renames_a_tenant_and_keeps_its_settings(
    platform, root, acme, clock
):
    clock.advance(60)
    updated = await (await platform.use("update_tenant")).execute(
        UpdateTenantRequest(principal=root, tenant_id="acme", name="Acme Inc")
    )

    assert updated.name == "Acme Inc"
    assert updated.settings == acme.settings
    assert updated.created_at == acme.created_at
    assert updated.updated_at > acme.updated_at
    assert await (await platform.use("get_tenant")).execute(root, "acme") == updated


async def test_a_platform_admin_replaces_a_tenants_settings(platform, root, acme):
    updated = await (await platform.use("update_tenant")).execute(
        UpdateTenantRequest(principal=root, tenant_id="acme", settings={"locale": "de"})
    )
    assert (updated.name, dict(updated.settings)) == ("Acme Corp", {"locale": "de"})


async def test_a_platform_admin_deletes_a_tenant(platform, root, acme):
    await (await platform.use("delete_tenant")).execute(root, "acme")

    with pytest.raises(NotFound):
        await (await platform.use("get_tenant")).execute(root, "acme")


@pytest.mark.parametrize("use_case", ["get_tenant", "delete_tenant"])
async def test_a_missing_tenant_is_not_found(platform, root, use_case):
    with pytest.raises(NotFound):
        await (await platform.use(use_case)).execute(root, "nowhere")


async def test_updating_a_missing_tenant_is_not_found(platform, root):
    with pytest.raises(NotFound):
        await (await platform.use("update_tenant")).execute(
            UpdateTenantRequest(principal=root, tenant_id="nowhere", name="X")
        )


# --- nobody else -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.TENANT_ADMIN, Role.OPERATOR, Role.MEMBER])
async def test_no_role_but_platform_admin_may_touch_tenants(platform, root, acme, role):
    someone = Principal(user_id="someone", tenant_id="acme", role=role)
    attempts = [
        ("create_tenant", (create_request(someone),)),
        ("get_tenant", (someone, "acme")),
        ("list_tenants", (someone, PageRequest())),
        ("update_tenant", (UpdateTenantRequest(principal=someone, tenant_id="acme", name="Mine"),)),
        ("delete_tenant", (someone, "acme")),
    ]
    for name, args in attempts:
        with pytest.raises(PermissionDenied):
            await (await platform.use(name)).execute(*args)

    assert (await (await platform.use("get_tenant")).execute(root, "acme")).name == "Acme Corp"


async def test_a_tenant_admin_cannot_read_even_their_own_tenant_record(platform, acme_admin):
    with pytest.raises(PermissionDenied):
        await (await platform.use("get_tenant")).execute(acme_admin, "acme")


# --- validation and conflicts ------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad_id",
    ["", "Acme", "-acme", "acme-", "ac me", "acme_corp", "ācme", "a" * 64, "acme\n"],
)
async def test_a_tenant_id_must_be_a_slug(platform, root, bad_id):
    with pytest.raises(ValidationFailed) as refused:
        await (await platform.use("create_tenant")).execute(create_request(root, tenant_id=bad_id))
    assert fields_of(refused.value) == {"id"}


@pytest.mark.parametrize("good_id", ["a", "7", "acme-corp", "a--b", "a" * 63])
async def test_slugs_of_one_to_63_characters_are_accepted(platform, root, good_id):
    tenant = await (await platform.use("create_tenant")).execute(
        create_request(root, tenant_id=good_id)
    )
    assert tenant.id == good_id


@pytest.mark.parametrize("bad_name", ["", "   ", "x" * 201])
async def test_a_tenant_name_must_be_1_to_200_characters(platform, root, bad_name):
    with pytest.raises(ValidationFailed) as refused:
        await (await platform.use("create_tenant")).execute(create_request(root, name=bad_name))
    assert fields_of(refused.value) == {"name"}


async def test_every_invalid_field_is_reported_at_once(platform, root):
    with pytest.raises(ValidationFailed) as refused:
        await (await platform.use("create_tenant")).execute(
            create_request(root, tenant_id="Bad Id", name="")
        )
    assert fields_of(refused.value) == {"id", "name"}


async def test_renaming_a_tenant_to_a_blank_name_is_refused(platform, root, acme):
    with pytest.raises(ValidationFailed) as refused:
        await (await platform.use("update_tenant")).execute(
            UpdateTenantRequest(principal=root, tenant_id="acme", name="  ")
        )
    assert fields_of(refused.value) == {"name"}


async def test_a_taken_tenant_id_is_a_conflict(platform, root, acme):
    with pytest.raises(Conflict):
        await (await platform.use("create_tenant")).execute(create_request(root, tenant_id="acme"))


# --- deletion cascades -------------------------------------------------------------------------


async def test_deleting_a_tenant_deletes_its_users_and_agents(platform, root, acme, acme_admin):
    await platform.user("acme", Role.OPERATOR, email="op@acme.test")
    await (await platform.use("create_agent")).execute(
        CreateAgentRequest(principal=acme_admin, tenant_id=None, draft=AgentDraft(name="Billing"))
    )

    await (await platform.use("delete_tenant")).execute(root, "acme")
    await platform.tenant("acme")  # the id is free again, and comes back empty

    users = await (await platform.use("list_users")).execute(root, PageRequest(), "acme")
    agents = await (await platform.use("list_agents")).execute(root, PageRequest(), "acme")
    assert list(users.items) == [] and list(agents.items) == []
    login = await platform.use("login")
    with pytest.raises(AuthenticationFailed):
        await login.execute(LoginRequest(email="op@acme.test", password=PASSWORD, client_ip="::1"))


async def test_deleting_a_tenant_leaves_other_tenants_alone(platform, root, acme, globex_admin):
    await (await platform.use("delete_tenant")).execute(root, "acme")

    me = await (await platform.use("current_user")).execute(globex_admin)
    assert me.tenant_id == "globex"


# --- pagination --------------------------------------------------------------------------------


async def test_paging_with_a_cursor_visits_every_tenant_exactly_once(platform, root, clock):
    ids = [f"tenant-{n:02}" for n in range(11)]
    for n, tenant_id in enumerate(ids):
        if n % 3 == 0:
            clock.advance(1)  # some share a creation time: the id breaks the tie
        await platform.tenant(tenant_id)

    pages = await walk(platform, root, limit=4)

    assert [len(p) for p in pages] == [4, 4, 3]
    assert [t for page in pages for t in page] == ids


async def test_a_full_last_page_has_no_next_cursor(platform, root):
    for tenant_id in ("a", "b", "c", "d"):
        await platform.tenant(tenant_id)
    assert await walk(platform, root, limit=2) == [["a", "b"], ["c", "d"]]


async def test_tenants_created_while_paging_do_not_shift_the_pages(platform, root, clock):
    for tenant_id in ("a", "b", "c"):
        await platform.tenant(tenant_id)
    list_tenants = await platform.use("list_tenants")
    first = await list_tenants.execute(root, PageRequest.parse(2, None))

    clock.advance(1)
    await platform.tenant("0-newest")  # sorts first by id, last by creation time
    rest = await list_tenants.execute(root, PageRequest.parse(2, first.next_cursor))

    assert [t.id for t in first.items] == ["a", "b"]
    assert [t.id for t in rest.items] == ["c", "0-newest"]


async def test_an_empty_list_has_one_empty_page(platform, root):
    assert await walk(platform, root, limit=5) == [[]]


@pytest.mark.parametrize(
    "cursor", ["garbage!", "bm90IGEgY3Vyc29y", "MjAyNS0wMS0wMVQwMDowMDowMA", "%%"]
)
def test_a_cursor_the_api_did_not_issue_is_a_validation_error(cursor):
    with pytest.raises(ValidationFailed) as refused:
        PageRequest.parse(10, cursor)
    assert fields_of(refused.value) == {"cursor"}


@pytest.mark.parametrize("limit", [0, -1, MAX_LIMIT + 1])
def test_a_page_limit_outside_1_to_200_is_a_validation_error(limit):
    with pytest.raises(ValidationFailed) as refused:
        PageRequest.parse(limit, None)
    assert fields_of(refused.value) == {"limit"}


@pytest.mark.parametrize(("limit", "expected"), [(None, 50), (1, 1), (MAX_LIMIT, MAX_LIMIT)])
def test_page_limits_default_to_50_and_reach_200(limit, expected):
    assert PageRequest.parse(limit, None).limit == expected
