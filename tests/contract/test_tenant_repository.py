"""Contract: TenantRepository."""

from __future__ import annotations

from dataclasses import replace

import pytest
from itl_core.errors import Conflict, NotFound

from tests.contract.builders import agent, all_pages, at, session, tenant, user
from tests.contract.conftest import Repositories


async def test_an_added_tenant_reads_back_equal(repos: Repositories) -> None:
    acme = tenant("acme", settings={"locale": "de", "limits": {"tokens": 1000}})
    await repos.tenants.add(acme)
    assert await repos.tenants.get("acme") == acme


async def test_an_unknown_tenant_is_none(repos: Repositories) -> None:
    assert await repos.tenants.get("nobody") is None


async def test_a_taken_tenant_id_conflicts(repos: Repositories) -> None:
    await repos.tenants.add(tenant("acme"))
    with pytest.raises(Conflict):
        await repos.tenants.add(tenant("acme", name="Another"))


async def test_update_changes_name_and_settings_but_not_created_at(repos: Repositories) -> None:
    await repos.tenants.add(tenant("acme"))
    changed = tenant(
        "acme", name="Acme GmbH", settings={"x": 1}, created_at=at(99), updated_at=at(5)
    )
    await repos.tenants.update(changed)
    assert await repos.tenants.get("acme") == replace(changed, created_at=at(0))


async def test_updating_a_missing_tenant_is_not_found(repos: Repositories) -> None:
    with pytest.raises(NotFound):
        await repos.tenants.update(tenant("ghost"))


async def test_delete_reports_whether_the_tenant_existed(repos: Repositories) -> None:
    await repos.tenants.add(tenant("acme"))
    assert await repos.tenants.delete("acme") is True
    assert await repos.tenants.get("acme") is None
    assert await repos.tenants.delete("acme") is False


async def test_deleting_a_tenant_deletes_everything_it_owns(repos: Repositories) -> None:
    await repos.tenants.add(tenant("acme"))
    member = user("acme")
    await repos.users.add(member)
    bot = agent("acme")
    await repos.agents.add(bot)
    chat = session("acme")
    await repos.sessions.add(chat)
    await repos.tenants.delete("acme")
    assert await repos.users.find_for_login(member.email) is None
    assert await repos.agents.get("acme", bot.id) is None
    assert await repos.sessions.get("acme", chat.id) is None


async def test_tenants_page_in_creation_order_with_ties_broken_by_id(repos: Repositories) -> None:
    ids = [f"t{i}" for i in range(7)]
    for i, tid in enumerate(reversed(ids)):
        await repos.tenants.add(tenant(tid, created_at=at(i // 2)))  # pairs share a timestamp
    listed = await all_pages(repos.tenants.list, limit=3)
    expected = sorted([await repos.tenants.get(t) for t in ids], key=lambda t: (t.created_at, t.id))
    assert listed == expected
