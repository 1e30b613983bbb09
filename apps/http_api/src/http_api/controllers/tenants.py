"""Tenant administration (platform admins)."""

from __future__ import annotations

import msgspec
from itl_core.access import Principal
from itl_core.pagination import PageRequest
from itl_core.tenants.use_cases import (
    CreateTenant,
    CreateTenantRequest,
    DeleteTenant,
    GetTenant,
    ListTenants,
    UpdateTenant,
    UpdateTenantRequest,
)
from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from http_api.dto.tenants import TenantIn, TenantOut, TenantPageOut, TenantPatchIn


class TenantController(Controller):
    path = "/api/admin/tenants"
    tags = ["tenants"]
    security = [{"BearerToken": []}]

    @get("/", operation_id="listTenants")
    async def list_tenants(
        self,
        principal: NamedDependency[Principal],
        list_tenants: NamedDependency[ListTenants],
        limit: FromQuery[int | None] = None,
        cursor: FromQuery[str | None] = None,
    ) -> TenantPageOut:
        page = await list_tenants.execute(principal, PageRequest.parse(limit, cursor))
        return TenantPageOut(
            items=[TenantOut.of(t) for t in page.items], next_cursor=page.next_cursor
        )

    @post("/", operation_id="createTenant")
    async def create_tenant(
        self,
        data: JSONBody[TenantIn],
        principal: NamedDependency[Principal],
        create_tenant: NamedDependency[CreateTenant],
    ) -> TenantOut:
        tenant = await create_tenant.execute(
            CreateTenantRequest(
                principal=principal, id=data.id, name=data.name, settings=data.settings
            )
        )
        return TenantOut.of(tenant)

    @get("/{tenant_id:str}", operation_id="getTenant")
    async def get_tenant(
        self,
        tenant_id: FromPath[str],
        principal: NamedDependency[Principal],
        get_tenant: NamedDependency[GetTenant],
    ) -> TenantOut:
        return TenantOut.of(await get_tenant.execute(principal, tenant_id))

    @patch("/{tenant_id:str}", operation_id="updateTenant")
    async def update_tenant(
        self,
        tenant_id: FromPath[str],
        data: JSONBody[TenantPatchIn],
        principal: NamedDependency[Principal],
        update_tenant: NamedDependency[UpdateTenant],
    ) -> TenantOut:
        tenant = await update_tenant.execute(
            UpdateTenantRequest(
                principal=principal,
                tenant_id=tenant_id,
                name=None if data.name is msgspec.UNSET else data.name,
                settings=None if data.settings is msgspec.UNSET else data.settings,
            )
        )
        return TenantOut.of(tenant)

    @delete("/{tenant_id:str}", operation_id="deleteTenant")
    async def delete_tenant(
        self,
        tenant_id: FromPath[str],
        principal: NamedDependency[Principal],
        delete_tenant: NamedDependency[DeleteTenant],
    ) -> None:
        await delete_tenant.execute(principal, tenant_id)
