"""The built web app (``web/dist``), served by the API at ``/`` in the unified deployment.

Contract of ``web_app_routes(dist)``:

- ``/assets/*``: Vite's content-hashed bundles, cached for a year and ``immutable`` (a new
  build gets new names, so a cached file is never stale); a missing asset is a 404, never the
  app's HTML (a browser would try to run it as JavaScript).
- any other GET outside the API: a file at the top of ``dist`` (``favicon.svg``) if one has
  that name, else ``index.html`` (client-side routes such as ``/agents`` load the app).
  Both with ``no-cache``: the browser revalidates, so a deploy is picked up on the next load.
- ``/api/*``, ``/schema/*`` and ``/.well-known/*`` are never the app: an unknown path there is
  the API's problem+json 404.

The HTML carries a strict Content-Security-Policy (scripts and styles from our own origin only,
no plugins, no framing), a second line of defence behind the rule that the app never renders
raw HTML it received from the API.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from litestar import get
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import File
from litestar.static_files import create_static_files_router

YEAR = 365 * 24 * 3600
API_PREFIXES = ("api/", "schema/", ".well-known/")
API_PATHS = frozenset({"api", "schema", ".well-known"})

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HTML_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


STATIC = {"rate_class": None}


def web_dist_ready(dist: Path | None) -> bool:
    """Serve the app only when a build is there (``npm run build`` writes ``index.html``)."""
    return dist is not None and (dist / "index.html").is_file()


def web_app_routes(dist: Path) -> list[Any]:
    """Route handlers serving a built web app from ``dist`` (see the module contract)."""
    root = dist.resolve()
    top_files = {p.name: p for p in root.iterdir() if p.is_file()}
    no_cache = CacheControlHeader(no_cache=True)

    def serve(relative: str) -> File:
        if relative in API_PATHS or relative.startswith(API_PREFIXES):
            raise NotFoundException()
        # Only names listed at start-up: a request path never becomes a filesystem path.
        chosen = top_files.get(relative, top_files["index.html"])
        media_type = mimetypes.guess_type(chosen.name)[0] or "application/octet-stream"
        headers = (
            HTML_HEADERS if media_type == "text/html" else {"X-Content-Type-Options": "nosniff"}
        )
        return File(
            path=chosen, media_type=media_type, content_disposition_type="inline", headers=headers
        )

    # Static files are not rate-limited here: they cost no database or model work, and a CDN or
    # the reverse proxy in front of them is the place to throttle bandwidth.
    @get("/", include_in_schema=False, cache_control=no_cache, name="web-app-root", opt=STATIC)
    async def web_app_root() -> File:
        return serve("")

    @get(
        "/{path:path}", include_in_schema=False, cache_control=no_cache, name="web-app", opt=STATIC
    )
    async def web_app(path: FromPath[str]) -> File:
        return serve(path.lstrip("/"))

    routes: list[Any] = [web_app_root, web_app]
    if (root / "assets").is_dir():
        routes.append(
            create_static_files_router(
                path="/assets",
                directories=[root / "assets"],
                cache_control=CacheControlHeader(public=True, max_age=YEAR, immutable=True),
                name="web-assets",
            )
        )
    return routes


__all__ = ["web_app_routes", "web_dist_ready"]
