"""``itl serve``: the embedded-default stack in one process.

Starts (or reuses) the embedded PostgreSQL and Redis, migrates, seeds the platform admin and the
demo tenant, then runs the API and the widget host side by side on one event loop, each with
its own container built from the same resolved settings.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Iterator, Sequence

import uvicorn
from http_api.app import create_app as create_api
from http_api.web_app import web_dist_ready
from itl_adapters.containers import Application
from itl_adapters.seed import SeedReport, seed
from itl_adapters.services import Services, start_services
from itl_adapters.settings import Settings
from itl_web.lifespan import freeze_startup_heap
from litestar import Litestar
from widget_host.app import create_app as create_widget_host

from itl_cli.demo_site import create_demo_site


class _Server(uvicorn.Server):
    """A uvicorn server that leaves signal handling to ``serve`` (two servers share one loop)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def public_url(settings: Settings, port: int) -> str:
    """The URL a browser on this machine uses (a wildcard bind address is not one)."""
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host  # noqa: S104
    return f"http://{host}:{port}"


def demo_site_url(settings: Settings) -> str:
    return public_url(settings, settings.demo_site_port)


def banner(settings: Settings, report: SeedReport) -> str:
    api = public_url(settings, settings.api_port)
    console = (
        f"{api}/   (sign in as the demo admin below)"
        if web_dist_ready(settings.web_dist)
        else "not built: install Node.js 20+ (npm) and rerun `make run`"
    )
    lines = [
        "",
        "ITL Chatbot is running",
        f"  Web console    {console}",
        f"  API            {api}   (OpenAPI: {api}/schema)",
        f"  Widget host    {public_url(settings, settings.widget_port)}",
        f"  Demo site      {demo_site_url(settings)}   (a customer page embedding the demo widget)",
        f"  Platform admin {report.admin_email}"
        + (f"  password: {report.admin_password}  (shown once)" if report.admin_password else ""),
    ]
    if report.demo_email:
        lines.append(
            f"  Demo admin     {report.demo_email}"
            + (f"  password: {report.demo_password}  (shown once)" if report.demo_password else "")
        )
    lines.append("  Passwords set earlier are not shown again; reset with `itl create-user`.")
    return "\n".join(lines) + "\n"


async def bootstrap(settings: Settings) -> tuple[Services, SeedReport]:
    """Everything before serving: servers, migrations, runtime role, seed data."""
    services = await start_services(settings)
    container = Application(settings=services.settings)
    await container.init_resources()  # type: ignore[misc]
    try:
        report = await seed(container, services.settings)
    finally:
        await container.shutdown_resources()  # type: ignore[misc]
    return services, report


def server_for(app: Litestar, settings: Settings, port: int) -> uvicorn.Server:
    """A uvicorn server for ``app`` that drains open requests for at most the grace period."""
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=port,
        log_level=settings.log_level.lower(),
        log_config=None,  # logging is ours (itl_adapters.observability.logging)
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
    )
    return _Server(config)


def request_shutdown(servers: Sequence[uvicorn.Server], apps: Sequence[Litestar]) -> None:
    """Stop accepting, end SSE streams with an ``error`` event (``itl_web.shutdown``), drain."""
    for app in apps:
        drain = app.state.get("drain")
        if drain is not None:
            drain.begin()
    for server in servers:
        server.should_exit = True


async def serve(settings: Settings) -> None:
    settings.check_can_serve()
    services, report = await bootstrap(settings)
    resolved = services.settings
    apps = [
        (create_api(Application(settings=resolved)), resolved.api_port),
        (create_widget_host(Application(settings=resolved)), resolved.widget_port),
        (create_demo_site(resolved.widget_url), resolved.demo_site_port),
    ]
    servers = [server_for(app, resolved, port) for app, port in apps]
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, request_shutdown, servers, [app for app, _ in apps])
    print(banner(resolved, report), flush=True)
    freeze_startup_heap()
    try:
        await asyncio.gather(*(s.serve() for s in servers))
    finally:
        services.stop()
