"""Tenant administration: platform admins only.

A tenant's ``settings.embedding_model`` must name an available embedding model; setting it to
another model than the active one queues the re-embedding of the tenant's knowledge (see
``itl_core.knowledge.embedding``) when the use case is given the ``ReembedScheduler``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from itl_core.access import Principal, Role, require_role
from itl_core.clock import Clock
from itl_core.errors import Conflict, NotFound, ValidationFailed
from itl_core.knowledge.embedding import ReembedScheduler
from itl_core.pagination import Page, PageRequest
from itl_core.tenants.model import Tenant, tenant_errors
from itl_core.tenants.ports import TenantRepository


@dataclass(frozen=True, slots=True, kw_only=True)
class CreateTenantRequest:
    principal: Principal
    id: str
    name: str
    settings: Mapping[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateTenantRequest:
    principal: Principal
    tenant_id: str
    name: str | None = None
    settings: Mapping[str, Any] | None = None


class CreateTenant:
    def __init__(
        self,
        tenants: TenantRepository,
        clock: Clock,
        embedding: ReembedScheduler | None = None,
    ) -> None:
        self._tenants = tenants
        self._clock = clock
        self._embedding = embedding

    async def execute(self, request: CreateTenantRequest) -> Tenant:
        require_role(request.principal, Role.PLATFORM_ADMIN)
        errors = tenant_errors(id=request.id, name=request.name, settings=request.settings)
        if self._embedding is not None:
            errors += self._embedding.errors(request.settings)
        if errors:
            raise ValidationFailed(errors)
        if await self._tenants.get(request.id) is not None:
            raise Conflict(f"Tenant '{request.id}' already exists.")
        now = self._clock.now()
        tenant = Tenant(
            id=request.id,
            name=request.name.strip(),
            settings=dict(request.settings),
            created_at=now,
            updated_at=now,
        )
        await self._tenants.add(tenant)
        if self._embedding is not None:
            await self._embedding.schedule(tenant)
        return tenant


class GetTenant:
    def __init__(self, tenants: TenantRepository) -> None:
        self._tenants = tenants

    async def execute(self, principal: Principal, tenant_id: str) -> Tenant:
        require_role(principal, Role.PLATFORM_ADMIN)
        tenant = await self._tenants.get(tenant_id)
        if tenant is None:
            raise NotFound(f"Tenant '{tenant_id}' does not exist.")
        return tenant


class ListTenants:
    def __init__(self, tenants: TenantRepository) -> None:
        self._tenants = tenants

    async def execute(self, principal: Principal, page: PageRequest) -> Page[Tenant]:
        require_role(principal, Role.PLATFORM_ADMIN)
        return await self._tenants.list(page)


class UpdateTenant:
    def __init__(
        self,
        tenants: TenantRepository,
        clock: Clock,
        embedding: ReembedScheduler | None = None,
    ) -> None:
        self._tenants = tenants
        self._clock = clock
        self._embedding = embedding

    async def execute(self, request: UpdateTenantRequest) -> Tenant:
        tenant = await GetTenant(self._tenants).execute(request.principal, request.tenant_id)
        errors = tenant_errors(name=request.name, settings=request.settings)
        if self._embedding is not None and request.settings is not None:
            errors += self._embedding.errors(request.settings)
        if errors:
            raise ValidationFailed(errors)
        updated = replace(
            tenant,
            name=request.name.strip() if request.name is not None else tenant.name,
            settings=dict(request.settings) if request.settings is not None else tenant.settings,
            updated_at=self._clock.now(),
        )
        await self._tenants.update(updated)
        if self._embedding is not None and request.settings is not None:
            await self._embedding.schedule(updated)
        return updated


class DeleteTenant:
    def __init__(self, tenants: TenantRepository) -> None:
        self._tenants = tenants

    async def execute(self, principal: Principal, tenant_id: str) -> None:
        require_role(principal, Role.PLATFORM_ADMIN)
        if not await self._tenants.delete(tenant_id):
            raise NotFound(f"Tenant '{tenant_id}' does not exist.")
