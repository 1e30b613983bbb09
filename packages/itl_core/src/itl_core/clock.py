"""Clock port."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """Returns the current time as an aware UTC datetime; monotonic enough for expiries."""

    def now(self) -> datetime: ...
