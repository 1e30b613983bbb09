"""The loader (``widget.js``), the iframe page (``widget.html``) and the files that page loads.

``widget.html`` is the same file for every tenant; what differs is its Content-Security-Policy:
``frame-ancestors`` lists exactly the tenant's allowed origins (``'none'`` when it has none), so
a browser refuses to render the widget inside any other site. The rest of the policy is strict:
scripts and styles only from the widget host (no inline code), images only from the widget host
or ``data:`` (a model cannot make the widget load a remote image), no plugins, no forms.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from itl_core.errors import NotFound
from itl_core.ids import is_slug
from itl_core.widgets.visitors import WidgetConfigs
from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

STATIC = Path(__file__).resolve().parent.parent / "static"
# Files the iframe may load, by URL name: (file, media type).
APP_FILES = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}
COMMON_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin"}
BASE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'"
)


@cache
def asset(name: str) -> bytes:
    """A static file's bytes, read once per process (on first use, never at import)."""
    return (STATIC / name).read_bytes()


def widget_csp(allowed_origins: tuple[str, ...]) -> str:
    ancestors = " ".join(allowed_origins) or "'none'"
    return f"{BASE_CSP}; frame-ancestors {ancestors}"


class AssetController(Controller):
    tags = ["widget assets"]

    @get("/widget.js", operation_id="widgetLoader", summary="The loader a customer's page includes")
    async def loader(self) -> Response[bytes]:
        headers = {**COMMON_HEADERS, "Cache-Control": "public, max-age=300"}
        return Response(
            asset("widget.js"), media_type="text/javascript; charset=utf-8", headers=headers
        )

    @get("/widget.html", operation_id="widgetPage", summary="The chat UI inside the iframe")
    async def page(
        self, widget_configs: NamedDependency[WidgetConfigs], tenant: FromQuery[str]
    ) -> Response[bytes]:
        if not is_slug(tenant):
            raise NotFound("The tenant does not exist.")
        config = await widget_configs.execute(tenant)
        headers = {
            **COMMON_HEADERS,
            "Content-Security-Policy": widget_csp(config.allowed_origins),
            "Cache-Control": "no-store",  # the policy follows the tenant's configuration
        }
        return Response(
            asset("widget.html"), media_type="text/html; charset=utf-8", headers=headers
        )

    @get("/widget/{name:str}", operation_id="widgetAppFile", include_in_schema=False)
    async def app_file(self, name: FromPath[str]) -> Response[bytes]:
        if name not in APP_FILES:
            raise NotFound("No such file.")
        headers = {**COMMON_HEADERS, "Cache-Control": "public, max-age=300"}
        return Response(asset(name), media_type=APP_FILES[name], headers=headers)
