"""Wire formats of the public widget routes (API.md, "Widget")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

import msgspec
from itl_core.widgets.identity import SignedIdentity
from itl_core.widgets.model import WidgetConfig


class StrictIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Request bodies refuse unknown fields."""


Short = Annotated[str, msgspec.Meta(max_length=320)]
OriginText = Annotated[str, msgspec.Meta(max_length=300)]


class VisitorIn(StrictIn):
    """A visitor identity signed by the tenant's backend (see ``itl_core.widgets.identity``)."""

    id: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
    signature: Annotated[str, msgspec.Meta(max_length=128)]
    expires: Annotated[int, msgspec.Meta(ge=0, le=2**40)]
    name: Short = ""
    email: Short = ""

    def to_core(self) -> SignedIdentity:
        return SignedIdentity(
            visitor_id=self.id,
            name=self.name,
            email=self.email,
            expires=self.expires,
            signature=self.signature,
        )


class SessionIn(StrictIn):
    """``anonymous_id``: the id this browser kept; ``page_origin``: the page framing widget.html."""

    visitor: VisitorIn | None = None
    anonymous_id: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    page_origin: OriginText | None = None


class SessionOut(msgspec.Struct, kw_only=True):
    widget_token: str
    visitor_id: str
    expires_in: int


class PublicConfigOut(msgspec.Struct, kw_only=True):
    tenant_id: str
    title: str
    welcome_message: str
    theme: Mapping[str, str]
    position: str
    starter_prompts: list[str]

    @classmethod
    def of(cls, config: WidgetConfig) -> PublicConfigOut:
        return cls(
            tenant_id=config.tenant_id,
            title=config.title,
            welcome_message=config.welcome_message,
            theme=dict(config.theme),
            position=config.position,
            starter_prompts=list(config.starter_prompts),
        )


class WidgetChatIn(StrictIn):
    """The chat body of API.md; the visitor comes from the widget token, never from here."""

    message: Annotated[str, msgspec.Meta(max_length=20_000)]
    session_id: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    stream: bool = False
