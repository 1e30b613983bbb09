"""``GetUsageReport``: a tenant's usage over a range of UTC days, for its admins and operators."""

from __future__ import annotations

from datetime import date, timedelta

from itl_core.access import Principal, Role, require_role, target_tenant
from itl_core.clock import Clock
from itl_core.errors import FieldError, ValidationFailed
from itl_core.usage.model import DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS, UsageRange, UsageReport
from itl_core.usage.ports import UsageReports

READERS = (Role.PLATFORM_ADMIN, Role.TENANT_ADMIN, Role.OPERATOR)


def _day(field: str, value: str | None) -> tuple[date | None, list[FieldError]]:
    if value is None:
        return None, []
    try:
        if len(value) != 10:  # fromisoformat also takes "20261126"; the contract is YYYY-MM-DD
            raise ValueError(value)
        return date.fromisoformat(value), []
    except ValueError:
        return None, [FieldError(field, "must be a date as YYYY-MM-DD")]


def usage_range(start: str | None, end: str | None, today: date) -> UsageRange:
    """The range asked for: ``end`` defaults to ``today``, ``start`` to ``DEFAULT_RANGE_DAYS``
    days ending at ``end``; refused (``ValidationFailed``) when reversed or too long."""
    first, errors = _day("from", start)
    last, end_errors = _day("to", end)
    errors += end_errors
    if errors:
        raise ValidationFailed(errors)
    last = last or today
    first = first or last - timedelta(days=DEFAULT_RANGE_DAYS - 1)
    if first > last:
        raise ValidationFailed.single("from", "must not be after to")
    chosen = UsageRange(start=first, end=last)
    if chosen.days > MAX_RANGE_DAYS:
        raise ValidationFailed.single("from", f"the range is at most {MAX_RANGE_DAYS} days")
    return chosen


class GetUsageReport:
    def __init__(self, *, reports: UsageReports, clock: Clock) -> None:
        self._reports, self._clock = reports, clock

    async def execute(
        self,
        principal: Principal,
        start: str | None = None,
        end: str | None = None,
        tenant_id: str | None = None,
    ) -> UsageReport:
        """``start``/``end``: UTC days as ``YYYY-MM-DD`` (both included), as the client sent."""
        require_role(principal, *READERS)
        tenant = target_tenant(principal, tenant_id)
        chosen = usage_range(start, end, self._clock.now().date())
        return UsageReport.of(chosen, await self._reports.buckets(tenant, chosen))
