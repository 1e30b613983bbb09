"""``UsageLedger`` on PostgreSQL: one row per tenant and UTC day, one per tenant and UTC month.

Chosen over Redis counters because budgets are money: the ledger must not reset when Redis
restarts or evicts, nor stop counting while Redis is down (the limiter then fails open, budgets
must not). It costs one indexed read before a turn and one upsert after it. Both run in a
savepoint when they join a caller's unit (``Database.unit``): ``BudgetGuard.record`` goes on
after a failed upsert, so a failure must not spoil the unit that settles the turn's message.
"""

from __future__ import annotations

from datetime import datetime

from itl_core.quotas.budget import UsageTotals, period_starts

from itl_adapters.postgres._sql import Row, fetch_all
from itl_adapters.postgres.database import Database

__all__ = ["PgUsageLedger"]

# Both rows in one statement, always day before month: concurrent turns lock in the same order.
_ADD = """
INSERT INTO usage_ledger (tenant_id, period, period_start, tokens, cost_usd)
VALUES (%(t)s, 'day', %(day)s, %(tokens)s, %(cost)s),
       (%(t)s, 'month', %(month)s, %(tokens)s, %(cost)s)
ON CONFLICT (tenant_id, period, period_start) DO UPDATE
SET tokens = usage_ledger.tokens + excluded.tokens,
    cost_usd = usage_ledger.cost_usd + excluded.cost_usd
RETURNING period, tokens, cost_usd
"""

_TOTALS = """
SELECT period, tokens, cost_usd FROM usage_ledger
WHERE tenant_id = %(t)s AND ((period = 'day' AND period_start = %(day)s)
                          OR (period = 'month' AND period_start = %(month)s))
"""


def _totals(rows: list[Row]) -> UsageTotals:
    by = {row["period"]: row for row in rows}
    day, month = by.get("day"), by.get("month")
    return UsageTotals(
        day_tokens=int(day["tokens"]) if day else 0,
        day_cost_usd=float(day["cost_usd"]) if day else 0.0,
        month_tokens=int(month["tokens"]) if month else 0,
        month_cost_usd=float(month["cost_usd"]) if month else 0.0,
    )


class PgUsageLedger:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, tenant_id: str, at: datetime, tokens: int, cost_usd: float) -> UsageTotals:
        day, month = period_starts(at)
        params = {"t": tenant_id, "day": day, "month": month, "tokens": tokens, "cost": cost_usd}
        async with self._db.tenant(tenant_id, savepoint=True) as conn:
            return _totals(await fetch_all(conn, _ADD, params))

    async def totals(self, tenant_id: str, at: datetime) -> UsageTotals:
        day, month = period_starts(at)
        async with self._db.tenant(tenant_id, savepoint=True) as conn:
            rows = await fetch_all(conn, _TOTALS, {"t": tenant_id, "day": day, "month": month})
        return _totals(rows)
