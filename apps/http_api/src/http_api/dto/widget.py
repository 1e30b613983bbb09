"""Widget configuration wire formats (admin side)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from itl_core.widgets.model import WidgetConfig
from itl_core.widgets.use_cases import WidgetDraft

from http_api.dto.common import StrictIn

Short = Annotated[str, msgspec.Meta(max_length=300)]


class WidgetConfigIn(StrictIn):
    """PUT body: the whole configuration (omitted fields take their defaults)."""

    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    welcome_message: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    theme: Annotated[dict[Short, Short], msgspec.Meta(max_length=20)] = msgspec.field(
        default_factory=dict
    )
    position: Short = "bottom-right"
    starter_prompts: Annotated[list[Short], msgspec.Meta(max_length=20)] = msgspec.field(
        default_factory=list
    )
    allowed_origins: Annotated[list[Short], msgspec.Meta(max_length=100)] = msgspec.field(
        default_factory=list
    )

    def to_draft(self) -> WidgetDraft:
        return WidgetDraft(
            title=self.title,
            welcome_message=self.welcome_message,
            theme=dict(self.theme),
            position=self.position,
            starter_prompts=tuple(self.starter_prompts),
            allowed_origins=tuple(self.allowed_origins),
        )


class WidgetConfigOut(msgspec.Struct, kw_only=True):
    """The saved configuration, plus what an embed snippet needs: the tenant's id and the
    widget host's public base URL (``ITL_PUBLIC_WIDGET_URL``); neither is part of a PUT."""

    tenant_id: str
    widget_url: str
    title: str
    welcome_message: str
    theme: dict[str, str]
    position: str
    starter_prompts: list[str]
    allowed_origins: list[str]
    identity_secret_set: bool
    updated_at: datetime

    @classmethod
    def of(cls, config: WidgetConfig, widget_url: str) -> WidgetConfigOut:
        return cls(
            tenant_id=config.tenant_id,
            widget_url=widget_url,
            title=config.title,
            welcome_message=config.welcome_message,
            theme=dict(config.theme),
            position=config.position,
            starter_prompts=list(config.starter_prompts),
            allowed_origins=list(config.allowed_origins),
            identity_secret_set=config.identity_secret_set,
            updated_at=config.updated_at,
        )


class IdentitySecretOut(msgspec.Struct, kw_only=True):
    """The new secret, shown this once; sign visitor identities with it (README)."""

    identity_secret: str
    identity_secret_set: bool = True
