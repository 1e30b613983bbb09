"""Provider key wire formats: the key goes in, only its last four characters come out."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from itl_core.provider_keys.model import MAX_KEY_LENGTH, ProviderKeySummary

from http_api.dto.common import StrictIn

# Bounds and characters are checked in the core (422 with the field); this only caps the size.
ApiKey = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_KEY_LENGTH * 2)]


class ProviderKeyIn(StrictIn):
    api_key: ApiKey

    def __repr__(self) -> str:  # never the key, even in a debug log
        return "ProviderKeyIn(api_key=***)"


class ProviderKeyOut(msgspec.Struct, kw_only=True):
    provider: str
    last4: str
    updated_at: datetime

    @classmethod
    def of(cls, key: ProviderKeySummary) -> ProviderKeyOut:
        return cls(provider=key.provider, last4=key.last4, updated_at=key.updated_at)


class ProviderKeyListOut(msgspec.Struct, kw_only=True):
    items: list[ProviderKeyOut]
    next_cursor: str | None = None
