"""Per-tenant usage budgets: tokens and US dollars per UTC day and per UTC month.

``settings["budget"]`` holds any of ``daily_tokens``, ``monthly_tokens``, ``daily_cost_usd``,
``monthly_cost_usd`` (absent: unlimited) and ``soft_ratio`` (default 0.8). A budget is
*hard-spent* when usage has reached a limit: new chat turns are refused before any model call.
It is *soft-spent* when usage has reached ``soft_ratio`` of a limit: turns still run, and their
result carries a warning. Turns already running when the limit is reached finish, so usage can
overshoot a hard limit by what those turns use: the budget bounds spend, it is not an invoice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from itl_core.errors import FieldError

# (settings field, period, metric)
BUDGET_FIELDS = (
    ("daily_tokens", "day", "tokens"),
    ("monthly_tokens", "month", "tokens"),
    ("daily_cost_usd", "day", "cost_usd"),
    ("monthly_cost_usd", "month", "cost_usd"),
)
DEFAULT_SOFT_RATIO = 0.8


def period_starts(at: datetime) -> tuple[date, date]:
    """The UTC day of ``at`` and the first day of its UTC month: the ledger's period keys."""
    day = at.astimezone(UTC).date()
    return day, day.replace(day=1)


def seconds_until_reset(period: str, at: datetime) -> float:
    """Seconds from ``at`` to the start of the next UTC day or month (``period``)."""
    day, month = period_starts(at)
    if period == "day":
        start = day + timedelta(days=1)
    else:
        start = (month + timedelta(days=32)).replace(day=1)
    return (datetime.combine(start, time(), UTC) - at.astimezone(UTC)).total_seconds()


@dataclass(frozen=True, slots=True, kw_only=True)
class UsageTotals:
    """A tenant's usage in the current UTC day and month."""

    day_tokens: int = 0
    day_cost_usd: float = 0.0
    month_tokens: int = 0
    month_cost_usd: float = 0.0

    def used(self, period: str, metric: str) -> float:
        return float(getattr(self, f"{period}_{metric}"))


@dataclass(frozen=True, slots=True, kw_only=True)
class BudgetLine:
    """One limit of a budget and how much of it is used."""

    field: str
    period: str
    metric: str
    limit: float
    used: float

    @property
    def ratio(self) -> float:
        return self.used / self.limit

    def as_warning(self, soft_ratio: float) -> dict[str, Any]:
        return {
            "budget": self.field,
            "period": self.period,
            "used": round(self.used, 6),
            "limit": self.limit,
            "ratio": round(self.ratio, 4),
            "soft_ratio": soft_ratio,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Budget:
    """A tenant's limits by settings field (only the ones it set), and its soft ratio."""

    limits: Mapping[str, float]
    soft_ratio: float = DEFAULT_SOFT_RATIO

    @classmethod
    def from_settings(cls, value: Any) -> Budget | None:
        """The budget of a validated ``settings["budget"]``; None when it limits nothing."""
        if not isinstance(value, Mapping):
            return None
        limits = {f: float(value[f]) for f, _, _ in BUDGET_FIELDS if value.get(f) is not None}
        if not limits:
            return None
        return cls(limits=limits, soft_ratio=float(value.get("soft_ratio", DEFAULT_SOFT_RATIO)))

    def lines(self, totals: UsageTotals) -> list[BudgetLine]:
        return [
            BudgetLine(
                field=name,
                period=period,
                metric=metric,
                limit=self.limits[name],
                used=totals.used(period, metric),
            )
            for name, period, metric in BUDGET_FIELDS
            if name in self.limits
        ]

    def spent(self, totals: UsageTotals) -> list[BudgetLine]:
        """The limits that usage has reached (empty: the budget still admits turns)."""
        return [line for line in self.lines(totals) if line.used >= line.limit]

    def warning(self, totals: UsageTotals) -> dict[str, Any] | None:
        """The most used limit at or past ``soft_ratio``, as ``metadata.budget_warning``."""
        lines = [line for line in self.lines(totals) if line.ratio >= self.soft_ratio]
        if not lines:
            return None
        return max(lines, key=lambda line: line.ratio).as_warning(self.soft_ratio)


def budget_errors(value: Any) -> list[FieldError]:
    """Field errors of a tenant's ``settings["budget"]`` (absent is fine)."""
    if value is None:
        return []
    if not isinstance(value, Mapping):
        return [FieldError("settings.budget", "must be an object")]
    errors: list[FieldError] = []
    known = {f for f, _, _ in BUDGET_FIELDS}
    for key, number in value.items():
        where = f"settings.budget.{key}"
        numeric = isinstance(number, int | float) and not isinstance(number, bool)
        if key in known:
            if number is not None and (not numeric or number <= 0 or number > 1e12):
                errors.append(FieldError(where, "must be a positive number (or null: unlimited)"))
            elif key.endswith("_tokens") and number is not None and not isinstance(number, int):
                errors.append(FieldError(where, "must be a whole number of tokens"))
        elif key == "soft_ratio":
            if not numeric or not 0 < number <= 1:
                errors.append(FieldError(where, "must be above 0 and at most 1"))
        else:
            errors.append(FieldError(where, "unknown field"))
    return errors
