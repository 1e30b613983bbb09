"""Bearer-token authentication: the only way a handler learns who is calling.

``principal_dependency(verifier_provider, kind)`` gives a Litestar dependency that reads
``Authorization: Bearer``, verifies the token for exactly that kind (an access token is refused
where a widget token is meant and vice versa) and yields the ``Principal``.

A token is verified once per request: the rate-limit middleware, which runs first and keys
its limits on the caller, records what it verified with ``remember_verified`` in the request's
ASGI scope state (server-side, per request, never from client input), and ``verified_claims``
reuses that outcome when it is for the very token of the header and the kind asked for.
Anything else (limits off, an exempt route, a token of another kind, one the middleware
refused) is verified here, so a bad token still gets the same 401 problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dependency_injector import providers
from itl_core.access import Principal, Role
from itl_core.errors import AuthenticationFailed
from itl_core.security.ports import AccessClaims, TokenKind, TokenVerifier
from litestar import Request
from litestar.di import Provide
from litestar.types import Scope

from itl_web.di import resolve
from itl_web.request_log import annotate

MAX_TOKEN_LENGTH = 8192
VERIFIED_TOKEN_STATE = "itl.verified_token"


@dataclass(frozen=True, slots=True)
class VerifiedToken:
    """A bearer token already verified in this request, for exactly ``kind``."""

    token: str
    kind: TokenKind
    claims: AccessClaims


def remember_verified(scope: Scope, token: str, kind: TokenKind, claims: AccessClaims) -> None:
    """Record ``claims`` as ``verifier.verify(token, kind=kind)``'s outcome for this request."""
    scope.setdefault("state", {})[VERIFIED_TOKEN_STATE] = VerifiedToken(token, kind, claims)


def _already_verified(scope: Scope, token: str, kind: TokenKind) -> AccessClaims | None:
    known = scope.get("state", {}).get(VERIFIED_TOKEN_STATE)
    if isinstance(known, VerifiedToken) and known.kind is kind and known.token == token:
        return known.claims
    return None


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
    token = bearer_token(request)
    claims = _already_verified(request.scope, token, kind)
    if claims is None:
        verifier: TokenVerifier = await resolve(verifier_provider)
        claims = verifier.verify(token, kind=kind)
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
