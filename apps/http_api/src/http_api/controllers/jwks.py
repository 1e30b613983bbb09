"""The public half of the token signing keys."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get
from litestar.di import NamedDependency


class JwksController(Controller):
    tags = ["auth"]

    @get("/.well-known/jwks.json", operation_id="jwks", summary="Public signing keys, one per kid")
    async def jwks(self, jwks: NamedDependency[dict[str, Any]]) -> Response[dict[str, Any]]:
        return Response(jwks, headers={"Cache-Control": "public, max-age=300"})
