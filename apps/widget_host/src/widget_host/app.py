"""``create_app(container)`` for the widget host.

The public widget routes (config, visitor session, chat) land with the widget work; the host
already shares the platform's guards, error handling, health and metrics.
"""

from __future__ import annotations

from litestar import Litestar

from itl_adapters.containers import Application
from itl_web.app_config import base_app_config
from itl_web.health import MetricsController, health_controller
from itl_web.lifespan import container_lifespan, readiness_checks


def create_app(container: Application) -> Litestar:
    settings = container.settings()
    return Litestar(
        route_handlers=[health_controller(readiness_checks(container)), MetricsController],
        lifespan=[container_lifespan(container)],
        **base_app_config(
            title="ITL Chatbot widget host",
            version="1.0.0",
            cors_origins=(),
            max_body_bytes=64 * 1024,
            metrics_prefix="itl_widget",
        ),
    )
