"""Usage ledger port: where the tokens and dollars of chat turns add up per tenant."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from itl_core.quotas.budget import UsageTotals


class UsageLedger(Protocol):
    """Usage per tenant per UTC day and month of ``at``; ``add`` is atomic, returns new totals."""

    async def add(
        self, tenant_id: str, at: datetime, tokens: int, cost_usd: float
    ) -> UsageTotals: ...

    async def totals(self, tenant_id: str, at: datetime) -> UsageTotals: ...
