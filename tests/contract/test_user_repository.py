"""Contract: UserRepository."""

from __future__ import annotations

from dataclasses import replace

import pytest
from itl_core.access import Role
from itl_core.errors import Conflict, NotFound, ValidationFailed
from itl_core.pagination import PageRequest

from tests.contract.builders import all_pages, at, user
from tests.contract.conftest import Repositories


async def test_a_tenant_user_reads_back_equal_in_its_tenant(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    alice = user(a, role=Role.TENANT_ADMIN)
    await repos.users.add(alice)
    assert await repos.users.get(a, alice.id) == alice


async def test_another_tenant_cannot_see_a_user(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    alice = user(a)
    await repos.users.add(alice)
    assert await repos.users.get(b, alice.id) is None
    assert await repos.users.get(None, alice.id) is None
    assert (await repos.users.list(b, PageRequest())).items == []
    assert await repos.users.delete(b, alice.id) is False
    with pytest.raises(NotFound):
        await repos.users.update(replace(alice, tenant_id=b, email="stolen@example.com"))
    assert await repos.users.get(a, alice.id) == alice


async def test_platform_admins_live_outside_every_tenant(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    admin = user(None)
    await repos.users.add(admin)
    assert await repos.users.get(None, admin.id) == admin
    assert await repos.users.get(a, admin.id) is None
    assert [u.id for u in (await repos.users.list(None, PageRequest())).items] == [admin.id]


async def test_login_lookup_finds_a_user_of_any_tenant_case_insensitively(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    _, b = two_tenants
    bob = user(b, email="bob@example.com")
    await repos.users.add(bob)
    assert await repos.users.find_for_login("BOB@Example.com") == bob
    assert await repos.users.find_for_login("nobody@example.com") is None


async def test_emails_are_unique_across_the_platform_ignoring_case(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    await repos.users.add(user(a, email="same@example.com"))
    with pytest.raises(Conflict):
        await repos.users.add(user(b, email="Same@Example.com"))
    with pytest.raises(Conflict):
        await repos.users.add(user(None, email="same@example.com"))


async def test_changing_an_email_to_a_taken_one_conflicts(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    await repos.users.add(user(a, email="first@example.com"))
    second = user(a, email="second@example.com")
    await repos.users.add(second)
    with pytest.raises(Conflict):
        await repos.users.update(replace(second, email="FIRST@example.com"))


async def test_update_rewrites_the_mutable_fields(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    alice = user(a)
    await repos.users.add(alice)
    changed = replace(
        alice, email="new@example.com", role=Role.OPERATOR, password_hash="h2",
        is_active=False, updated_at=at(60),
    )  # fmt: skip
    await repos.users.update(changed)
    assert await repos.users.get(a, alice.id) == changed


async def test_a_user_of_an_unknown_tenant_is_refused(repos: Repositories) -> None:
    with pytest.raises(ValidationFailed):
        await repos.users.add(user("no-such-tenant"))


async def test_delete_removes_the_user_once(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    alice = user(a)
    await repos.users.add(alice)
    assert await repos.users.delete(a, alice.id) is True
    assert await repos.users.get(a, alice.id) is None
    assert await repos.users.delete(a, alice.id) is False


async def test_users_page_in_creation_order(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    mine = [user(a, created_at=at(i % 3)) for i in range(5)]
    for u in mine:
        await repos.users.add(u)
    await repos.users.add(user(b))
    listed = await all_pages(lambda p: repos.users.list(a, p), limit=2)
    assert listed == sorted(mine, key=lambda u: (u.created_at, u.id))
