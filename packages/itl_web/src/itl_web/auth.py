"""Bearer-token authentication: the only way a handler learns who is calling.

``principal_dependency(verifier_provider, kind)`` gives a Litestar dependency that reads
``Authorization: Bearer``, verifies the token for exactly that kind (an access token is refused
where a widget token is meant and vice versa) and yields the ``Principal``.
"""

from __future__ import annotations

from typing import Any

from dependency_injector import providers
from itl_core.access import Principal, Role
from itl_core.errors import AuthenticationFailed
from itl_core.security.ports import AccessClaims, TokenKind, TokenVerifier
from litestar import Request
from litestar.di import Provide

from itl_web.di import resolve
from itl_web.request_log import annotate

MAX_TOKEN_LENGTH = 8192


def bearer_token(request: Request[Any, Any, Any]) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_LENGTH:
        raise AuthenticationFailed("Send a valid bearer token.")
    return token


async def verified_claims(
    request: Request[Any, Any, Any],
    verifier_provider: providers.Provider[TokenVerifier],
    kind: TokenKind,
) -> AccessClaims:
    verifier: TokenVerifier = await resolve(verifier_provider)
    claims = verifier.verify(bearer_token(request), kind=kind)
    who = "visitor" if kind is TokenKind.WIDGET else "user"
    annotate(tenant=claims.tenant_id, **{who: claims.subject})  # for the access log
    return claims


def principal_dependency(verifier_provider: providers.Provider[TokenVerifier]) -> Provide:
    """Dependency yielding the ``Principal`` of a verified access token."""

    async def principal(request: Request[Any, Any, Any]) -> Principal:
        claims = await verified_claims(request, verifier_provider, TokenKind.ACCESS)
        try:
            role = Role(claims.role)
        except ValueError as e:
            raise AuthenticationFailed() from e
        return Principal(user_id=claims.subject, tenant_id=claims.tenant_id, role=role)

    return Provide(principal)
