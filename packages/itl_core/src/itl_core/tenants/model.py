"""The tenant aggregate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from itl_core.errors import FieldError
from itl_core.ids import is_slug
from itl_core.quotas.validation import quota_errors
from itl_core.tools.egress import egress_allow_errors

MAX_NAME = 200


@dataclass(frozen=True, slots=True, kw_only=True)
class Tenant:
    id: str
    name: str
    settings: Mapping[str, Any] = field(default_factory=dict)
    created_at: datetime
    updated_at: datetime


def tenant_errors(
    *, id: str | None = None, name: str | None = None, settings: Mapping[str, Any] | None = None
) -> list[FieldError]:
    """Field errors of a tenant's id, name and settings (each checked only when given)."""
    errors = []
    if settings is not None:
        errors = [*egress_allow_errors(settings), *quota_errors(settings)]
    if id is not None and not is_slug(id):
        errors.append(FieldError("id", "must be a slug: a-z, 0-9 and inner dashes, 1-63 chars"))
    if name is not None and not 1 <= len(name.strip()) <= MAX_NAME:
        errors.append(FieldError("name", f"must be 1 to {MAX_NAME} characters"))
    return errors
