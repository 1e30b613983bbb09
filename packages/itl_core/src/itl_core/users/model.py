"""The user aggregate and its invariants."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from itl_core.access import Principal, Role
from itl_core.errors import FieldError

EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s.]{1,63}$")
MIN_PASSWORD = 10
MAX_PASSWORD = 256


@dataclass(frozen=True, slots=True, kw_only=True)
class User:
    id: str
    tenant_id: str | None
    email: str
    role: Role
    password_hash: str
    is_active: bool
    created_at: datetime
    updated_at: datetime

    def principal(self) -> Principal:
        return Principal(user_id=self.id, tenant_id=self.tenant_id, role=self.role)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def email_errors(email: str) -> list[FieldError]:
    if len(email) > 320 or not EMAIL_RE.fullmatch(email):
        return [FieldError("email", "must be an email address")]
    return []


def password_errors(password: str) -> list[FieldError]:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        return [FieldError("password", f"must be {MIN_PASSWORD} to {MAX_PASSWORD} characters")]
    return []


def role_errors(role: Role, tenant_id: str | None) -> list[FieldError]:
    """Platform admins belong to no tenant; every other role belongs to exactly one."""
    if role is Role.PLATFORM_ADMIN and tenant_id is not None:
        return [FieldError("tenant_id", "platform admins belong to no tenant")]
    if role is not Role.PLATFORM_ADMIN and tenant_id is None:
        return [FieldError("tenant_id", "is required for this role")]
    return []
