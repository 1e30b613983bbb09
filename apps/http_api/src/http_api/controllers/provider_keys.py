"""A tenant's model-provider keys (tenant admins; platform admins add ``?tenant_id=``).

Write-only: answers carry the provider, the last four characters and the time of the change.
"""

from __future__ import annotations

from itl_core.access import Principal
from itl_core.provider_keys.use_cases import (
    DeleteProviderKey,
    ListProviderKeys,
    PutProviderKey,
    PutProviderKeyRequest,
)
from litestar import Controller, delete, get, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from http_api.dto.common import TenantSlug
from http_api.dto.provider_keys import ProviderKeyIn, ProviderKeyListOut, ProviderKeyOut


class ProviderKeyController(Controller):
    path = "/api/admin/provider-keys"
    tags = ["provider-keys"]
    security = [{"BearerToken": []}]

    @get("/", operation_id="listProviderKeys")
    async def list_provider_keys(
        self,
        principal: NamedDependency[Principal],
        list_provider_keys: NamedDependency[ListProviderKeys],
        tenant_id: FromQuery[TenantSlug | None] = None,
    ) -> ProviderKeyListOut:
        keys = await list_provider_keys.execute(principal, tenant_id)
        return ProviderKeyListOut(items=[ProviderKeyOut.of(k) for k in keys])

    @put("/{provider:str}", operation_id="putProviderKey")
    async def put_provider_key(
        self,
        provider: FromPath[str],
        data: JSONBody[ProviderKeyIn],
        principal: NamedDependency[Principal],
        put_provider_key: NamedDependency[PutProviderKey],
        tenant_id: FromQuery[TenantSlug | None] = None,
    ) -> ProviderKeyOut:
        key = await put_provider_key.execute(
            PutProviderKeyRequest(
                principal=principal, tenant_id=tenant_id, provider=provider, api_key=data.api_key
            )
        )
        return ProviderKeyOut.of(key)

    @delete("/{provider:str}", operation_id="deleteProviderKey")
    async def delete_provider_key(
        self,
        provider: FromPath[str],
        principal: NamedDependency[Principal],
        delete_provider_key: NamedDependency[DeleteProviderKey],
        tenant_id: FromQuery[TenantSlug | None] = None,
    ) -> None:
        await delete_provider_key.execute(principal, provider, tenant_id)
