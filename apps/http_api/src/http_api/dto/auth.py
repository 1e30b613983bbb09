"""Auth wire formats."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from itl_core.auth.model import TokenPair
from itl_core.users.model import User

from http_api.dto.common import Email, Password, StrictIn


class LoginIn(StrictIn):
    email: Email
    password: Password


class RefreshIn(StrictIn):
    refresh_token: Annotated[str, msgspec.Meta(min_length=1, max_length=512)]


class UserOut(msgspec.Struct, kw_only=True):
    id: str
    email: str
    role: str
    tenant_id: str | None
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            id=user.id,
            email=user.email,
            role=user.role.value,
            tenant_id=user.tenant_id,
            is_active=user.is_active,
            created_at=user.created_at,
            updated_at=user.updated_at,
        )


class TokenOut(msgspec.Struct, kw_only=True):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    user: UserOut

    @classmethod
    def of(cls, pair: TokenPair) -> TokenOut:
        return cls(
            access_token=pair.access_token,
            refresh_token=pair.refresh_token,
            expires_in=pair.expires_in,
            user=UserOut.of(pair.user),
        )
