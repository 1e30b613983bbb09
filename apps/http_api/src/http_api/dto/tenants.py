"""Tenant wire formats."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from itl_core.tenants.model import Tenant

from http_api.dto.common import Name, StrictIn


class TenantIn(StrictIn):
    id: str
    name: Name
    settings: dict[str, Any] = msgspec.field(default_factory=dict)


class TenantPatchIn(StrictIn):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    settings: dict[str, Any] | msgspec.UnsetType = msgspec.UNSET


class TenantOut(msgspec.Struct, kw_only=True):
    id: str
    name: str
    settings: dict[str, Any]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, tenant: Tenant) -> TenantOut:
        return cls(
            id=tenant.id,
            name=tenant.name,
            settings=dict(tenant.settings),
            created_at=tenant.created_at,
            updated_at=tenant.updated_at,
        )


class TenantPageOut(msgspec.Struct, kw_only=True):
    items: list[TenantOut]
    next_cursor: str | None
