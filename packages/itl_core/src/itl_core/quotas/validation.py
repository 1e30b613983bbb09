"""Validation of the quota members of a tenant's settings (``limits`` and ``budget``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from itl_core.errors import FieldError
from itl_core.quotas.budget import budget_errors
from itl_core.quotas.limits import limits_errors


def quota_errors(settings: Mapping[str, Any]) -> list[FieldError]:
    """Field errors of ``settings["limits"]`` and ``settings["budget"]`` (both optional)."""
    return limits_errors(settings.get("limits")) + budget_errors(settings.get("budget"))
