"""Widget configuration and the rule for allowed origins."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from itl_core.errors import FieldError

ORIGIN_RE = re.compile(
    r"^https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
    r"(?::(?:[1-9][0-9]{0,4}))?$"
)
POSITIONS = ("bottom-right", "bottom-left")


@dataclass(frozen=True, slots=True, kw_only=True)
class WidgetConfig:
    tenant_id: str
    title: str = "Chat with us"
    welcome_message: str = "Hello! How can we help?"
    theme: Mapping[str, str] = field(default_factory=lambda: {"primary_color": "#0b5fff"})
    position: str = "bottom-right"
    starter_prompts: tuple[str, ...] = ()
    allowed_origins: tuple[str, ...] = ()
    sealed_identity_secret: bytes | None = None
    updated_at: datetime

    @property
    def identity_secret_set(self) -> bool:
        return self.sealed_identity_secret is not None


def origin_errors(origins: tuple[str, ...]) -> list[FieldError]:
    """Origins are exact ``scheme://host[:port]``: no path, no wildcard, lowercase."""
    return [
        FieldError(f"allowed_origins[{i}]", "must be scheme://host[:port] (http or https)")
        for i, origin in enumerate(origins)
        if not ORIGIN_RE.fullmatch(origin)
    ]
