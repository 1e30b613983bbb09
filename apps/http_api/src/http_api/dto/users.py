"""User administration wire formats (passwords go in, never out)."""

from __future__ import annotations

import msgspec
from itl_core.access import Role

from http_api.dto.auth import UserOut
from http_api.dto.common import Email, Password, StrictIn


class UserIn(StrictIn):
    email: Email
    password: Password
    role: Role
    tenant_id: str | None = None


class UserPatchIn(StrictIn):
    email: Email | msgspec.UnsetType = msgspec.UNSET
    password: Password | msgspec.UnsetType = msgspec.UNSET
    role: Role | msgspec.UnsetType = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET


class UserPageOut(msgspec.Struct, kw_only=True):
    items: list[UserOut]
    next_cursor: str | None
