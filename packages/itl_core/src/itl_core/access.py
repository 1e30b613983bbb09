"""Who is acting, and the rules that decide which tenant and which role an action needs.

Every use case receives a ``Principal`` built from a verified token; none reads a tenant from
a request body. A resource of another tenant is reported as ``NotFound``, never as
``PermissionDenied``, so ids of other tenants cannot be probed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from itl_core.errors import NotFound, PermissionDenied, ValidationFailed


class Role(enum.StrEnum):
    PLATFORM_ADMIN = "platform_admin"
    TENANT_ADMIN = "tenant_admin"
    OPERATOR = "operator"
    MEMBER = "member"


@dataclass(frozen=True, slots=True, kw_only=True)
class Principal:
    """An authenticated user: ``tenant_id`` is None only for platform admins."""

    user_id: str
    tenant_id: str | None
    role: Role

    @property
    def is_platform_admin(self) -> bool:
        return self.role is Role.PLATFORM_ADMIN


def require_role(principal: Principal, *roles: Role) -> None:
    if principal.role not in roles:
        raise PermissionDenied()


def target_tenant(principal: Principal, requested: str | None) -> str:
    """The tenant an admin action applies to.

    Tenant users act on their own tenant; naming another one answers ``NotFound``. Platform
    admins have no tenant of their own and must name one.
    """
    if principal.is_platform_admin:
        if not requested:
            raise ValidationFailed.single("tenant_id", "platform admins must name the tenant")
        return requested
    if principal.tenant_id is None:
        raise PermissionDenied()  # a tenant role without a tenant: never issued, never trusted
    if requested is not None and requested != principal.tenant_id:
        raise NotFound()
    return principal.tenant_id
