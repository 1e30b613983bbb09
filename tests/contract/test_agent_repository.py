"""Contract: AgentRepository (case-insensitive names, one active supervisor per tenant)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from itl_core.agents.model import AgentKind, RoutingHints
from itl_core.errors import Conflict, NotFound, ValidationFailed
from itl_core.pagination import PageRequest

from tests.contract.builders import agent, all_pages, at
from tests.contract.conftest import Repositories

SUPERVISOR = AgentKind.SUPERVISOR


async def test_an_added_agent_reads_back_equal_with_every_field(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    bot = agent(
        a, "Shipping", description="Tracks parcels", system_prompt="Be brief.",
        provider="openai", model="gpt-4o-mini", temperature=0.7, max_tokens=512,
        tool_ids=("t1", "t2"), is_active=False,
        routing=RoutingHints(
            keywords=("parcel",), patterns=(r"\d{10}",), examples=("where?",), priority=3
        ),
    )  # fmt: skip
    await repos.agents.add(bot)
    assert await repos.agents.get(a, bot.id) == bot


async def test_another_tenant_gets_none_for_an_agent_id(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    bot = agent(a, "Sales", kind=SUPERVISOR)
    await repos.agents.add(bot)
    assert await repos.agents.get(b, bot.id) is None
    assert await repos.agents.find_by_name(b, "Sales") is None
    assert await repos.agents.active_supervisor(b) is None
    assert (await repos.agents.list(b, PageRequest())).items == []
    assert await repos.agents.delete(b, bot.id) is False
    with pytest.raises(NotFound):
        await repos.agents.update(replace(bot, tenant_id=b))


async def test_names_are_unique_per_tenant_ignoring_case(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    await repos.agents.add(agent(a, "Billing"))
    with pytest.raises(Conflict):
        await repos.agents.add(agent(a, "BILLING"))
    await repos.agents.add(agent(b, "billing"))  # another tenant may use the name


async def test_renaming_onto_a_taken_name_conflicts(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    await repos.agents.add(agent(a, "Billing"))
    other = agent(a, "Other")
    await repos.agents.add(other)
    with pytest.raises(Conflict):
        await repos.agents.update(replace(other, name="billing"))


async def test_find_by_name_ignores_case_and_surrounding_space(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    bot = agent(a, "Billing")
    await repos.agents.add(bot)
    assert await repos.agents.find_by_name(a, "  bILLING ") == bot


async def test_a_tenant_has_at_most_one_active_supervisor(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    boss = agent(a, "Boss", kind=SUPERVISOR)
    await repos.agents.add(boss)
    with pytest.raises(Conflict):
        await repos.agents.add(agent(a, "Boss 2", kind=SUPERVISOR))
    await repos.agents.add(agent(a, "Retired boss", kind=SUPERVISOR, is_active=False))
    await repos.agents.add(agent(b, "Their boss", kind=SUPERVISOR))
    assert await repos.agents.active_supervisor(a) == boss


async def test_activating_a_second_supervisor_conflicts_until_the_first_is_deactivated(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    boss = agent(a, "Boss", kind=SUPERVISOR)
    understudy = agent(a, "Understudy", kind=SUPERVISOR, is_active=False)
    await repos.agents.add(boss)
    await repos.agents.add(understudy)
    with pytest.raises(Conflict):
        await repos.agents.update(replace(understudy, is_active=True))
    await repos.agents.update(replace(boss, is_active=False))
    await repos.agents.update(replace(understudy, is_active=True))
    assert await repos.agents.active_supervisor(a) == replace(understudy, is_active=True)


async def test_update_keeps_created_at_and_rewrites_the_rest(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    bot = agent(a, "Bot")
    await repos.agents.add(bot)
    changed = replace(bot, name="Bot 2", temperature=1.5, tool_ids=("x",), updated_at=at(9))
    await repos.agents.update(replace(changed, created_at=at(999)))
    assert await repos.agents.get(a, bot.id) == changed


async def test_an_agent_of_an_unknown_tenant_is_refused(repos: Repositories) -> None:
    with pytest.raises(ValidationFailed):
        await repos.agents.add(agent("no-such-tenant"))


async def test_a_reused_agent_id_conflicts(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    bot = agent(a)
    await repos.agents.add(bot)
    with pytest.raises(Conflict):
        await repos.agents.add(agent(b, id=bot.id))


async def test_delete_removes_the_agent_once(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    bot = agent(a)
    await repos.agents.add(bot)
    assert await repos.agents.delete(a, bot.id) is True
    assert await repos.agents.get(a, bot.id) is None
    assert await repos.agents.delete(a, bot.id) is False


async def test_agents_page_in_creation_order_without_gaps_or_repeats(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    mine = [agent(a, created_at=at(i % 4)) for i in range(9)]
    for bot in mine:
        await repos.agents.add(bot)
    await repos.agents.add(agent(b))
    for limit in (1, 2, 4, 9, 10):
        listed = await all_pages(lambda p: repos.agents.list(a, p), limit=limit)
        assert listed == sorted(mine, key=lambda x: (x.created_at, x.id))
