"""User administration: who may manage whom, and the rules every account obeys."""

from __future__ import annotations

import pytest
from itl_core.access import Principal, Role
from itl_core.auth.use_cases import LoginRequest
from itl_core.errors import (
    AuthenticationFailed,
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from itl_core.pagination import PageRequest
from itl_core.users.use_cases import CreateUserRequest, UpdateUserRequest

from tests.support.platform import PASSWORD, Platform


def new_user(
    principal: Principal,
    email: str = "new@acme.test",
    role: Role = Role.MEMBER,
    tenant_id: str | None = None,
    password: str = PASSWORD,
) -> CreateUserRequest:
    return CreateUserRequest(
        principal=principal, email=email, password=password, role=role, tenant_id=tenant_id
    )


def fields_of(error: ValidationFailed) -> set[str]:
    return {e.field for e in error.errors}


async def create(platform: Platform, request: CreateUserRequest):
    return await (await platform.use("create_user")).execute(request)


async def update(platform: Platform, principal: Principal, user_id: str, **changes):
    return await (await platform.use("update_user")).execute(
        UpdateUserRequest(principal=principal, user_id=user_id, **changes)
    )


async def can_log_in(platform: Platform, email: str, password: str) -> bool:
    login = await platform.use("login")
    try:
        await login.execute(LoginRequest(email=email, password=password, client_ip="::1"))
    except AuthenticationFailed:
        return False
    return True


# --- tenant admins -----------------------------------------------------------------------------


async def test_a_tenant_admin_creates_users_in_their_own_tenant(platform, acme_admin):
    user = await create(platform, new_user(acme_admin, role=Role.OPERATOR))

    assert (user.tenant_id, user.role, user.is_active) == ("acme", Role.OPERATOR, True)
    assert user.password_hash != PASSWORD
    assert await can_log_in(platform, "new@acme.test", PASSWORD)


async def test_a_tenant_admin_reads_lists_updates_and_deletes_their_tenants_users(
    platform, acme_admin, acme_operator
):
    got = await (await platform.use("get_user")).execute(acme_admin, acme_operator.user_id)
    listed = await (await platform.use("list_users")).execute(acme_admin, PageRequest())
    updated = await update(platform, acme_admin, acme_operator.user_id, role=Role.MEMBER)
    await (await platform.use("delete_user")).execute(acme_admin, acme_operator.user_id)

    assert got.role is Role.OPERATOR
    assert {u.id for u in listed.items} == {acme_admin.user_id, acme_operator.user_id}
    assert updated.role is Role.MEMBER
    with pytest.raises(NotFound):
        await (await platform.use("get_user")).execute(acme_admin, acme_operator.user_id)


async def test_a_tenant_admin_lists_only_their_own_tenants_users(
    platform, acme_admin, globex_admin
):
    page = await (await platform.use("list_users")).execute(acme_admin, PageRequest())
    assert {u.tenant_id for u in page.items} == {"acme"}


async def test_a_tenant_admin_naming_another_tenant_gets_not_found(
    platform, acme_admin, globex_admin
):
    globex_user = globex_admin.user_id
    deactivate = UpdateUserRequest(
        principal=acme_admin, user_id=globex_user, tenant_id="globex", is_active=False
    )
    attempts = [
        ("create_user", (new_user(acme_admin, tenant_id="globex"),)),
        ("get_user", (acme_admin, globex_user, "globex")),
        ("list_users", (acme_admin, PageRequest(), "globex")),
        ("update_user", (deactivate,)),
        ("delete_user", (acme_admin, globex_user, "globex")),
    ]
    for name, args in attempts:
        with pytest.raises(NotFound):
            await (await platform.use(name)).execute(*args)

    assert await can_log_in(platform, "tenant_admin@globex.test", PASSWORD)


async def test_another_tenants_user_id_is_not_found_in_your_own_tenant(
    platform, acme_admin, globex_admin
):
    with pytest.raises(NotFound):
        await (await platform.use("get_user")).execute(acme_admin, globex_admin.user_id)
    with pytest.raises(NotFound):
        await update(platform, acme_admin, globex_admin.user_id, is_active=False)
    with pytest.raises(NotFound):
        await (await platform.use("delete_user")).execute(acme_admin, globex_admin.user_id)


async def test_a_tenant_admin_cannot_grant_platform_admin(platform, acme_admin, acme_member):
    with pytest.raises(ValidationFailed) as on_create:
        await create(platform, new_user(acme_admin, role=Role.PLATFORM_ADMIN))
    with pytest.raises(ValidationFailed) as on_update:
        await update(platform, acme_admin, acme_member.user_id, role=Role.PLATFORM_ADMIN)

    assert fields_of(on_create.value) == fields_of(on_update.value) == {"role"}


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.MEMBER])
async def test_operators_and_members_cannot_manage_users(platform, acme, role, acme_admin):
    someone = (await platform.user("acme", role, email="someone@acme.test")).principal()
    target = acme_admin.user_id
    attempts = [
        ("create_user", (new_user(someone),)),
        ("get_user", (someone, target)),
        ("list_users", (someone, PageRequest())),
        ("update_user", (UpdateUserRequest(principal=someone, user_id=target, is_active=False),)),
        ("delete_user", (someone, target)),
    ]
    for name, args in attempts:
        with pytest.raises(PermissionDenied):
            await (await platform.use(name)).execute(*args)


async def test_an_operator_cannot_even_read_their_own_account_through_user_admin(
    platform, acme_operator
):
    with pytest.raises(PermissionDenied):
        await (await platform.use("get_user")).execute(acme_operator, acme_operator.user_id)


# --- platform admins ---------------------------------------------------------------------------


async def test_a_platform_admin_creates_users_in_any_tenant(platform, root, acme, globex):
    in_acme = await create(platform, new_user(root, "a@acme.test", Role.TENANT_ADMIN, "acme"))
    in_globex = await create(platform, new_user(root, "g@globex.test", Role.MEMBER, "globex"))

    assert (in_acme.tenant_id, in_globex.tenant_id) == ("acme", "globex")


async def test_a_platform_admin_creates_other_platform_admins_without_a_tenant(platform, root):
    admin = await create(platform, new_user(root, "ops@platform.test", Role.PLATFORM_ADMIN))

    assert admin.tenant_id is None
    platform_users = await (await platform.use("list_users")).execute(root, PageRequest())
    assert {u.email for u in platform_users.items} == {"root@platform.test", "ops@platform.test"}


async def test_a_platform_admin_cannot_belong_to_a_tenant(platform, root, acme):
    with pytest.raises(ValidationFailed) as refused:
        await create(platform, new_user(root, role=Role.PLATFORM_ADMIN, tenant_id="acme"))
    assert fields_of(refused.value) == {"tenant_id"}


async def test_a_tenant_role_needs_a_tenant(platform, root):
    with pytest.raises(ValidationFailed) as refused:
        await create(platform, new_user(root, role=Role.TENANT_ADMIN, tenant_id=None))
    assert fields_of(refused.value) == {"tenant_id"}


async def test_a_platform_admin_cannot_promote_a_tenant_user_to_platform_admin(
    platform, root, acme_member
):
    with pytest.raises(ValidationFailed) as refused:
        await update(
            platform, root, acme_member.user_id, tenant_id="acme", role=Role.PLATFORM_ADMIN
        )
    assert fields_of(refused.value) == {"tenant_id"}


async def test_a_user_in_a_nonexistent_tenant_is_a_validation_error(platform, root):
    with pytest.raises(ValidationFailed) as refused:
        await create(platform, new_user(root, tenant_id="nowhere"))
    assert fields_of(refused.value) == {"tenant_id"}


async def test_a_platform_admin_manages_a_tenants_users_by_naming_the_tenant(
    platform, root, acme_member
):
    with pytest.raises(NotFound):  # without the tenant, the platform's own users are meant
        await (await platform.use("get_user")).execute(root, acme_member.user_id)

    got = await (await platform.use("get_user")).execute(root, acme_member.user_id, "acme")
    assert got.id == acme_member.user_id


# --- email and password ------------------------------------------------------------------------


async def test_an_email_is_stored_trimmed_and_lowercase(platform, acme_admin):
    user = await create(platform, new_user(acme_admin, email="  Carol@ACME.Test "))
    assert user.email == "carol@acme.test"


async def test_emails_are_unique_platform_wide_ignoring_case(platform, acme_admin, globex_admin):
    await create(platform, new_user(acme_admin, email="carol@example.test"))

    with pytest.raises(Conflict):
        await create(platform, new_user(acme_admin, email="CAROL@example.test"))
    with pytest.raises(Conflict):
        await create(platform, new_user(globex_admin, email="Carol@Example.Test"))


async def test_changing_an_email_to_a_taken_one_is_a_conflict(platform, acme_admin, acme_member):
    with pytest.raises(Conflict):
        await update(platform, acme_admin, acme_member.user_id, email="TENANT_ADMIN@acme.test")


async def test_changing_only_the_case_of_your_own_email_is_no_conflict(platform, acme_admin):
    me = await update(platform, acme_admin, acme_admin.user_id, email="Tenant_Admin@ACME.test")
    assert me.email == "tenant_admin@acme.test"


@pytest.mark.parametrize("email", ["", "carol", "carol@", "@acme.test", "carol@acme", "a b@c.de"])
async def test_an_invalid_email_is_a_validation_error(platform, acme_admin, email):
    with pytest.raises(ValidationFailed) as refused:
        await create(platform, new_user(acme_admin, email=email))
    assert fields_of(refused.value) == {"email"}


@pytest.mark.parametrize("password", ["", "x" * 9, "x" * 257])
async def test_a_password_must_be_10_to_256_characters(platform, acme_admin, password):
    with pytest.raises(ValidationFailed) as refused:
        await create(platform, new_user(acme_admin, password=password))
    assert fields_of(refused.value) == {"password"}


@pytest.mark.parametrize("password", ["x" * 10, "x" * 256])
async def test_passwords_at_the_bounds_are_accepted(platform, acme_admin, password):
    await create(platform, new_user(acme_admin, password=password))
    assert await can_log_in(platform, "new@acme.test", password)


async def test_a_new_password_replaces_the_old_one(platform, acme_admin, acme_member):
    await update(platform, acme_admin, acme_member.user_id, password="a brand new secret")

    assert await can_log_in(platform, "member@acme.test", "a brand new secret")
    assert not await can_log_in(platform, "member@acme.test", PASSWORD)


async def test_a_too_short_new_password_is_refused(platform, acme_admin, acme_member):
    with pytest.raises(ValidationFailed) as refused:
        await update(platform, acme_admin, acme_member.user_id, password="short")
    assert fields_of(refused.value) == {"password"}


# --- yourself ----------------------------------------------------------------------------------


async def test_you_cannot_delete_yourself(platform, acme_admin, root):
    with pytest.raises(Conflict):
        await (await platform.use("delete_user")).execute(acme_admin, acme_admin.user_id)
    with pytest.raises(Conflict):
        await (await platform.use("delete_user")).execute(root, root.user_id)


async def test_you_cannot_demote_yourself(platform, acme_admin):
    with pytest.raises(Conflict):
        await update(platform, acme_admin, acme_admin.user_id, role=Role.MEMBER)


async def test_you_cannot_deactivate_yourself(platform, acme_admin):
    with pytest.raises(Conflict):
        await update(platform, acme_admin, acme_admin.user_id, is_active=False)


async def test_you_may_restate_your_own_role_and_change_your_password(platform, acme_admin):
    changes = {"role": Role.TENANT_ADMIN, "is_active": True, "password": "my next password"}
    me = await update(platform, acme_admin, acme_admin.user_id, **changes)
    assert (me.role, me.is_active) == (Role.TENANT_ADMIN, True)


async def test_another_admin_may_demote_and_deactivate_you(platform, acme_admin):
    other = (await platform.user("acme", Role.TENANT_ADMIN, email="boss@acme.test")).principal()

    demoted = await update(platform, other, acme_admin.user_id, role=Role.OPERATOR, is_active=False)

    assert (demoted.role, demoted.is_active) == (Role.OPERATOR, False)
    assert not await can_log_in(platform, "tenant_admin@acme.test", PASSWORD)


async def test_deleting_a_missing_user_is_not_found(platform, acme_admin):
    with pytest.raises(NotFound):
        await (await platform.use("delete_user")).execute(acme_admin, "no-such-user")
