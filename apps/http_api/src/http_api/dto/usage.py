"""Usage report wire format (``GET /api/admin/usage``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from itl_core.usage.model import UsageFigures, UsageReport
from litestar.params import QueryParameter

# Checked by the use case, not here: a malformed or reversed range is a 422 with field errors.
FromDay = Annotated[
    str | None,
    QueryParameter(
        name="from",
        format="date",
        description="First UTC day, YYYY-MM-DD (default: 29 days before `to`).",
    ),
]
ToDay = Annotated[
    str | None,
    QueryParameter(
        name="to",
        format="date",
        description="Last UTC day, YYYY-MM-DD, included (default: today).",
    ),
]


class FiguresOut(msgspec.Struct, kw_only=True):
    """``cost_usd`` sums the priced turns; ``unpriced_turns`` used a model without a price."""

    turns: int
    input_tokens: int
    output_tokens: int
    cost_usd: float
    unpriced_turns: int

    @classmethod
    def of(cls, figures: UsageFigures) -> FiguresOut:
        return cls(
            turns=figures.turns,
            input_tokens=figures.input_tokens,
            output_tokens=figures.output_tokens,
            cost_usd=round(figures.cost_usd, 6),
            unpriced_turns=figures.unpriced_turns,
        )


class DayUsageOut(FiguresOut, kw_only=True):
    date: date


class AgentUsageOut(FiguresOut, kw_only=True):
    """``agent_id`` None: turns that ended before an agent was chosen."""

    agent_id: str | None


class UsageReportOut(msgspec.Struct, kw_only=True):
    """Every day of the range in order (zeros on idle days), agents by most tokens first."""

    from_: date = msgspec.field(name="from")
    to: date
    totals: FiguresOut
    days: list[DayUsageOut]
    agents: list[AgentUsageOut]

    @classmethod
    def of(cls, report: UsageReport) -> UsageReportOut:
        def figures(f: UsageFigures) -> dict[str, int | float]:
            return msgspec.structs.asdict(FiguresOut.of(f))

        return cls(
            from_=report.range.start,
            to=report.range.end,
            totals=FiguresOut.of(report.totals),
            days=[DayUsageOut(date=d.day, **figures(d.figures)) for d in report.days],
            agents=[
                AgentUsageOut(agent_id=a.agent_id, **figures(a.figures)) for a in report.agents
            ],
        )
