"""In-memory ``UsageLedger`` with the semantics of ``postgres.usage.PgUsageLedger``."""

from __future__ import annotations

from datetime import date, datetime

from itl_core.quotas.budget import UsageTotals, period_starts

__all__ = ["MemoryUsageLedger"]


class MemoryUsageLedger:
    def __init__(self) -> None:
        self._rows: dict[tuple[str, str, date], tuple[int, float]] = {}

    async def add(self, tenant_id: str, at: datetime, tokens: int, cost_usd: float) -> UsageTotals:
        day, month = period_starts(at)
        for key in ((tenant_id, "day", day), (tenant_id, "month", month)):
            old_tokens, old_cost = self._rows.get(key, (0, 0.0))
            self._rows[key] = (old_tokens + tokens, old_cost + cost_usd)
        return await self.totals(tenant_id, at)

    async def totals(self, tenant_id: str, at: datetime) -> UsageTotals:
        day, month = period_starts(at)
        day_tokens, day_cost = self._rows.get((tenant_id, "day", day), (0, 0.0))
        month_tokens, month_cost = self._rows.get((tenant_id, "month", month), (0, 0.0))
        return UsageTotals(
            day_tokens=day_tokens,
            day_cost_usd=day_cost,
            month_tokens=month_tokens,
            month_cost_usd=month_cost,
        )
