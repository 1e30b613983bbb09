"""Tenant repository port."""

from __future__ import annotations

from typing import Protocol

from itl_core.pagination import Page, PageRequest
from itl_core.tenants.model import Tenant


class TenantRepository(Protocol):
    """Platform-level store of tenants; ``add`` raises Conflict when the id is taken."""

    async def get(self, tenant_id: str) -> Tenant | None: ...

    async def list(self, page: PageRequest) -> Page[Tenant]: ...

    async def add(self, tenant: Tenant) -> None: ...

    async def update(self, tenant: Tenant) -> None: ...

    async def delete(self, tenant_id: str) -> bool:
        """Delete the tenant and everything it owns; False when it did not exist."""
        ...
