"""In-memory ``UsageReports`` with the semantics of ``postgres.usage_reports.PgUsageReports``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date
from typing import Any

from itl_core.sessions.model import MessageRole
from itl_core.usage.model import ZERO, UsageBucket, UsageFigures, UsageRange

from itl_adapters.memory.store import MemoryStore

__all__ = ["MemoryUsageReports"]


def _number(usage: Mapping[str, Any], key: str) -> float | None:
    value = usage.get(key)
    # bool is an int in Python but not a JSON number in PostgreSQL's eyes.
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _figures(usage: Mapping[str, Any]) -> UsageFigures:
    cost = _number(usage, "cost_usd")
    return UsageFigures(
        turns=1,
        input_tokens=int(_number(usage, "input_tokens") or 0),
        output_tokens=int(_number(usage, "output_tokens") or 0),
        cost_usd=float(cost or 0.0),
        unpriced_turns=0 if cost is not None else 1,
    )


class MemoryUsageReports:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def buckets(self, tenant_id: str, usage_range: UsageRange) -> list[UsageBucket]:
        sums: dict[tuple[date, str | None], UsageFigures] = {}
        for message in self._store.messages.values():
            usage = message.metadata.get("usage")
            if (
                message.tenant_id != tenant_id
                or message.role is not MessageRole.ASSISTANT
                or not isinstance(usage, Mapping)
            ):
                continue
            day = message.created_at.astimezone(UTC).date()
            if usage_range.start <= day <= usage_range.end:
                key = (day, message.agent_id)
                sums[key] = sums.get(key, ZERO) + _figures(usage)
        return [
            UsageBucket(day=day, agent_id=agent, figures=figures)
            for (day, agent), figures in sorted(
                sums.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")
            )
        ]
