"""Process entry point for ASGI servers: ``uvicorn widget_host.asgi:app``."""

from __future__ import annotations

from itl_adapters.containers import Application
from itl_adapters.settings import Settings

from widget_host.app import create_app

app = create_app(Application(settings=Settings.from_env()))
