"""PostgreSQL provider keys: one sealed row per (tenant, provider), saved by upsert.

Every query runs in the tenant's own RLS scope; ``itl keys rotate`` re-encrypts the same rows
(``secrets.rotate_sealed_secrets``).
"""

from __future__ import annotations

from itl_core.provider_keys.model import ProviderKey

from itl_adapters.postgres._sql import Row, execute, fetch_all, fetch_one
from itl_adapters.postgres.database import Database

__all__ = ["PgProviderKeyRepository"]

_COLUMNS = "tenant_id, provider, ciphertext, last4, updated_at"


def _key(row: Row) -> ProviderKey:
    return ProviderKey(
        tenant_id=row["tenant_id"],
        provider=row["provider"],
        sealed_key=bytes(row["ciphertext"]),
        last4=row["last4"],
        updated_at=row["updated_at"],
    )


class PgProviderKeyRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, tenant_id: str, provider: str) -> ProviderKey | None:
        async with self._db.tenant(tenant_id) as conn:
            row = await fetch_one(
                conn,
                f"SELECT {_COLUMNS} FROM provider_keys WHERE tenant_id = %s AND provider = %s",
                [tenant_id, provider],
            )
        return _key(row) if row else None

    async def list(self, tenant_id: str) -> list[ProviderKey]:
        async with self._db.tenant(tenant_id) as conn:
            rows = await fetch_all(
                conn,
                f"SELECT {_COLUMNS} FROM provider_keys WHERE tenant_id = %s ORDER BY provider",
                [tenant_id],
            )
        return [_key(r) for r in rows]

    async def save(self, key: ProviderKey) -> None:
        async with self._db.tenant(key.tenant_id) as conn:
            await execute(
                conn,
                f"INSERT INTO provider_keys ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s)"
                " ON CONFLICT (tenant_id, provider) DO UPDATE SET ciphertext = excluded.ciphertext,"
                " last4 = excluded.last4, updated_at = excluded.updated_at",
                [key.tenant_id, key.provider, key.sealed_key, key.last4, key.updated_at],
            )

    async def delete(self, tenant_id: str, provider: str) -> bool:
        async with self._db.tenant(tenant_id) as conn:
            deleted = await execute(
                conn,
                "DELETE FROM provider_keys WHERE tenant_id = %s AND provider = %s",
                [tenant_id, provider],
            )
        return deleted > 0
