"""``UsageReports`` on PostgreSQL: sums of ``messages.metadata->'usage'`` per UTC day and agent.

One grouped scan of the tenant's assistant messages in the range, served by the partial index
``messages_usage_idx (tenant_id, created_at) WHERE role = 'assistant'`` (migration 0013), so a
year's report reads only that tenant's assistant rows of that year.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from itl_core.usage.model import UsageBucket, UsageFigures, UsageRange

from itl_adapters.postgres._sql import fetch_all
from itl_adapters.postgres.database import Database

__all__ = ["PgUsageReports"]

# A usage value that is not a JSON number (cost_usd is null for a model without a price) sums
# as 0 and, for the cost, counts as an unpriced turn; jsonb_typeof keeps a cast from failing.
_BUCKETS = """
SELECT (created_at AT TIME ZONE 'UTC')::date AS day,
       agent_id,
       count(*) AS turns,
       coalesce(sum(CASE WHEN jsonb_typeof(u -> 'input_tokens') = 'number'
                         THEN (u ->> 'input_tokens')::numeric END), 0) AS input_tokens,
       coalesce(sum(CASE WHEN jsonb_typeof(u -> 'output_tokens') = 'number'
                         THEN (u ->> 'output_tokens')::numeric END), 0) AS output_tokens,
       coalesce(sum(CASE WHEN jsonb_typeof(u -> 'cost_usd') = 'number'
                         THEN (u ->> 'cost_usd')::numeric END), 0) AS cost_usd,
       count(*) FILTER (WHERE jsonb_typeof(u -> 'cost_usd') IS DISTINCT FROM 'number')
           AS unpriced_turns
FROM messages, LATERAL (SELECT metadata -> 'usage' AS u) AS usage
WHERE tenant_id = %(t)s AND role = 'assistant'
  AND created_at >= %(start)s AND created_at < %(end)s
  AND jsonb_typeof(u) = 'object'
GROUP BY 1, 2
ORDER BY 1, 2 NULLS FIRST
"""


class PgUsageReports:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def buckets(self, tenant_id: str, usage_range: UsageRange) -> list[UsageBucket]:
        params = {
            "t": tenant_id,
            "start": datetime.combine(usage_range.start, time.min, UTC),
            "end": datetime.combine(usage_range.end + timedelta(days=1), time.min, UTC),
        }
        async with self._db.tenant(tenant_id) as conn:
            rows = await fetch_all(conn, _BUCKETS, params)
        return [
            UsageBucket(
                day=row["day"],
                agent_id=row["agent_id"],
                figures=UsageFigures(
                    turns=int(row["turns"]),
                    input_tokens=int(row["input_tokens"]),
                    output_tokens=int(row["output_tokens"]),
                    cost_usd=float(row["cost_usd"]),
                    unpriced_turns=int(row["unpriced_turns"]),
                ),
            )
            for row in rows
        ]
