"""Usage figures and the bounded range of UTC days a report covers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

MAX_RANGE_DAYS = 366  # a leap year: a year's report in one request, never an unbounded scan
DEFAULT_RANGE_DAYS = 30


@dataclass(frozen=True, slots=True, kw_only=True)
class UsageFigures:
    """Sums over a set of assistant turns.

    ``cost_usd`` adds up the turns whose model has a price; ``unpriced_turns`` counts the others
    (a model missing from the price table), so a report never passes a partial cost as whole.
    """

    turns: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    unpriced_turns: int = 0

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def __add__(self, other: UsageFigures) -> UsageFigures:
        return UsageFigures(
            turns=self.turns + other.turns,
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cost_usd=self.cost_usd + other.cost_usd,
            unpriced_turns=self.unpriced_turns + other.unpriced_turns,
        )


ZERO = UsageFigures()


@dataclass(frozen=True, slots=True, kw_only=True)
class UsageBucket:
    """The figures of one UTC day and one agent (``agent_id`` None: the turn was never routed)."""

    day: date
    agent_id: str | None
    figures: UsageFigures


@dataclass(frozen=True, slots=True, kw_only=True)
class UsageRange:
    """UTC days ``start`` to ``end``, both included; at most ``MAX_RANGE_DAYS`` long."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def each_day(self) -> Iterator[date]:
        for offset in range(self.days):
            yield self.start + timedelta(days=offset)


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentUsage:
    agent_id: str | None
    figures: UsageFigures


@dataclass(frozen=True, slots=True, kw_only=True)
class DayUsage:
    day: date
    figures: UsageFigures


@dataclass(frozen=True, slots=True, kw_only=True)
class UsageReport:
    """Every day of the range (zero when idle, so charts keep their time axis), each agent that
    had turns in it (most tokens first), and the range's totals."""

    range: UsageRange
    days: tuple[DayUsage, ...]
    agents: tuple[AgentUsage, ...]
    totals: UsageFigures

    @classmethod
    def of(cls, usage_range: UsageRange, buckets: list[UsageBucket]) -> UsageReport:
        by_day: dict[date, UsageFigures] = {}
        by_agent: dict[str | None, UsageFigures] = {}
        totals = ZERO
        for bucket in buckets:
            if not usage_range.start <= bucket.day <= usage_range.end:
                continue  # an adapter's rounding must never leak days outside the range
            by_day[bucket.day] = by_day.get(bucket.day, ZERO) + bucket.figures
            by_agent[bucket.agent_id] = by_agent.get(bucket.agent_id, ZERO) + bucket.figures
            totals += bucket.figures
        agents = sorted(
            by_agent.items(), key=lambda item: (-item[1].tokens, -item[1].cost_usd, item[0] or "")
        )
        return cls(
            range=usage_range,
            days=tuple(
                DayUsage(day=d, figures=by_day.get(d, ZERO)) for d in usage_range.each_day()
            ),
            agents=tuple(AgentUsage(agent_id=a, figures=f) for a, f in agents),
            totals=totals,
        )
