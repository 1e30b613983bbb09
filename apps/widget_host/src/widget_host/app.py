"""``create_app(container)`` for the widget host.

Serves the loader and the iframe page (``controllers.assets``) and the public widget API under
``/api/public/widgets/{tenant_id}`` (``controllers.public``, ``controllers.chat``), with CORS
decided per tenant (``cors``) instead of the app-wide list the private API uses.
"""

from __future__ import annotations

from dependency_injector import providers
from itl_adapters.containers import Application
from itl_core.errors import NotFound, UpstreamUnavailable
from itl_core.ids import is_slug
from itl_web.app_config import base_app_config
from itl_web.di import provide, resolve
from itl_web.health import MetricsController, health_controller
from itl_web.lifespan import container_lifespan, readiness_checks
from itl_web.ratelimit import rate_limit_middleware
from litestar import Litestar, Router
from litestar.di import Provide
from litestar.middleware import DefineMiddleware

from widget_host.controllers.assets import AssetController
from widget_host.controllers.chat import WidgetChatController
from widget_host.controllers.public import PublicWidgetController
from widget_host.cors import OriginLookup, TenantCorsMiddleware
from widget_host.visitor import visitor_dependency

PUBLIC_PREFIX = "/api/public/widgets"


def origin_lookup(container: Application) -> OriginLookup:
    async def allowed_origins(tenant_id: str) -> tuple[str, ...]:
        if not is_slug(tenant_id):
            return ()
        configs = await resolve(container.use_cases.widget_configs)
        try:
            return (await configs.execute(tenant_id)).allowed_origins
        except NotFound:
            return ()

    return allowed_origins


async def chat_unavailable() -> None:
    """Stands in for ``chat_turn`` in a composition root that has none (chat not wired)."""
    raise UpstreamUnavailable("Chat is not available on this server.", retryable=False)


def create_app(container: Application) -> Litestar:
    dependencies = {
        name: provide(p)
        for name, p in container.use_cases.providers.items()
        if isinstance(p, providers.Factory)
    }
    dependencies["visitor"] = visitor_dependency(container.infra.tokens)
    dependencies.setdefault("chat_turn", Provide(chat_unavailable))
    public = Router(
        path=PUBLIC_PREFIX,
        route_handlers=[PublicWidgetController, WidgetChatController],
        # Rate limits inside the tenant CORS, so a browser can read a 429 (itl_web.ratelimit).
        middleware=[
            DefineMiddleware(TenantCorsMiddleware, origins=origin_lookup(container)),
            rate_limit_middleware(container),
        ],
    )
    config = base_app_config(
        title="ITL Chatbot widget host",
        version="1.0.0",
        cors_origins=(),
        max_body_bytes=64 * 1024,
        metrics_prefix="itl_widget",
        tracing=container.infra.tracing(),
    )
    config["cors_config"] = None  # per-tenant CORS on the public router instead (see ``cors``)
    return Litestar(
        route_handlers=[
            health_controller(readiness_checks(container)),
            MetricsController,
            AssetController,
            public,
        ],
        dependencies=dependencies,
        lifespan=[container_lifespan(container)],
        **config,
    )
