"""Provider key repository port."""

from __future__ import annotations

from typing import Protocol

from itl_core.provider_keys.model import ProviderKey


class ProviderKeyRepository(Protocol):
    """At most one sealed key per (tenant, provider); ``save`` inserts or replaces it."""

    async def get(self, tenant_id: str, provider: str) -> ProviderKey | None: ...

    async def list(self, tenant_id: str) -> list[ProviderKey]:
        """The tenant's keys, ordered by provider."""
        ...

    async def save(self, key: ProviderKey) -> None: ...

    async def delete(self, tenant_id: str, provider: str) -> bool: ...
