"""Request rate limits: route classes, their per-layer limits, and a tenant's overrides.

Every route belongs to one route class (``api`` unless its handler says otherwise). A request
of class ``c`` counts against up to three limits of ``c``, all decided in one limiter call:

- ``tenant``: all requests of the tenant (from a verified token), so one tenant cannot starve
  the others;
- ``actor``: the signed-in user or widget visitor, so one abusive visitor cannot exhaust the
  tenant's share;
- ``ip``: the client address (under the tenant when one is known; alone for anonymous calls).

A tenant overrides any of these in ``settings["limits"]``, e.g.
``{"chat": {"actor": 10, "period_seconds": 60}}``; what it leaves out keeps the default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from itl_core.errors import FieldError
from itl_core.ratelimit import Limit

# api: reads and admin writes; chat: a model call each (the expensive class); auth: sign-in and
# token refresh, anonymous, so limited per IP only (the Login use case adds per-account limits).
ROUTE_CLASSES = ("api", "chat", "auth")
LAYERS = ("tenant", "actor", "ip")
MAX_COUNT = 1_000_000
MAX_PERIOD = 86_400.0


@dataclass(frozen=True, slots=True, kw_only=True)
class RateClass:
    """Requests per ``period_seconds`` per layer; None leaves that layer unlimited."""

    tenant: int | None = None
    actor: int | None = None
    ip: int | None = None
    period_seconds: float = 60.0


def _default_classes() -> dict[str, RateClass]:
    return {
        "api": RateClass(tenant=3_000, actor=600, ip=1_200),
        "chat": RateClass(tenant=600, actor=30, ip=120),
        "auth": RateClass(ip=120),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class RatePolicy:
    """The limits of every route class (see the module docstring and README)."""

    classes: Mapping[str, RateClass] = field(default_factory=_default_classes)

    def rate_class(self, name: str) -> RateClass:
        return self.classes.get(name) or self.classes["api"]

    def with_overrides(self, overrides: Mapping[str, Any] | None) -> RatePolicy:
        """This policy with a tenant's (already validated) ``settings["limits"]`` on top."""
        if not overrides:
            return self
        classes = dict(self.classes)
        for name, values in overrides.items():
            if name in classes and isinstance(values, Mapping):
                fields = {k: v for k, v in values.items() if k in (*LAYERS, "period_seconds")}
                classes[name] = replace(classes[name], **fields)
        return RatePolicy(classes=classes)


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestSubject:
    """Who sends a request of ``route_class``; ids come from a verified token, or are None."""

    route_class: str
    ip: str
    tenant_id: str | None = None
    user_id: str | None = None
    visitor_id: str | None = None


def request_limits(policy: RatePolicy, subject: RequestSubject) -> list[Limit]:
    """The limits one request counts against; keys carry the tenant when there is one."""
    name = subject.route_class if subject.route_class in policy.classes else "api"
    rc = policy.rate_class(name)
    scope = f"t:{subject.tenant_id}:rl:{name}" if subject.tenant_id else f"rl:{name}"
    actor = (
        f"u:{subject.user_id}"
        if subject.user_id
        else f"v:{subject.visitor_id}"
        if subject.visitor_id
        else None
    )
    wanted = [
        (rc.tenant if subject.tenant_id else None, f"{scope}:tenant"),
        (rc.actor if actor else None, f"{scope}:{actor}"),
        (rc.ip, f"{scope}:ip:{subject.ip}"),
    ]
    return [
        Limit(key=key, limit=count, period_seconds=rc.period_seconds)
        for count, key in wanted
        if count is not None
    ]


def limits_errors(value: Any) -> list[FieldError]:
    """Field errors of a tenant's ``settings["limits"]`` (absent is fine)."""
    if value is None:
        return []
    if not isinstance(value, Mapping):
        return [FieldError("settings.limits", "must be an object of route classes")]
    errors: list[FieldError] = []
    for name, values in value.items():
        where = f"settings.limits.{name}"
        if name not in ROUTE_CLASSES:
            errors.append(FieldError(where, f"unknown route class; use {', '.join(ROUTE_CLASSES)}"))
            continue
        if not isinstance(values, Mapping):
            errors.append(FieldError(where, "must be an object"))
            continue
        for key, number in values.items():
            if key in LAYERS:
                if not _is_int(number) or not 1 <= number <= MAX_COUNT:
                    errors.append(FieldError(f"{where}.{key}", f"must be 1 to {MAX_COUNT}"))
            elif key == "period_seconds":
                if not _is_number(number) or not 1 <= number <= MAX_PERIOD:
                    errors.append(FieldError(f"{where}.{key}", "must be 1 to 86400 seconds"))
            else:
                errors.append(FieldError(f"{where}.{key}", "unknown field"))
    return errors


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
