"""Process entry point for ASGI servers: ``uvicorn http_api.asgi:app``.

The only module that does process-level work: it reads the environment and builds the app.
"""

from __future__ import annotations

from http_api.app import create_app
from itl_adapters.containers import Application
from itl_adapters.settings import Settings

app = create_app(Application(settings=Settings.from_env()))
