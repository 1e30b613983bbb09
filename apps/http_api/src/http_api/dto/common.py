"""Shared wire types."""

from __future__ import annotations

from typing import Annotated

import msgspec

Email = Annotated[str, msgspec.Meta(min_length=3, max_length=320)]
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Text = Annotated[str, msgspec.Meta(max_length=20_000)]
Hint = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class StrictIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of request bodies that refuse unknown fields (typos fail loudly, nothing is lost)."""
