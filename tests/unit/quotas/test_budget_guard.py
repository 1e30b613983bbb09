"""BudgetGuard over the in-memory ledger and tenants: check before a turn, record after it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from itl_adapters.memory.clock import FakeClock
from itl_adapters.memory.repositories import MemoryTenantRepository
from itl_adapters.memory.store import MemoryStore
from itl_adapters.memory.usage import MemoryUsageLedger
from itl_core.errors import QuotaExceeded
from itl_core.quotas.budget import seconds_until_reset
from itl_core.quotas.use_cases import BudgetGuard, TenantQuotas
from itl_core.tenants.model import Tenant

NOW = datetime(2025, 3, 31, 23, 0, tzinfo=UTC)


async def guard(budget: dict | None) -> tuple[BudgetGuard, FakeClock]:
    store = MemoryStore()
    tenants = MemoryTenantRepository(store)
    settings = {"budget": budget} if budget else {}
    await tenants.add(
        Tenant(id="acme", name="Acme", settings=settings, created_at=NOW, updated_at=NOW)
    )
    clock = FakeClock(NOW)
    return BudgetGuard(MemoryUsageLedger(), TenantQuotas(tenants), clock), clock


async def test_usage_below_the_soft_ratio_passes_silently() -> None:
    budget, _ = await guard({"daily_tokens": 100})
    await budget.check("acme")
    assert await budget.record("acme", 79, None) is None


async def test_the_soft_ratio_warns_and_the_limit_refuses() -> None:
    budget, _ = await guard({"daily_tokens": 100, "soft_ratio": 0.5})
    warning = await budget.record("acme", 60, 0.0)
    assert warning is not None and warning["budget"] == "daily_tokens" and warning["ratio"] == 0.6
    await budget.check("acme")
    await budget.record("acme", 40, 0.0)
    with pytest.raises(QuotaExceeded):
        await budget.check("acme")


async def test_a_new_utc_day_starts_a_new_daily_budget_but_not_a_new_month() -> None:
    budget, clock = await guard({"daily_tokens": 100, "monthly_tokens": 150})
    await budget.record("acme", 100, 0.0)
    with pytest.raises(QuotaExceeded):
        await budget.check("acme")
    clock.advance(seconds=3600)  # 2025-04-01 00:00 UTC: a new day AND a new month
    await budget.check("acme")
    await budget.record("acme", 100, 0.0)
    clock.advance(seconds=24 * 3600)
    await budget.check("acme")  # day 2 of April: 100 of 150 this month
    await budget.record("acme", 50, 0.0)
    with pytest.raises(QuotaExceeded, match="monthly tokens"):
        await budget.check("acme")


async def test_no_budget_means_no_limit_and_no_warning() -> None:
    budget, _ = await guard(None)
    assert await budget.record("acme", 10**9, 10**6) is None
    await budget.check("acme")


async def test_the_refusal_says_when_the_spent_period_resets() -> None:
    budget, clock = await guard({"daily_tokens": 100, "monthly_tokens": 1_000})
    await budget.record("acme", 100, 0.0)
    with pytest.raises(QuotaExceeded) as daily:
        await budget.check("acme")
    assert daily.value.retry_after == 3600  # 2025-03-31 23:00 -> midnight UTC
    clock.advance(seconds=3600 + 12 * 3600)  # 2025-04-01 12:00: the day and the month are new
    await budget.record("acme", 1_000, 0.0)
    with pytest.raises(QuotaExceeded, match="monthly tokens") as monthly:
        await budget.check("acme")  # both spent: turns resume with the month, not the day
    assert monthly.value.retry_after == (30 - 1) * 24 * 3600 + 12 * 3600  # -> 2025-05-01 00:00


@pytest.mark.parametrize(
    ("at", "period", "seconds"),
    [
        (datetime(2025, 12, 31, 23, 59, 30, tzinfo=UTC), "day", 30),
        (datetime(2025, 12, 31, 23, 59, 30, tzinfo=UTC), "month", 30),  # into the next year
        (datetime(2024, 2, 28, 0, 0, tzinfo=UTC), "month", 2 * 24 * 3600),  # a leap February
        (datetime(2025, 3, 1, 0, 0, tzinfo=UTC), "day", 24 * 3600),
    ],
)
def test_seconds_until_reset(at: datetime, period: str, seconds: float) -> None:
    assert seconds_until_reset(period, at) == seconds
