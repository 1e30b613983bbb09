"""The Widget and Usage screens in a real Chromium against `make run`'s stack.

The stack and browser context come from conftest.py (one stack for this module too), the
helpers from support.py. The demo admin allows an origin and saves, copies the embed snippet
(read back from the real clipboard) and, after a chat turn, reads non-zero usage. Screenshots go
to artifacts/screenshots/.
"""

from __future__ import annotations

import re

import httpx
from playwright.async_api import BrowserContext, Page, expect

from tests.browser.support import (
    DEMO_ADMIN,
    Stack,
    fits_a_phone,
    open_screen,
    screenshot,
    script_errors,
    sign_in,
)

SHOP = "https://shop.example.com"


async def test_the_demo_admin_allows_an_origin_and_copies_the_snippet(
    context: BrowserContext,
    page: Page,
    stack: Stack,
) -> None:
    await context.grant_permissions(["clipboard-read", "clipboard-write"], origin=stack.url)
    errors = script_errors(page)
    await sign_in(page, stack, DEMO_ADMIN)
    await open_screen(page, "Widget")

    # Live preview: follows the form before anything is saved.
    preview = page.get_by_test_id("widget-preview")
    await page.get_by_label("Welcome message").fill("Hi! Ask about your shipment.")
    await expect(preview).to_contain_text("Hi! Ask about your shipment.")

    # A malformed origin is refused in place; a good one joins the list (Enter adds it).
    origin = page.get_by_label("Add an origin")
    await origin.fill("shop.example.com")
    await page.get_by_role("button", name="Add origin").click()
    await expect(page.get_by_text(re.compile("An origin is scheme://host"))).to_be_visible()
    await origin.fill(SHOP)
    await origin.press("Enter")
    origins = page.get_by_role("list", name="Allowed origins")
    await expect(origins.get_by_text(SHOP, exact=True)).to_be_visible()
    await page.get_by_role("button", name="Save widget").click()
    await expect(page.get_by_text(re.compile("^Saved"))).to_be_visible()

    token = await stack.token(DEMO_ADMIN)
    saved = (await stack.call("GET", "/api/admin/widget", token=token)).json()
    assert SHOP in saved["allowed_origins"]
    assert saved["welcome_message"] == "Hi! Ask about your shipment."

    # The snippet names this stack's widget host; the copy lands on the real clipboard.
    snippet = f'<script src="{saved["widget_url"]}/widget.js" data-tenant="demo" async></script>'
    await expect(page.get_by_label("Add this tag to every page that shows the chat")).to_have_value(
        snippet
    )
    await page.get_by_role("button", name="Copy snippet").click()
    await expect(page.get_by_role("status").filter(has_text="Copied")).to_be_visible()
    assert await page.evaluate("navigator.clipboard.readText()") == snippet

    # The host behind the snippet serves the loader.
    async with httpx.AsyncClient() as client:
        loader = await client.get(f"{saved['widget_url']}/widget.js")
    assert loader.status_code == 200 and "javascript" in loader.headers["content-type"]

    await screenshot(page, "widget")
    await fits_a_phone(page, "widget-mobile")
    assert errors == []


async def test_usage_shows_the_tokens_of_a_chat_turn(
    page: Page,
    stack: Stack,
) -> None:
    token = await stack.token(DEMO_ADMIN)
    turn = await stack.call(
        "POST", "/api/demo/chat", token=token, json={"message": "How much is a pallet to Hamburg?"}
    )
    assert turn.status_code == 200, turn.text
    spent = turn.json()["metadata"]["usage"]
    assert spent["input_tokens"] + spent["output_tokens"] > 0

    errors = script_errors(page)
    await sign_in(page, stack, DEMO_ADMIN)
    await open_screen(page, "Usage")

    totals = page.get_by_label("Totals")
    await expect(totals).to_be_visible()
    turns = totals.locator("div").filter(has_text="Chat turns").locator("dd").first
    assert int((await turns.inner_text()).replace(",", "")) >= 1
    tokens = totals.locator("div").filter(has_text="Tokens").locator("dd").first
    assert int(re.sub(r"\D", "", await tokens.inner_text())) >= (
        spent["input_tokens"] + spent["output_tokens"]
    )
    per_day = page.get_by_role("img", name="Tokens per day")
    await expect(per_day).to_be_visible()
    assert await per_day.locator("g[data-day]").count() == 30  # the default: the last 30 days
    agents = page.get_by_role("img", name="Tokens per agent")
    await expect(agents.locator("g[data-agent]").first).to_be_visible()

    # Keyboard: the data table behind a chart opens from its summary.
    summary = page.get_by_text("Show the data as a table").first
    await summary.focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("table", name="Tokens per day")).to_be_visible()

    await page.get_by_role("button", name="Last 7 days").click()
    await expect(per_day.locator("g[data-day]")).to_have_count(7)
    await screenshot(page, "usage")
    await fits_a_phone(page, "usage-mobile")
    assert errors == []
