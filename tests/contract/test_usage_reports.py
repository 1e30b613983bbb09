"""Contract: UsageReports (sums of the usage assistant messages store, per UTC day and agent)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from itl_core.sessions.model import MessageRole, MessageStatus
from itl_core.usage.model import UsageBucket, UsageFigures, UsageRange

from tests.contract.builders import message, session
from tests.contract.conftest import Repositories

NOVEMBER = UsageRange(start=date(2026, 11, 1), end=date(2026, 11, 30))


def usage(input_tokens: int, output_tokens: int, cost_usd: float | None) -> dict[str, Any]:
    return {"usage": {"input_tokens": input_tokens, "output_tokens": output_tokens,
                      "cost_usd": cost_usd}}  # fmt: skip


async def turn(
    repos: Repositories,
    tenant_id: str,
    when: datetime,
    agent_id: str | None,
    metadata: dict[str, Any],
    *,
    role: MessageRole = MessageRole.ASSISTANT,
    status: MessageStatus = MessageStatus.COMPLETE,
) -> None:
    chat = session(tenant_id, created_at=when, updated_at=when)
    await repos.sessions.add(chat)
    await repos.messages.add(
        message(
            chat, role=role, status=status, agent_id=agent_id, metadata=metadata, created_at=when
        )
    )


def utc(day: int, hour: int = 12, minute: int = 0, second: int = 0, micro: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, micro, tzinfo=UTC)


async def test_turns_add_up_per_utc_day_and_agent(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    await turn(repos, a, utc(3, 9), "billing", usage(100, 20, 0.5))
    await turn(repos, a, utc(3, 23, 59, 59, 999_999), "billing", usage(10, 2, 0.25))
    await turn(repos, a, utc(3, 10), "support", usage(7, 3, 0.0))
    await turn(repos, a, utc(4, 0), "billing", usage(1, 1, 0.125))  # midnight: the next day
    buckets = await repos.usage_reports.buckets(a, NOVEMBER)
    assert buckets == [
        UsageBucket(day=date(2026, 11, 3), agent_id="billing",
                    figures=UsageFigures(turns=2, input_tokens=110, output_tokens=22,
                                         cost_usd=0.75)),
        UsageBucket(day=date(2026, 11, 3), agent_id="support",
                    figures=UsageFigures(turns=1, input_tokens=7, output_tokens=3)),
        UsageBucket(day=date(2026, 11, 4), agent_id="billing",
                    figures=UsageFigures(turns=1, input_tokens=1, output_tokens=1,
                                         cost_usd=0.125)),
    ]  # fmt: skip


async def test_the_range_includes_both_end_days_and_nothing_outside(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    await turn(repos, a, datetime(2026, 10, 31, 23, 59, 59, tzinfo=UTC), "x", usage(1, 0, 0.0))
    await turn(repos, a, utc(1, 0), "x", usage(2, 0, 0.0))
    await turn(repos, a, utc(30, 23, 59, 59), "x", usage(4, 0, 0.0))
    await turn(repos, a, datetime(2026, 12, 1, 0, 0, tzinfo=UTC), "x", usage(8, 0, 0.0))
    buckets = await repos.usage_reports.buckets(a, NOVEMBER)
    assert [(b.day.day, b.figures.input_tokens) for b in buckets] == [(1, 2), (30, 4)]


async def test_unpriced_unrouted_and_failed_turns_count_user_messages_do_not(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    await turn(repos, a, utc(5), "gpt", usage(50, 5, None))  # a model without a price
    await turn(repos, a, utc(5), None, usage(0, 0, 0.0), status=MessageStatus.FAILED)
    await turn(repos, a, utc(5), "gpt", {"routing": {}})  # no usage stored (yet)
    await turn(repos, a, utc(5), "gpt", usage(999, 999, 9.0), role=MessageRole.USER)
    buckets = await repos.usage_reports.buckets(a, NOVEMBER)
    assert buckets == [
        UsageBucket(day=date(2026, 11, 5), agent_id=None, figures=UsageFigures(turns=1)),
        UsageBucket(day=date(2026, 11, 5), agent_id="gpt",
                    figures=UsageFigures(turns=1, input_tokens=50, output_tokens=5,
                                         unpriced_turns=1)),
    ]  # fmt: skip


async def test_a_tenant_sees_only_its_own_usage(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    await turn(repos, a, utc(6), "billing", usage(3, 4, 0.5))
    assert await repos.usage_reports.buckets(b, NOVEMBER) == []
    assert len(await repos.usage_reports.buckets(a, NOVEMBER)) == 1
