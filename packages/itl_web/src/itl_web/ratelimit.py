"""The one place requests are rate-limited: ``RateLimitMiddleware``, on both apps.

Per request, before any handler work (body parsing, database):

1. the client IP is resolved (``itl_web.client_ip``: ``X-Forwarded-For`` only via a trusted
   proxy) and kept in the scope's state for handlers;
2. the caller is identified from the bearer token, if a valid one is sent (an access token: a
   user; a widget token: a visitor); no or a bad token leaves an anonymous caller, limited by
   IP only: the handler's own authentication still refuses it. A verified token is recorded
   in the scope's state (``itl_web.auth.remember_verified``) so that authentication does not
   verify it a second time;
3. ``AdmitRequest`` decides over every limit of the route's class in one limiter call (one
   Redis round trip). The class comes from the handler's ``opt={"rate_class": ...}`` (``api``
   when absent; ``None`` exempts the route). Health, readiness and metrics are exempt.

Admitted responses carry ``RateLimit-Limit``, ``RateLimit-Remaining`` and ``RateLimit-Reset``
(seconds) of the tightest limit, unless the handler answered with its own (a login refused by
its per-account limit reports that limit). A refusal is a 429 problem with ``Retry-After``
and the same three headers for the refusing limit (``RateLimit-Remaining: 0``), sent by the
middleware itself, so per-router middleware outside it (the widget host's tenant CORS) still
decorates it; it counts in ``itl_ratelimit_rejections_total{route_class}``.
"""

from __future__ import annotations

from typing import Any

from dependency_injector import providers
from itl_adapters.containers import Application
from itl_adapters.observability.metrics import platform_metrics
from itl_core.errors import AuthenticationFailed, RateLimited
from itl_core.quotas.limits import RequestSubject
from itl_core.quotas.use_cases import AdmitRequest
from itl_core.ratelimit import Decision
from itl_core.security.ports import TokenKind, TokenVerifier
from litestar import Request
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from itl_web.auth import MAX_TOKEN_LENGTH, remember_verified
from itl_web.client_ip import CLIENT_IP_STATE, TrustedProxies
from itl_web.di import resolve
from itl_web.problems import domain_problem, rate_limit_header_values

__all__ = ["EXEMPT_PATHS", "RateLimitMiddleware", "rate_limit_headers", "rate_limit_middleware"]

EXEMPT_PATHS = frozenset({"/health", "/ready", "/metrics"})


def rate_limit_headers(decision: Decision) -> list[tuple[bytes, bytes]]:
    values = rate_limit_header_values(decision.limit, decision.remaining, decision.reset_after)
    return [(name.lower().encode(), value.encode()) for name, value in values.items()]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


class RateLimitMiddleware(ASGIMiddleware):
    """See the module docstring. ``enabled=False`` still resolves the client IP."""

    scopes = (ScopeType.HTTP,)

    def __init__(
        self,
        *,
        admit: providers.Provider[AdmitRequest],
        verifier: providers.Provider[TokenVerifier],
        proxies: TrustedProxies,
        enabled: bool = True,
    ) -> None:
        self._admit, self._verifier, self._proxies = admit, verifier, proxies
        self._enabled = enabled

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        client = scope.get("client")
        peer = client[0] if client else "unknown"
        ip = self._proxies.resolve(peer, _header(scope, b"x-forwarded-for"))
        scope.setdefault("state", {})[CLIENT_IP_STATE] = ip
        route_class = scope["route_handler"].opt.get("rate_class", "api")
        if (
            not self._enabled
            or route_class is None
            or scope["method"] == "OPTIONS"
            or scope["path"] in EXEMPT_PATHS
        ):
            await next_app(scope, receive, send)
            return
        subject = await self._subject(scope, route_class, ip)
        admit: AdmitRequest = await resolve(self._admit)
        try:
            decision = await admit.execute(subject)
        except RateLimited as refused:
            platform_metrics().ratelimit_rejections.labels(route_class=route_class).inc()
            response = domain_problem(refused)
            await response.to_asgi_response(app=None, request=Request(scope))(scope, receive, send)
            return
        extra = rate_limit_headers(decision)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                # A handler's own refusal (login's limits) reports its refusing limit instead.
                if not any(name.lower() == b"ratelimit-limit" for name, _ in headers):
                    message["headers"] = [*headers, *extra]
            await send(message)

        await next_app(scope, receive, send_with_headers)

    async def _subject(self, scope: Scope, route_class: str, ip: str) -> RequestSubject:
        scheme, _, token = (_header(scope, b"authorization") or "").partition(" ")
        token = token.strip()
        if scheme.lower() == "bearer" and token and len(token) <= MAX_TOKEN_LENGTH:
            verifier: TokenVerifier = await resolve(self._verifier)
            for kind in (TokenKind.ACCESS, TokenKind.WIDGET):
                try:
                    claims = verifier.verify(token, kind=kind)
                except AuthenticationFailed:
                    continue
                remember_verified(scope, token, kind, claims)
                who: dict[str, Any] = (
                    {"user_id": claims.subject}
                    if kind is TokenKind.ACCESS
                    else {"visitor_id": claims.subject}
                )
                return RequestSubject(
                    route_class=route_class, ip=ip, tenant_id=claims.tenant_id, **who
                )
        return RequestSubject(route_class=route_class, ip=ip)


def rate_limit_middleware(container: Application) -> RateLimitMiddleware:
    """The middleware from a composition root (``ITL_RATE_LIMITS``, ``ITL_TRUSTED_PROXIES``)."""
    settings = container.settings()
    return RateLimitMiddleware(
        admit=container.use_cases.admit_request,
        verifier=container.infra.tokens,
        proxies=TrustedProxies(settings.trusted_proxies),
        enabled=settings.rate_limits,
    )
