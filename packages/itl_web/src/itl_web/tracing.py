"""The HTTP side of optional tracing (``itl_adapters.observability.tracing``).

``tracing_config(tracing, app)`` returns what ``base_app_config`` adds to an app when tracing is
on: Litestar's OpenTelemetry plugin (a server span per request, outside everything else, so
rate-limit refusals and 404s are traced too) and ``RouteSpanMiddleware``, which runs once the
route is known and names the span after the route template (``POST /api/{tenant_id}/chat``,
not one name per tenant) and adds the tenant of the path. Health, readiness and metrics are not
traced. The span holds what OpenTelemetry's HTTP conventions record: method, URL (query
included: our routes take only ids, cursors and filters there), status, client address, user
agent; never headers or bodies (the defaults capture none).

Imported by ``base_app_config`` only when tracing is on.
"""

from __future__ import annotations

from typing import Any

from itl_adapters.observability.tracing import TENANT_ATTRIBUTE, Tracing
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send
from opentelemetry import trace

__all__ = ["RouteSpanMiddleware", "tracing_config"]

UNTRACED = ["^/health$", "^/ready$", "^/metrics$"]


class RouteSpanMiddleware(ASGIMiddleware):
    """Names the request's server span by its route and tags it with the app and tenant."""

    scopes = (ScopeType.HTTP,)

    def __init__(self, app_name: str) -> None:
        self._app_name = app_name

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        span = trace.get_current_span()
        if span.is_recording():
            route = f"{scope['method']} {scope.get('path_template') or scope['path']}"
            span.update_name(route)
            span.set_attributes({"http.route": route, "itl.app": self._app_name})
            tenant = scope.get("path_params", {}).get("tenant_id")
            if isinstance(tenant, str):
                span.set_attribute(TENANT_ATTRIBUTE, tenant)
        await next_app(scope, receive, send)


def tracing_config(tracing: Tracing, app_name: str) -> dict[str, Any]:
    """``plugins`` and ``middleware`` entries for an app of this platform."""
    from litestar.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin

    config = OpenTelemetryConfig(
        tracer_provider=tracing.provider,
        exclude=UNTRACED,
        # One span per ASGI message would be one per streamed token: the server span suffices.
        exclude_spans=["receive", "send"],
    )
    return {"plugins": [OpenTelemetryPlugin(config)], "middleware": [RouteSpanMiddleware(app_name)]}
