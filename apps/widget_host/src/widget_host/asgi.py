"""Process entry point for ASGI servers: ``uvicorn widget_host.asgi:app``."""

from __future__ import annotations

from itl_adapters.containers import Application
from itl_adapters.observability.logging import configure_logging
from itl_adapters.settings import Settings
from itl_web.lifespan import freeze_startup_heap

from widget_host.app import create_app

settings = Settings.from_env()
configure_logging(level=settings.log_level, fmt=settings.log_format, log_bodies=settings.log_bodies)
app = create_app(Application(settings=settings))
freeze_startup_heap()
