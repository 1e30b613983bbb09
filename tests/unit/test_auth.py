"""Sign-in, token rotation, sign-out and "who am I", through the container over fakes."""

from __future__ import annotations

from dataclasses import replace

import pytest
from itl_adapters.memory.clock import FakeClock
from itl_adapters.memory.container import memory_application
from itl_core.access import Principal, Role
from itl_core.auth.use_cases import AuthPolicy, LoginRequest
from itl_core.errors import AuthenticationFailed, RateLimited
from itl_core.security.ports import TokenKind
from itl_core.tenants.model import Tenant
from itl_core.users.use_cases import UpdateUserRequest

from tests.support.platform import PASSWORD, Platform

POLICY = AuthPolicy()
IP = "203.0.113.7"


@pytest.fixture
async def alice(platform: Platform, acme: Tenant):
    return await platform.user(acme.id, Role.OPERATOR, email="alice@acme.test")


async def login(platform: Platform, email: str, password: str = PASSWORD, ip: str = IP):
    use_case = await platform.use("login")
    return await use_case.execute(LoginRequest(email=email, password=password, client_ip=ip))


async def refresh(platform: Platform, token: str):
    return await (await platform.use("refresh_tokens")).execute(token)


async def assert_login_refused(platform: Platform, email: str, password: str) -> str:
    with pytest.raises(AuthenticationFailed) as refused:
        await login(platform, email, password)
    assert type(refused.value) is AuthenticationFailed
    return refused.value.message


# --- login -------------------------------------------------------------------------------------


async def test_login_with_the_right_password_issues_an_access_and_a_refresh_token(
    platform, alice, container
):
    pair = await login(platform, "alice@acme.test")

    assert pair.user.id == alice.id
    assert pair.refresh_token and pair.expires_in > 0
    claims = container.infra.tokens().verify(pair.access_token, kind=TokenKind.ACCESS)
    assert (claims.subject, claims.tenant_id, claims.role) == (alice.id, "acme", "operator")


async def test_login_ignores_the_case_and_surrounding_spaces_of_the_email(platform, alice):
    pair = await login(platform, "  ALICE@Acme.Test ")
    assert pair.user.id == alice.id


async def test_unknown_email_wrong_password_and_inactive_user_fail_alike(platform, alice, root):
    deactivate = await platform.use("update_user")
    inactive = await platform.user("acme", Role.MEMBER, email="gone@acme.test")
    await deactivate.execute(
        UpdateUserRequest(principal=root, tenant_id="acme", user_id=inactive.id, is_active=False)
    )

    unknown = await assert_login_refused(platform, "nobody@acme.test", PASSWORD)
    wrong = await assert_login_refused(platform, "alice@acme.test", "not the password")
    disabled = await assert_login_refused(platform, "gone@acme.test", PASSWORD)

    assert unknown == wrong == disabled


async def test_an_overlong_password_is_refused_like_a_wrong_one(platform, alice):
    await assert_login_refused(platform, "alice@acme.test", "x" * 10_000)


# --- login rate limits -------------------------------------------------------------------------


async def test_an_account_is_locked_after_the_policys_attempts_whatever_the_ip(platform, alice):
    for attempt in range(POLICY.login_per_account):
        with pytest.raises(AuthenticationFailed):
            await login(platform, "alice@acme.test", "wrong password", ip=f"198.51.100.{attempt}")

    with pytest.raises(RateLimited) as limited:
        await login(platform, "alice@acme.test", PASSWORD, ip="192.0.2.99")
    assert limited.value.retry_after > 0


async def test_an_account_limit_counts_the_normalised_email(platform, alice):
    for _ in range(POLICY.login_per_account):
        with pytest.raises(AuthenticationFailed):
            await login(platform, "ALICE@acme.test", "wrong password")
    with pytest.raises(RateLimited):
        await login(platform, " alice@ACME.test", PASSWORD)


async def test_a_locked_account_does_not_lock_another_account_on_the_same_ip(platform, alice):
    bob = await platform.user("acme", Role.MEMBER, email="bob@acme.test")
    for _ in range(POLICY.login_per_account):
        with pytest.raises(AuthenticationFailed):
            await login(platform, "alice@acme.test", "wrong password")

    assert (await login(platform, "bob@acme.test")).user.id == bob.id


async def test_an_ip_is_limited_after_the_policys_attempts_across_accounts(platform, alice):
    for n in range(POLICY.login_per_ip):
        with pytest.raises(AuthenticationFailed):
            await login(platform, f"stranger{n}@acme.test", PASSWORD)

    with pytest.raises(RateLimited) as limited:
        await login(platform, "alice@acme.test", PASSWORD)
    assert limited.value.retry_after > 0
    assert (await login(platform, "alice@acme.test", ip="192.0.2.1")).user.id == alice.id


async def test_a_lock_lifts_once_the_period_has_passed(platform, alice, clock: FakeClock):
    for _ in range(POLICY.login_per_account):
        with pytest.raises(AuthenticationFailed):
            await login(platform, "alice@acme.test", "wrong password")
    with pytest.raises(RateLimited) as limited:
        await login(platform, "alice@acme.test", PASSWORD)

    clock.advance(limited.value.retry_after)

    assert (await login(platform, "alice@acme.test")).user.id == alice.id


# --- refresh -----------------------------------------------------------------------------------


async def test_refresh_rotates_the_token_spending_the_old_one(platform, alice):
    first = await login(platform, "alice@acme.test")

    second = await refresh(platform, first.refresh_token)

    assert second.refresh_token != first.refresh_token
    assert second.user.id == alice.id
    third = await refresh(platform, second.refresh_token)
    assert third.refresh_token not in (first.refresh_token, second.refresh_token)


async def test_replaying_a_spent_token_revokes_its_whole_family(platform, alice):
    first = await login(platform, "alice@acme.test")
    successor = await refresh(platform, first.refresh_token)

    with pytest.raises(AuthenticationFailed):
        await refresh(platform, first.refresh_token)
    with pytest.raises(AuthenticationFailed):
        await refresh(platform, successor.refresh_token)


async def test_revoking_one_family_leaves_the_users_other_sessions_alone(platform, alice):
    laptop = await login(platform, "alice@acme.test")
    phone = await login(platform, "alice@acme.test")
    await refresh(platform, laptop.refresh_token)
    with pytest.raises(AuthenticationFailed):
        await refresh(platform, laptop.refresh_token)

    assert (await refresh(platform, phone.refresh_token)).user.id == alice.id


async def test_an_expired_refresh_token_is_refused(platform, alice, clock, settings):
    pair = await login(platform, "alice@acme.test")

    clock.advance(settings.refresh_token_ttl + 1)

    with pytest.raises(AuthenticationFailed):
        await refresh(platform, pair.refresh_token)


async def test_a_refresh_token_works_until_just_before_it_expires(platform, alice, clock, settings):
    pair = await login(platform, "alice@acme.test")
    clock.advance(settings.refresh_token_ttl - 1)
    assert (await refresh(platform, pair.refresh_token)).user.id == alice.id


async def test_token_lifetimes_come_from_the_settings(settings):
    short = replace(settings, access_token_ttl=120, refresh_token_ttl=600)
    container = memory_application(short)
    platform = Platform(container)
    await platform.tenant("acme")
    await platform.user("acme", Role.MEMBER, email="carol@acme.test")

    pair = await login(platform, "carol@acme.test")
    container.infra.clock().advance(601)

    assert pair.expires_in == 120
    with pytest.raises(AuthenticationFailed):
        await refresh(platform, pair.refresh_token)


async def test_an_unknown_refresh_token_is_refused(platform, alice):
    with pytest.raises(AuthenticationFailed):
        await refresh(platform, "never-issued")


async def test_refresh_is_refused_once_the_user_is_deactivated(platform, alice, root):
    pair = await login(platform, "alice@acme.test")
    update = await platform.use("update_user")
    await update.execute(
        UpdateUserRequest(principal=root, tenant_id="acme", user_id=alice.id, is_active=False)
    )

    with pytest.raises(AuthenticationFailed):
        await refresh(platform, pair.refresh_token)


# --- logout ------------------------------------------------------------------------------------


async def test_logout_revokes_the_refresh_token_and_its_successors(platform, alice):
    first = await login(platform, "alice@acme.test")
    current = await refresh(platform, first.refresh_token)

    await (await platform.use("logout")).execute(current.refresh_token)

    with pytest.raises(AuthenticationFailed):
        await refresh(platform, current.refresh_token)


async def test_logout_with_an_unknown_or_spent_token_is_harmless(platform, alice):
    logout = await platform.use("logout")
    pair = await login(platform, "alice@acme.test")
    await logout.execute(pair.refresh_token)

    await logout.execute(pair.refresh_token)
    await logout.execute("never-issued")


# --- current user ------------------------------------------------------------------------------


async def test_current_user_is_the_principals_user(platform, alice):
    me = await (await platform.use("current_user")).execute(alice.principal())
    assert me.id == alice.id and me.email == "alice@acme.test"


async def test_current_user_of_a_deleted_user_fails(platform, alice, acme_admin):
    await (await platform.use("delete_user")).execute(acme_admin, alice.id)

    with pytest.raises(AuthenticationFailed):
        await (await platform.use("current_user")).execute(alice.principal())


async def test_current_user_of_a_deactivated_user_fails(platform, alice, acme_admin):
    update = await platform.use("update_user")
    await update.execute(UpdateUserRequest(principal=acme_admin, user_id=alice.id, is_active=False))

    with pytest.raises(AuthenticationFailed):
        await (await platform.use("current_user")).execute(alice.principal())


async def test_current_user_of_a_principal_naming_the_wrong_tenant_fails(platform, alice, globex):
    forged = Principal(user_id=alice.id, tenant_id="globex", role=Role.OPERATOR)
    with pytest.raises(AuthenticationFailed):
        await (await platform.use("current_user")).execute(forged)
