"""In-memory provider keys, with the contract of ``itl_adapters.postgres.provider_keys``."""

from __future__ import annotations

from itl_core.provider_keys.model import ProviderKey

from itl_adapters.memory.store import MemoryStore

__all__ = ["MemoryProviderKeyRepository"]


class MemoryProviderKeyRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def get(self, tenant_id: str, provider: str) -> ProviderKey | None:
        return self._store.provider_keys.get((tenant_id, provider))

    async def list(self, tenant_id: str) -> list[ProviderKey]:
        keys = [k for k in self._store.provider_keys.values() if k.tenant_id == tenant_id]
        return sorted(keys, key=lambda k: k.provider)

    async def save(self, key: ProviderKey) -> None:
        self._store.require_tenant(key.tenant_id)
        self._store.provider_keys[(key.tenant_id, key.provider)] = key

    async def delete(self, tenant_id: str, provider: str) -> bool:
        return self._store.provider_keys.pop((tenant_id, provider), None) is not None
