"""The demo "customer website": a page on its own origin that embeds the demo tenant's widget.

``itl serve`` runs it on ``ITL_DEMO_SITE_PORT`` (a port, hence an origin, of its own) so the
widget is exercised exactly as a customer's site would use it: cross-origin script tag, framed
``widget.html``, allowed-origin checks. Its own styles are deliberately rude (global button and
font rules) to show that they do not reach the widget.
"""

from __future__ import annotations

from html import escape

from litestar import Litestar, Response, get

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo Logistics: ship anything, anywhere</title>
<style>
  body {{ font-family: Georgia, serif; margin: 0; color: #222; background: #fafaf7; }}
  header {{ background: #123; color: #fff; padding: 24px 40px; }}
  main {{ padding: 24px 40px; max-width: 760px; }}
  button {{ background: #c00; color: #ff0; font-size: 22px; padding: 12px; }}
  iframe {{ border: 5px dashed #c00; }}
</style>
</head>
<body>
<header><h1>Demo Logistics</h1><p>Sea, air and road freight since 1987.</p></header>
<main>
  <h2>Track, clear, book</h2>
  <p>Questions about a shipment, customs papers or a quote? Use the chat button in the corner.</p>
  <button type="button" id="site-button">A button of the site</button>
</main>
<script src="{widget_js}" data-tenant="{tenant}" async></script>
</body>
</html>
"""


def demo_page(widget_url: str, tenant: str = "demo") -> str:
    return PAGE.format(widget_js=escape(f"{widget_url}/widget.js"), tenant=escape(tenant))


def create_demo_site(widget_url: str, tenant: str = "demo") -> Litestar:
    """``widget_url``: the widget host's base URL as the visitor's browser reaches it."""
    html = demo_page(widget_url, tenant)

    @get("/", include_in_schema=False)
    async def index() -> Response[str]:
        return Response(html, media_type="text/html; charset=utf-8")

    return Litestar(route_handlers=[index], openapi_config=None, debug=False)
