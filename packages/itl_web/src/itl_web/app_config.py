"""What every app of the platform shares: guards, error handling, CORS, limits, OpenAPI, metrics.

``base_app_config`` returns the keyword arguments for ``Litestar(...)``; an app adds its own
route handlers and lifespan. Keeping this in one place is what lets the security rules be
enforced once for all routes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar.config.cors import CORSConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.prometheus import PrometheusConfig

from itl_web.body import guard_json_body
from itl_web.problems import handle_exception


def base_app_config(
    *,
    title: str,
    version: str,
    cors_origins: Sequence[str],
    max_body_bytes: int,
    metrics_prefix: str,
) -> dict[str, Any]:
    metrics = PrometheusConfig(app_name=metrics_prefix, prefix=metrics_prefix, group_path=True)
    return {
        "exception_handlers": {Exception: handle_exception},
        "before_request": guard_json_body,
        "request_max_body_size": max_body_bytes,
        "cors_config": CORSConfig(
            allow_origins=list(cors_origins),
            allow_credentials=False,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
            expose_headers=["Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"],
            max_age=600,
        ),
        "middleware": [metrics.middleware],
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
