"""``create_app(container)``: the REST API, built from a finished composition root.

Nothing happens at import time. The container's resources (database pool, Redis client) are
opened in the app's lifespan and closed when it ends.
"""

from __future__ import annotations

from dependency_injector import providers
from itl_adapters.containers import Application
from itl_web.app_config import base_app_config
from itl_web.auth import principal_dependency
from itl_web.di import provide
from itl_web.health import MetricsController, health_controller
from itl_web.idempotency import idempotency_dependency
from itl_web.lifespan import (
    container_lifespan,
    readiness_checks,
    reap_interrupted_messages,
    run_background_jobs,
)
from itl_web.ratelimit import rate_limit_middleware
from litestar import Litestar
from litestar.di import Provide

from http_api.controllers.agents import AgentController
from http_api.controllers.auth import AuthController
from http_api.controllers.chat import ChatController, chat_dependency
from http_api.controllers.demo_tracking import DemoTrackingController
from http_api.controllers.jwks import JwksController
from http_api.controllers.knowledge import knowledge_controller
from http_api.controllers.provider_keys import ProviderKeyController
from http_api.controllers.sessions import SessionController
from http_api.controllers.tenants import TenantController
from http_api.controllers.tools import ToolController
from http_api.controllers.usage import UsageController
from http_api.controllers.users import UserController
from http_api.controllers.widget import WidgetAdminController
from http_api.web_app import web_app_routes, web_dist_ready


def create_app(container: Application) -> Litestar:
    settings = container.settings()
    # Only the use cases: Litestar treats a validation error of a body field that shares a name
    # with a dependency as a failed dependency (500), so wiring e.g. the container's ``settings``
    # provider turned a wrong-typed tenant ``settings`` field into a 500.
    dependencies = {
        name: provide(p)
        for name, p in container.use_cases.providers.items()
        if isinstance(p, providers.Factory)
    }
    dependencies["principal"] = principal_dependency(container.infra.tokens)
    dependencies["jwks"] = Provide(lambda: container.infra.tokens().jwks(), sync_to_thread=False)
    dependencies["idempotency"] = idempotency_dependency(container.infra.idempotency)
    dependencies["chat"] = chat_dependency(
        container.use_cases.chat_turn, container.infra.idempotency
    )
    dependencies["widget_url"] = Provide(lambda: settings.widget_url, sync_to_thread=False)
    return Litestar(
        route_handlers=[
            health_controller(readiness_checks(container)),
            MetricsController,
            JwksController,
            AuthController,
            TenantController,
            UserController,
            AgentController,
            ProviderKeyController,
            ToolController,
            knowledge_controller(settings.max_upload_bytes),
            WidgetAdminController,
            UsageController,
            ChatController,
            SessionController,
            *([DemoTrackingController] if settings.seed_demo else []),  # the demo's tool target
            # Last: the built web app at / (SPA fallback), only when a build exists.
            *(web_app_routes(settings.web_dist) if web_dist_ready(settings.web_dist) else []),
        ],
        dependencies=dependencies,
        lifespan=[
            container_lifespan(container),
            reap_interrupted_messages(container),
            run_background_jobs(container),
        ],
        **base_app_config(
            title="ITL Chatbot API",
            version="1.0.0",
            cors_origins=settings.cors_origins,
            max_body_bytes=settings.max_body_bytes,
            metrics_prefix="itl_api",
            tracing=container.infra.tracing(),
            middleware=[rate_limit_middleware(container)],  # every route's request limits
        ),
    )
