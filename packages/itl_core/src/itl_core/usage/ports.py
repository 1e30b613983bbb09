"""Usage report port: the read side over the usage each assistant message stores."""

from __future__ import annotations

from typing import Protocol

from itl_core.usage.model import UsageBucket, UsageRange


class UsageReports(Protocol):
    """Sums of a tenant's assistant turns per UTC day (of the message's ``created_at``) and agent.

    Every finished or failed assistant message with stored usage counts (budgets count failed
    turns too); a message still in flight has none yet. Buckets with no turn are left out.
    """

    async def buckets(self, tenant_id: str, usage_range: UsageRange) -> list[UsageBucket]: ...
