"""A clock that only moves when a test moves it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["FakeClock"]

_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


class FakeClock:
    """``Clock`` that stands still until ``advance`` or ``set``; starts at 2025-01-01 UTC."""

    def __init__(self, start: datetime = _EPOCH) -> None:
        self._now = _aware(start)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> datetime:
        """Move forward (or back, with a negative value) and return the new time."""
        self._now += timedelta(seconds=seconds)
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = _aware(moment)


def _aware(moment: datetime) -> datetime:
    # A naive datetime would silently compare wrong against the aware ones the core stores.
    if moment.tzinfo is None:
        raise ValueError("FakeClock needs an aware datetime")
    return moment.astimezone(UTC)
