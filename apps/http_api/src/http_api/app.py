"""``create_app(container)``: the REST API, built from a finished composition root.

Nothing happens at import time. The container's resources (database pool, Redis client) are
opened in the app's lifespan and closed when it ends.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.di import Provide

from http_api.controllers.agents import AgentController
from http_api.controllers.auth import AuthController
from http_api.controllers.jwks import JwksController
from http_api.controllers.tenants import TenantController
from http_api.controllers.users import UserController
from itl_adapters.containers import Application
from itl_web.app_config import base_app_config
from itl_web.auth import principal_dependency
from itl_web.di import provide
from itl_web.health import MetricsController, health_controller
from itl_web.lifespan import container_lifespan, readiness_checks


def create_app(container: Application) -> Litestar:
    settings = container.settings()
    dependencies = {name: provide(p) for name, p in container.use_cases.providers.items()}
    dependencies["principal"] = principal_dependency(container.infra.tokens)
    dependencies["jwks"] = Provide(lambda: container.infra.tokens().jwks(), sync_to_thread=False)
    return Litestar(
        route_handlers=[
            health_controller(readiness_checks(container)),
            MetricsController,
            JwksController,
            AuthController,
            TenantController,
            UserController,
            AgentController,
        ],
        dependencies=dependencies,
        lifespan=[container_lifespan(container)],
        **base_app_config(
            title="ITL Chatbot API",
            version="1.0.0",
            cors_origins=settings.cors_origins,
            max_body_bytes=settings.max_body_bytes,
            metrics_prefix="itl_api",
        ),
    )
