"""PostgreSQL refresh-token store.

``spend`` is one conditional UPDATE, so of two concurrent spends of the same token exactly one
wins; the loser sees the row already spent and reports a replay. Spending and family revocation
run in the platform scope because a presented token names no tenant.
"""

from __future__ import annotations

from datetime import datetime

from itl_core.auth.model import RefreshTokenRecord, SpendOutcome, SpendResult

from itl_adapters.postgres._sql import Row, execute, fetch_one
from itl_adapters.postgres.database import Database
from itl_adapters.postgres.users import scope_of

_COLUMNS = (
    "id, family_id, user_id, tenant_id, token_hash, created_at, expires_at, spent_at, revoked_at"
)


def _record(row: Row) -> RefreshTokenRecord:
    return RefreshTokenRecord(**row)


class PgRefreshTokenRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, record: RefreshTokenRecord) -> None:
        async with scope_of(self._db, record.tenant_id) as conn:
            await execute(
                conn,
                f"INSERT INTO refresh_tokens ({_COLUMNS})"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    record.id,
                    record.family_id,
                    record.user_id,
                    record.tenant_id,
                    record.token_hash,
                    record.created_at,
                    record.expires_at,
                    record.spent_at,
                    record.revoked_at,
                ],
            )

    async def spend(self, token_hash: str, now: datetime) -> SpendResult:
        async with self._db.platform() as conn:
            row = await fetch_one(
                conn,
                "UPDATE refresh_tokens SET spent_at = %s WHERE token_hash = %s"
                f" AND spent_at IS NULL AND revoked_at IS NULL RETURNING {_COLUMNS}",
                [now, token_hash],
            )
            if row is not None:
                return SpendResult(outcome=SpendOutcome.SPENT, record=_record(row))
            row = await fetch_one(
                conn, f"SELECT {_COLUMNS} FROM refresh_tokens WHERE token_hash = %s", [token_hash]
            )
        if row is None:
            return SpendResult(outcome=SpendOutcome.UNKNOWN)
        return SpendResult(outcome=SpendOutcome.REPLAYED, record=_record(row))

    async def revoke_family(self, family_id: str, now: datetime) -> None:
        async with self._db.platform() as conn:
            await execute(
                conn,
                "UPDATE refresh_tokens SET revoked_at = %s"
                " WHERE family_id = %s AND revoked_at IS NULL",
                [now, family_id],
            )
