"""CORS for the public widget routes: exactly the origins of the tenant named in the path.

Litestar's CORS configuration is one list for a whole app; here the list depends on the
request's tenant, so this ASGI middleware (attached to the public router, which makes it run
for that router's automatic OPTIONS handlers and, inside Litestar's exception handling, for
error answers too) decides per request:

- an allowed ``Origin`` gets ``Access-Control-Allow-Origin: <that origin>`` (never ``*``, never
  credentials: visitors authenticate with bearer tokens, not cookies) and ``Vary: Origin``;
- a preflight from an allowed origin is answered here (204); from any other origin, 403
  without CORS headers, so the browser blocks the call;
- requests without ``Origin`` (same-origin GETs, servers) pass untouched.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar.types import ASGIApp, Message, Receive, Scope, Send

OriginLookup = Callable[[str], Awaitable[tuple[str, ...]]]

ALLOW_METHODS = b"GET, POST, OPTIONS"
ALLOW_HEADERS = b"Authorization, Content-Type, Accept"
EXPOSE_HEADERS = b"Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset"
MAX_AGE = b"600"


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return ""


class TenantCorsMiddleware:
    def __init__(self, app: ASGIApp, origins: OriginLookup) -> None:
        self._app, self._origins = app, origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        origin = _header(scope, b"origin")
        if scope["type"] != "http" or not origin:
            await self._app(scope, receive, send)
            return
        tenant_id = str(scope.get("path_params", {}).get("tenant_id", ""))
        allowed = origin in await self._origins(tenant_id)
        preflight = scope["method"] == "OPTIONS" and _header(
            scope, b"access-control-request-method"
        )
        if preflight:
            await self._answer_preflight(send, origin if allowed else None)
            return
        if not allowed:
            await self._app(scope, receive, _with_headers(send, [(b"vary", b"Origin")]))
            return
        headers = [
            (b"access-control-allow-origin", origin.encode("latin-1")),
            (b"access-control-expose-headers", EXPOSE_HEADERS),
            (b"vary", b"Origin"),
        ]
        await self._app(scope, receive, _with_headers(send, headers))

    @staticmethod
    async def _answer_preflight(send: Send, origin: str | None) -> None:
        headers: list[tuple[bytes, bytes]] = [(b"vary", b"Origin"), (b"content-length", b"0")]
        if origin is not None:
            headers += [
                (b"access-control-allow-origin", origin.encode("latin-1")),
                (b"access-control-allow-methods", ALLOW_METHODS),
                (b"access-control-allow-headers", ALLOW_HEADERS),
                (b"access-control-max-age", MAX_AGE),
            ]
        await send(
            {"type": "http.response.start", "status": 204 if origin else 403, "headers": headers}
        )
        await send({"type": "http.response.body", "body": b""})


def _with_headers(send: Send, extra: list[tuple[bytes, bytes]]) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", ()), *extra]}  # type: Any
        await send(message)

    return wrapped
