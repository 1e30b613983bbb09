"""``GetUsageReport``: who may read usage, which days a report covers, and how it adds up."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from itl_adapters.memory.clock import FakeClock
from itl_adapters.memory.content_repositories import (
    MemoryMessageRepository,
    MemorySessionRepository,
)
from itl_adapters.memory.repositories import MemoryTenantRepository
from itl_adapters.memory.store import MemoryStore
from itl_adapters.memory.usage_reports import MemoryUsageReports
from itl_core.access import Principal, Role
from itl_core.errors import NotFound, PermissionDenied, ValidationFailed
from itl_core.sessions.model import MessageRole
from itl_core.usage.model import MAX_RANGE_DAYS, UsageFigures
from itl_core.usage.use_cases import GetUsageReport

from tests.contract.builders import message, session, tenant

TODAY = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)
ADMIN = Principal(user_id="u1", tenant_id="acme", role=Role.TENANT_ADMIN)


def figures(tokens_in: int, tokens_out: int, cost: float, unpriced: int = 0) -> UsageFigures:
    return UsageFigures(
        turns=1,
        input_tokens=tokens_in,
        output_tokens=tokens_out,
        cost_usd=cost,
        unpriced_turns=unpriced,
    )


async def with_turns(*turns: tuple[date, str | None, UsageFigures]) -> GetUsageReport:
    """The use case over the in-memory fakes, tenant ``acme`` having these assistant turns."""
    store = MemoryStore()
    await MemoryTenantRepository(store).add(tenant("acme"))
    sessions, messages = MemorySessionRepository(store), MemoryMessageRepository(store)
    for day, agent_id, f in turns:
        when = datetime.combine(day, time(12), UTC)
        chat = session("acme", created_at=when, updated_at=when)
        await sessions.add(chat)
        cost = f.cost_usd if not f.unpriced_turns else None
        metadata = {"usage": {"input_tokens": f.input_tokens, "output_tokens": f.output_tokens,
                              "cost_usd": cost}}  # fmt: skip
        await messages.add(
            message(
                chat,
                role=MessageRole.ASSISTANT,
                agent_id=agent_id,
                metadata=metadata,
                created_at=when,
            )
        )
    return GetUsageReport(reports=MemoryUsageReports(store), clock=FakeClock(TODAY))


async def test_the_default_range_is_the_last_30_utc_days_ending_today() -> None:
    get = await with_turns((date(2026, 10, 27), "a", figures(1, 1, 0.0)))  # a day too early
    report = await get.execute(ADMIN)
    assert (report.range.start, report.range.end) == (date(2026, 10, 28), date(2026, 11, 26))
    assert len(report.days) == 30 and all(d.figures.turns == 0 for d in report.days)
    assert report.agents == () and report.totals.turns == 0


async def test_days_are_zero_filled_and_agents_sorted_by_tokens() -> None:
    get = await with_turns(
        (date(2026, 11, 2), "small", figures(1, 1, 0.1)),
        (date(2026, 11, 2), "big", figures(50, 50, 0.2)),
        (date(2026, 11, 3), None, figures(5, 0, 0.0, 1)),
    )
    report = await get.execute(ADMIN, "2026-11-01", "2026-11-03")
    assert [(d.day.day, d.figures.tokens) for d in report.days] == [(1, 0), (2, 102), (3, 5)]
    assert [a.agent_id for a in report.agents] == ["big", None, "small"]
    assert report.totals == UsageFigures(
        turns=3, input_tokens=56, output_tokens=51, cost_usd=pytest.approx(0.3), unpriced_turns=1
    )


async def test_one_end_given_the_other_defaults() -> None:
    get = await with_turns()
    only_to = await get.execute(ADMIN, None, "2026-02-10")
    assert (only_to.range.start, only_to.range.end) == (date(2026, 1, 12), date(2026, 2, 10))
    only_from = await get.execute(ADMIN, "2026-11-20", None)
    assert (only_from.range.start, only_from.range.end) == (date(2026, 11, 20), date(2026, 11, 26))
    one_day = await get.execute(ADMIN, "2026-11-26", "2026-11-26")
    assert len(one_day.days) == 1


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("2026-13-01", None, "from"),
        ("yesterday", None, "from"),
        ("20261101", None, "from"),  # ISO basic format: not the contract's YYYY-MM-DD
        (None, "2026-11-31", "to"),
        ("", None, "from"),
        ("2026-11-10", "2026-11-09", "from"),  # reversed
        ("2025-11-25", "2026-11-26", "from"),  # 367 days
    ],
)
async def test_bad_ranges_are_refused_with_the_field_named(
    start: str | None, end: str | None, field: str
) -> None:
    get = await with_turns()
    with pytest.raises(ValidationFailed) as refused:
        await get.execute(ADMIN, start, end)
    assert refused.value.errors[0].field == field


async def test_a_year_is_the_longest_range() -> None:
    get = await with_turns()
    report = await get.execute(ADMIN, "2025-11-26", "2026-11-26")
    assert len(report.days) == MAX_RANGE_DAYS


async def test_operators_read_members_do_not_and_platform_admins_name_the_tenant() -> None:
    get = await with_turns()
    await get.execute(Principal(user_id="o", tenant_id="acme", role=Role.OPERATOR))
    with pytest.raises(PermissionDenied):
        await get.execute(Principal(user_id="m", tenant_id="acme", role=Role.MEMBER))
    platform = Principal(user_id="p", tenant_id=None, role=Role.PLATFORM_ADMIN)
    with pytest.raises(ValidationFailed):
        await get.execute(platform)
    await get.execute(platform, tenant_id="acme")
    with pytest.raises(NotFound):  # another tenant's usage: as if it did not exist
        await get.execute(ADMIN, tenant_id="other")
