"""Shared wire types."""

from __future__ import annotations

from typing import Annotated

import msgspec
from itl_core.ids import SLUG_RE
from litestar.params import QueryParameter

Email = Annotated[str, msgspec.Meta(min_length=3, max_length=320)]
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Text = Annotated[str, msgspec.Meta(max_length=20_000)]
Hint = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
# A tenant id in a body. NOT for query parameters: Litestar ignores msgspec.Meta there, so
# ``FromQuery[TenantSlug | None]`` accepts any string (use ``TenantQuery``, whose
# ``QueryParameter`` constraints Litestar does enforce).
TenantSlug = Annotated[str, msgspec.Meta(pattern=SLUG_RE.pattern, max_length=63)]
# ``?tenant_id=`` of the admin routes (platform admins): anything but a slug is refused at the
# edge (400), so an empty or odd value never reaches a repository (``?tenant_id=`` used to be a
# 500 on the users routes).
TenantQuery = Annotated[
    str | None,
    QueryParameter(
        pattern=SLUG_RE.pattern,
        max_length=63,
        description="The tenant to act on (platform admins only; others may name only their own).",
    ),
]


class StrictIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of request bodies that refuse unknown fields (typos fail loudly, nothing is lost)."""
