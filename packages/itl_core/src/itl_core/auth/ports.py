"""Refresh-token store port."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from itl_core.auth.model import RefreshTokenRecord, SpendResult


class RefreshTokenRepository(Protocol):
    """Stores hashed refresh tokens; ``spend`` is atomic, so one token is spent at most once."""

    async def add(self, record: RefreshTokenRecord) -> None: ...

    async def spend(self, token_hash: str, now: datetime) -> SpendResult: ...

    async def revoke_family(self, family_id: str, now: datetime) -> None: ...
