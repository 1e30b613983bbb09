# ruff: noqa: F811 - pytest fixtures imported from the API suite are redefined as parameters
"""The widget in a real Chromium, across real origins (a different port is a different origin).

Three servers run in-process under uvicorn on free ports, over the test PostgreSQL and Redis:
the widget host (origin B), the demo customer site (origin A, allowed by the ``demo`` tenant)
and the same site on origin C, which the tenant did not allow.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import uvicorn
from itl_adapters.containers import Application, resolve
from itl_adapters.demo_agents import DEMO_AGENTS
from itl_adapters.seed import SYSTEM
from itl_adapters.settings import Settings
from itl_cli.demo_site import create_demo_site
from itl_core.agents.use_cases import CreateAgentRequest
from itl_core.tenants.use_cases import CreateTenantRequest
from itl_core.widgets.use_cases import WidgetDraft
from playwright.async_api import Browser, Frame, Page
from widget_host.app import create_app

from tests.browser.support import RECORD_TOKEN_EVENTS, TIMEOUT_MS
from tests.conftest import truncate_all_tables
from tests.integration.api.conftest import hasher, keys, settings  # noqa: F401 - reused fixtures


@dataclass(frozen=True, slots=True)
class Origins:
    widget: str  # B
    site: str  # A, allowed
    stranger: str  # C, not allowed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def start(app: Any, port: int) -> uvicorn.Server:
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1
        )
    )
    task = asyncio.create_task(server.serve())
    server.task = task  # type: ignore[attr-defined]
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    return server


async def seed_demo(container: Application, site: str) -> None:
    await (await resolve(container.use_cases.create_tenant)).execute(
        CreateTenantRequest(principal=SYSTEM, id="demo", name="Demo Logistics", settings={})
    )
    create_agent = await resolve(container.use_cases.create_agent)
    for draft in DEMO_AGENTS:
        await create_agent.execute(
            CreateAgentRequest(principal=SYSTEM, tenant_id="demo", draft=draft)
        )
    draft = WidgetDraft(
        title="Demo Logistics",
        welcome_message="Hello from the demo!",
        theme={"primary_color": "#0b5fff"},
        position="bottom-right",
        starter_prompts=("Where is shipment ITL-123456?",),
        allowed_origins=(site,),
    )
    await (await resolve(container.use_cases.update_widget_config)).execute(SYSTEM, draft, "demo")


@pytest.fixture(scope="module")
async def origins(settings: Settings, pg_admin_url: str) -> AsyncIterator[Origins]:
    widget_port, site_port, stranger_port = free_port(), free_port(), free_port()
    found = Origins(
        widget=f"http://127.0.0.1:{widget_port}",
        site=f"http://127.0.0.1:{site_port}",
        stranger=f"http://127.0.0.1:{stranger_port}",
    )
    await truncate_all_tables(pg_admin_url)
    container = Application(settings=settings)
    servers = [await start(create_app(container), widget_port)]
    await seed_demo(container, found.site)
    servers.append(await start(create_demo_site(found.widget), site_port))
    servers.append(await start(create_demo_site(found.widget), stranger_port))
    yield found
    for server in servers:
        server.should_exit = True
    await asyncio.gather(*(s.task for s in servers))  # type: ignore[attr-defined]


async def widget_frame(page: Page) -> Frame:
    for _ in range(200):
        for frame in page.frames:
            if "/widget.html" in frame.url:
                return frame
        await asyncio.sleep(0.05)
    raise AssertionError("the widget iframe never appeared")


async def open_page(browser: Browser, url: str) -> Page:
    page = await browser.new_page(viewport={"width": 1200, "height": 800})
    page.set_default_timeout(TIMEOUT_MS)
    await page.goto(url)
    return page


async def test_a_visitor_on_the_customer_site_chats_with_streamed_answers(
    browser: Browser, origins: Origins
) -> None:
    page = await open_page(browser, origins.site + "/")
    launcher = page.locator("[data-itl-chat] button")
    await launcher.click()
    frame = await widget_frame(page)
    assert frame.url.startswith(origins.widget + "/widget.html?tenant=demo")
    await frame.locator("#title").filter(has_text="Demo Logistics").wait_for()
    await frame.locator(".msg.bot", has_text="Hello from the demo!").wait_for()
    await frame.evaluate(RECORD_TOKEN_EVENTS)

    await frame.locator("#input").fill("Where is shipment ITL-123456?")
    await frame.locator("#input").press("Enter")

    await frame.locator(".msg.user", has_text="ITL-123456").wait_for()
    answer = frame.locator(".msg.bot:not([aria-busy]) .body").nth(1)
    await answer.wait_for()
    final = await answer.text_content()
    assert final and final.strip()
    tokens: list[str] = await frame.evaluate("window.__tokens")
    assert len(tokens) >= 2, tokens  # the answer streamed as separate token events
    streamed = "".join(tokens)
    assert all(word in streamed for word in final.split())  # the bubble shows what streamed
    assert await frame.locator(".error").count() == 0

    await frame.locator("#close").click()
    # The iframe asks the loader to close over postMessage: wait for it, do not sample once.
    await page.locator("[data-itl-chat] iframe").wait_for(state="hidden")
    await page.close()


async def test_a_site_the_tenant_did_not_allow_can_neither_frame_nor_call_the_widget(
    browser: Browser, origins: Origins
) -> None:
    page = await open_page(browser, origins.stranger + "/")
    await page.wait_for_function("window.ITLChat !== undefined")
    await page.evaluate("ITLChat.open()")
    iframe = page.locator("[data-itl-chat] iframe")
    assert (await iframe.get_attribute("src") or "").startswith(origins.widget + "/widget.html")
    frame = await (await iframe.element_handle()).content_frame()
    assert frame is not None
    await frame.wait_for_load_state()
    # CSP frame-ancestors: Chromium shows its error page instead of the widget.
    assert "/widget.html" not in frame.url
    assert await frame.locator("#chat").count() == 0
    outcome = await page.evaluate(
        """async (url) => {
            try {
                const r = await fetch(url, {
                    method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'});
                return 'status ' + r.status;
            } catch (e) { return 'refused'; }
        }""",
        f"{origins.widget}/api/public/widgets/demo/session",
    )
    assert outcome == "refused"
    await page.close()


STYLE_PROBE = """() => {
  const pick = (el) => { const s = getComputedStyle(el);
    return [s.fontFamily, s.fontSize, s.color, s.backgroundColor, s.margin, s.padding,
            s.lineHeight].join('|'); };
  return {
    body: pick(document.body), h1: pick(document.querySelector('h1')),
    main: pick(document.querySelector('main')),
    button: pick(document.getElementById('site-button')),
    globals: Object.keys(window).filter((k) => !k.startsWith('__')).sort(),
  };
}"""


async def test_the_loader_does_not_leak_styles_into_or_out_of_the_page(
    browser: Browser, origins: Origins
) -> None:
    bare = await browser.new_page()
    await bare.route("**/widget.js", lambda route: route.abort())
    await bare.goto(origins.site + "/")
    without = await bare.evaluate(STYLE_PROBE)

    page = await open_page(browser, origins.site + "/")
    await page.wait_for_function("window.ITLChat !== undefined")
    await page.evaluate("ITLChat.open()")
    await widget_frame(page)
    with_widget = await page.evaluate(STYLE_PROBE)
    assert {k: v for k, v in with_widget.items() if k != "globals"} == {
        k: v for k, v in without.items() if k != "globals"
    }
    assert sorted(set(with_widget["globals"]) - set(without["globals"])) == ["ITLChat"]

    # The site's rude rules (red buttons, yellow 22px text, dashed iframe borders) stay out.
    launcher = await page.locator("[data-itl-chat] button").evaluate(
        "(b) => { const s = getComputedStyle(b); return [s.backgroundColor, s.fontSize, s.color]; }"
    )
    assert (
        launcher[0] == "rgb(11, 95, 255)"
        and launcher[1] != "22px"
        and launcher[2] != "rgb(255, 255, 0)"
    )
    border = await page.locator("[data-itl-chat] iframe").evaluate(
        "(f) => getComputedStyle(f).borderTopStyle"
    )
    assert border == "none"
    await bare.close()
    await page.close()
