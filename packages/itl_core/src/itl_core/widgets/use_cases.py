"""Widget administration: tenant admins write the configuration and rotate the identity secret.

A tenant with no saved configuration has the defaults of ``WidgetConfig`` and no allowed
origins, so its widget cannot be embedded or called anywhere until an admin says where.
The identity secret is sealed at rest under ``secret_context(tenant, "widget_identity")`` (the
context ``itl keys rotate`` re-encrypts) and shown only once, when it is rotated.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from itl_core.access import Principal, Role, require_role, target_tenant
from itl_core.clock import Clock
from itl_core.errors import FieldError, NotFound, ValidationFailed
from itl_core.security.ports import SecretBox, secret_context
from itl_core.tenants.ports import TenantRepository
from itl_core.widgets.model import POSITIONS, WidgetConfig, origin_errors
from itl_core.widgets.ports import WidgetConfigRepository

READERS = (Role.PLATFORM_ADMIN, Role.TENANT_ADMIN, Role.OPERATOR)
WRITERS = (Role.PLATFORM_ADMIN, Role.TENANT_ADMIN)
THEME_KEYS = frozenset({"primary_color", "background_color", "text_color"})
COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
IDENTITY_PURPOSE = "widget_identity"
MAX_ORIGINS, MAX_PROMPTS, MAX_PROMPT, MAX_TITLE, MAX_WELCOME = 50, 6, 200, 100, 1000


def identity_context(tenant_id: str) -> str:
    return secret_context(tenant_id, IDENTITY_PURPOSE)


@dataclass(frozen=True, slots=True, kw_only=True)
class WidgetDraft:
    """Every field an admin edits (PUT replaces them all)."""

    title: str
    welcome_message: str
    theme: Mapping[str, str]
    position: str
    starter_prompts: tuple[str, ...]
    allowed_origins: tuple[str, ...]


def draft_errors(draft: WidgetDraft) -> list[FieldError]:
    errors = origin_errors(draft.allowed_origins)
    if len(draft.allowed_origins) > MAX_ORIGINS:
        errors.append(FieldError("allowed_origins", f"at most {MAX_ORIGINS} origins"))
    if not 1 <= len(draft.title.strip()) <= MAX_TITLE:
        errors.append(FieldError("title", f"must be 1 to {MAX_TITLE} characters"))
    if len(draft.welcome_message) > MAX_WELCOME:
        errors.append(FieldError("welcome_message", f"at most {MAX_WELCOME} characters"))
    if draft.position not in POSITIONS:
        errors.append(FieldError("position", f"must be one of {', '.join(POSITIONS)}"))
    if len(draft.starter_prompts) > MAX_PROMPTS or not all(
        1 <= len(p.strip()) <= MAX_PROMPT for p in draft.starter_prompts
    ):
        errors.append(
            FieldError(
                "starter_prompts", f"at most {MAX_PROMPTS}, each 1 to {MAX_PROMPT} characters"
            )
        )
    for key, value in draft.theme.items():
        # Colours only: theme values end up in the iframe's CSS, so nothing else may pass.
        if key not in THEME_KEYS:
            errors.append(
                FieldError(f"theme.{key}", f"unknown; use {', '.join(sorted(THEME_KEYS))}")
            )
        elif not COLOR_RE.fullmatch(value):
            errors.append(FieldError(f"theme.{key}", "must be a #rgb or #rrggbb colour"))
    return errors


class _Configs:
    """Loads a tenant's configuration (or its defaults) after the role and tenant checks."""

    def __init__(self, configs: WidgetConfigRepository, tenants: TenantRepository, clock: Clock):
        self.configs, self._tenants, self._clock = configs, tenants, clock

    async def load(
        self, principal: Principal, tenant_id: str | None, roles: tuple[Role, ...]
    ) -> WidgetConfig:
        require_role(principal, *roles)
        tenant = target_tenant(principal, tenant_id)
        if (config := await self.configs.get(tenant)) is not None:
            return config
        if await self._tenants.get(tenant) is None:
            raise NotFound("The tenant does not exist.")
        return WidgetConfig(tenant_id=tenant, updated_at=self._clock.now())

    def now(self) -> datetime:
        return self._clock.now()


class GetWidgetConfig:
    def __init__(self, widgets: WidgetConfigRepository, tenants: TenantRepository, clock: Clock):
        self._configs = _Configs(widgets, tenants, clock)

    async def execute(self, principal: Principal, tenant_id: str | None = None) -> WidgetConfig:
        return await self._configs.load(principal, tenant_id, READERS)


class UpdateWidgetConfig:
    def __init__(self, widgets: WidgetConfigRepository, tenants: TenantRepository, clock: Clock):
        self._configs = _Configs(widgets, tenants, clock)

    async def execute(
        self, principal: Principal, draft: WidgetDraft, tenant_id: str | None = None
    ) -> WidgetConfig:
        current = await self._configs.load(principal, tenant_id, WRITERS)
        if errors := draft_errors(draft):
            raise ValidationFailed(errors)
        updated = replace(
            current,
            title=draft.title.strip(),
            welcome_message=draft.welcome_message,
            theme=dict(draft.theme),
            position=draft.position,
            starter_prompts=tuple(p.strip() for p in draft.starter_prompts),
            allowed_origins=tuple(dict.fromkeys(draft.allowed_origins)),
            updated_at=self._configs.now(),
        )
        await self._configs.configs.save(updated)
        return updated


@dataclass(frozen=True, slots=True, kw_only=True)
class RotatedSecret:
    secret: str
    config: WidgetConfig


class RotateIdentitySecret:
    """Replaces the identity secret; the plaintext is returned here and never again."""

    def __init__(
        self,
        widgets: WidgetConfigRepository,
        tenants: TenantRepository,
        clock: Clock,
        box: SecretBox,
    ):
        self._configs, self._box = _Configs(widgets, tenants, clock), box

    async def execute(self, principal: Principal, tenant_id: str | None = None) -> RotatedSecret:
        current = await self._configs.load(principal, tenant_id, WRITERS)
        secret = secrets.token_urlsafe(32)
        sealed = self._box.seal(secret, context=identity_context(current.tenant_id))
        updated = replace(current, sealed_identity_secret=sealed, updated_at=self._configs.now())
        await self._configs.configs.save(updated)
        return RotatedSecret(secret=secret, config=updated)
