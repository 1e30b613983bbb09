"""``itl keys rotate``: re-encrypt every sealed secret under the newest key of the ring.

Each tenant is rotated in its own tenant-scoped transaction, so RLS still applies and a
failure leaves other tenants' rows untouched. Contexts come from ``secret_context``, the same
function the writers use, so a rotated ciphertext still opens where it belongs.
"""

from __future__ import annotations

import base64

from itl_core.security.ports import SecretBox, secret_context
from psycopg import AsyncConnection
from psycopg.types.json import Jsonb

from itl_adapters.postgres.database import Database

__all__ = ["rotate_sealed_secrets"]


async def rotate_sealed_secrets(db: Database, box: SecretBox) -> int:
    """Rotate provider keys, tool secrets and widget identity secrets; return how many."""
    async with db.platform() as conn:
        cur = await conn.execute("SELECT id FROM tenants ORDER BY id")
        tenant_ids = [row[0] for row in await cur.fetchall()]
    count = 0
    for tenant_id in tenant_ids:
        async with db.tenant(tenant_id) as conn:
            count += await _provider_keys(conn, box, tenant_id)
            count += await _tool_secrets(conn, box, tenant_id)
            count += await _widget_secret(conn, box, tenant_id)
    return count


async def _provider_keys(conn: AsyncConnection, box: SecretBox, tenant_id: str) -> int:
    cur = await conn.execute("SELECT provider, ciphertext FROM provider_keys FOR UPDATE")
    rows = await cur.fetchall()
    for provider, ciphertext in rows:
        rotated = box.rotate(
            bytes(ciphertext), context=secret_context(tenant_id, "provider_key", provider)
        )
        await conn.execute(
            "UPDATE provider_keys SET ciphertext = %s WHERE provider = %s", [rotated, provider]
        )
    return len(rows)


async def _tool_secrets(conn: AsyncConnection, box: SecretBox, tenant_id: str) -> int:
    cur = await conn.execute("SELECT id, sealed_secrets FROM tool_specs FOR UPDATE")
    count = 0
    for tool_id, sealed in await cur.fetchall():
        if not sealed:
            continue
        rotated = {
            name: base64.b64encode(
                box.rotate(
                    base64.b64decode(value),
                    context=secret_context(tenant_id, "tool", str(tool_id), name),
                )
            ).decode("ascii")
            for name, value in sealed.items()
        }
        await conn.execute(
            "UPDATE tool_specs SET sealed_secrets = %s WHERE id = %s", [Jsonb(rotated), tool_id]
        )
        count += len(rotated)
    return count


async def _widget_secret(conn: AsyncConnection, box: SecretBox, tenant_id: str) -> int:
    cur = await conn.execute(
        "SELECT sealed_identity_secret FROM widget_configs"
        " WHERE sealed_identity_secret IS NOT NULL FOR UPDATE"
    )
    row = await cur.fetchone()
    if row is None:
        return 0
    rotated = box.rotate(bytes(row[0]), context=secret_context(tenant_id, "widget_identity"))
    await conn.execute("UPDATE widget_configs SET sealed_identity_secret = %s", [rotated])
    return 1
