"""Tenant admins manage their tenant's provider keys (platform admins name the tenant).

A key is sealed with the ``SecretBox`` bound to ``secret_context(tenant, "provider_key",
provider)`` before it reaches the repository, and nothing here ever returns or logs it: the
answers carry only the provider, the last four characters and the time of the change. The one
place a key is opened again is the model resolver, when it builds a provider adapter.
"""

from __future__ import annotations

from dataclasses import dataclass

from itl_core.access import Principal, Role, require_role, target_tenant
from itl_core.clock import Clock
from itl_core.errors import NotFound, ValidationFailed
from itl_core.provider_keys.model import (
    ProviderKey,
    ProviderKeySummary,
    api_key_errors,
    provider_errors,
)
from itl_core.provider_keys.ports import ProviderKeyRepository
from itl_core.security.ports import SecretBox, secret_context

ADMINS = (Role.PLATFORM_ADMIN, Role.TENANT_ADMIN)


@dataclass(frozen=True, slots=True, kw_only=True)
class PutProviderKeyRequest:
    principal: Principal
    tenant_id: str | None
    provider: str
    api_key: str

    def __repr__(self) -> str:  # a request object may end up in a log line: never the key
        return f"PutProviderKeyRequest(tenant_id={self.tenant_id!r}, provider={self.provider!r})"


class ListProviderKeys:
    def __init__(self, keys: ProviderKeyRepository) -> None:
        self._keys = keys

    async def execute(
        self, principal: Principal, tenant_id: str | None = None
    ) -> list[ProviderKeySummary]:
        require_role(principal, *ADMINS)
        return [
            ProviderKeySummary.of(k)
            for k in await self._keys.list(target_tenant(principal, tenant_id))
        ]


class PutProviderKey:
    def __init__(self, keys: ProviderKeyRepository, box: SecretBox, clock: Clock) -> None:
        self._keys, self._box, self._clock = keys, box, clock

    async def execute(self, request: PutProviderKeyRequest) -> ProviderKeySummary:
        require_role(request.principal, *ADMINS)
        tenant_id = target_tenant(request.principal, request.tenant_id)
        api_key = request.api_key.strip()
        errors = provider_errors(request.provider) + api_key_errors(api_key)
        if errors:
            raise ValidationFailed(errors)
        key = ProviderKey(
            tenant_id=tenant_id,
            provider=request.provider,
            sealed_key=self._box.seal(
                api_key, context=secret_context(tenant_id, "provider_key", request.provider)
            ),
            last4=api_key[-4:],
            updated_at=self._clock.now(),
        )
        await self._keys.save(key)
        return ProviderKeySummary.of(key)


class DeleteProviderKey:
    def __init__(self, keys: ProviderKeyRepository) -> None:
        self._keys = keys

    async def execute(
        self, principal: Principal, provider: str, tenant_id: str | None = None
    ) -> None:
        require_role(principal, *ADMINS)
        if not await self._keys.delete(target_tenant(principal, tenant_id), provider):
            raise NotFound("The tenant has no key for this provider.")
