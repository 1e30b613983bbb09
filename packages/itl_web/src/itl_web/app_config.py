"""What every app of the platform shares: guards, error handling, CORS, limits, OpenAPI, metrics.

``base_app_config`` returns the keyword arguments for ``Litestar(...)``; an app adds its own
route handlers and lifespan. Keeping this in one place is what lets the security rules be
enforced once for all routes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from itl_adapters.observability.tracing import Tracing
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.prometheus import PrometheusConfig

from itl_web.body import guard_json_body
from itl_web.problems import handle_exception
from itl_web.request_log import request_log_middleware
from itl_web.shutdown import Drain, drain_middleware


def base_app_config(
    *,
    title: str,
    version: str,
    cors_origins: Sequence[str],
    max_body_bytes: int,
    metrics_prefix: str,
    middleware: Sequence[Any] = (),
    tracing: Tracing | None = None,
) -> dict[str, Any]:
    """``middleware`` runs inside the metrics middleware (e.g. ``itl_web.ratelimit``).
    ``tracing`` (the container's ``infra.tracing``): OpenTelemetry spans (``itl_web.tracing``).

    Outermost: the access log with request ids (``request_log``); innermost of ours: the drain
    that ends SSE streams at shutdown (``shutdown``; the app's ``Drain`` is ``app.state.drain``).
    """
    metrics = PrometheusConfig(app_name=metrics_prefix, prefix=metrics_prefix, group_path=True)
    drain = Drain()
    traced: dict[str, Any] = {"plugins": [], "middleware": []}
    if tracing is not None:
        from itl_web.tracing import tracing_config

        traced = tracing_config(tracing, metrics_prefix)
    return {
        "exception_handlers": {Exception: handle_exception},
        "before_request": guard_json_body,
        "request_max_body_size": max_body_bytes,
        "cors_config": CORSConfig(
            allow_origins=list(cors_origins),
            allow_credentials=False,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
            expose_headers=[
                "Retry-After",
                "RateLimit-Limit",
                "RateLimit-Remaining",
                "RateLimit-Reset",
            ],
            max_age=600,
        ),
        "middleware": [
            request_log_middleware(metrics_prefix),
            metrics.middleware,
            *traced["middleware"],
            drain_middleware(drain),
            *middleware,
        ],
        "plugins": traced["plugins"],
        "state": State({"drain": drain}),
        "on_startup": [drain.hook_server_signals],
        "on_shutdown": [drain.unhook_server_signals],
        "openapi_config": OpenAPIConfig(
            title=title,
            version=version,
            path="/schema",
            render_plugins=[ScalarRenderPlugin()],
            components=Components(
                security_schemes={
                    "BearerToken": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")
                }
            ),
        ),
        "debug": False,
    }
