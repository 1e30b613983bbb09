"""Predictable identifiers for tests."""

from __future__ import annotations

import itertools
import uuid

__all__ = ["SequentialIds"]


class SequentialIds:
    """``IdGenerator`` returning valid UUID strings that count up: ...-000000000001, -2, ...

    They are real UUIDs (PostgreSQL ``uuid`` columns accept them) yet readable in assertions.
    """

    def __init__(self, start: int = 1) -> None:
        self._counter = itertools.count(start)

    def new_id(self) -> str:
        return str(uuid.UUID(int=next(self._counter)))
