"""The visitor of a widget route: a verified WIDGET token on the path's tenant.

Access tokens are refused here (their ``typ`` is not ``widget``), as widget tokens are refused by
the private API. A browser request whose ``Origin`` is neither the widget host itself nor the
origin the token was minted for is refused too: a token lifted from one site does not work from
another site's pages.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from dependency_injector import providers
from itl_core.errors import PermissionDenied
from itl_core.security.ports import TokenKind, TokenVerifier
from itl_core.widgets.visitors import WidgetVisitor
from itl_web.auth import verified_claims
from itl_web.client_ip import client_ip  # noqa: F401 - re-exported for the controllers
from litestar import Request
from litestar.di import Provide
from litestar.params import FromPath


def request_origin(request: Request[Any, Any, Any]) -> str:
    return request.headers.get("origin", "")


def is_own_origin(request: Request[Any, Any, Any], origin: str) -> bool:
    """True when ``origin`` is the widget host this request reached (its iframe is calling)."""
    return bool(origin) and urlsplit(origin).netloc == request.headers.get("host", "")


def visitor_dependency(verifier_provider: providers.Provider[TokenVerifier]) -> Provide:
    async def visitor(request: Request[Any, Any, Any], tenant_id: FromPath[str]) -> WidgetVisitor:
        claims = await verified_claims(request, verifier_provider, TokenKind.WIDGET)
        found = WidgetVisitor.from_claims(claims, tenant_id)
        origin = request_origin(request)
        if origin and origin != found.origin and not is_own_origin(request, origin):
            raise PermissionDenied("This widget token was issued for another origin.")
        return found

    return Provide(visitor)
