"""Chat and Sessions in a real Chromium against `make run`'s stack (see test_web_app.py).

The demo admin creates an agent, chats with it and with a seeded one, watches each answer
stream in (the token events the page's own fetch consumed, and the answer bubble while it is
still busy), sees the agent badge with its routing method and the tool call, then finds the
conversations in Sessions, filters them by agent and status, and reads a transcript with its
routing and tool details. Screenshots: artifacts/screenshots/chat.png, sessions.png.
"""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from tests.browser.support import (
    DEMO_ADMIN,
    RECORD_TOKEN_EVENTS,
    Stack,
    fits_a_phone,
    screenshot,
    script_errors,
    sign_in,
)

# Records every text the streaming answer bubble showed while busy (`window.__busyTexts`), next
# to the token events RECORD_TOKEN_EVENTS records: the test requires several token events and a
# bubble that was busy, not a number of paints.
RECORD_BUSY_TEXTS = """() => {
  window.__busyTexts = [];
  new MutationObserver(() => {
    const bubble = document.querySelector('[data-testid="live-answer"][aria-busy="true"]');
    if (bubble) window.__busyTexts.push(bubble.textContent);
  }).observe(document.body, {subtree: true, childList: true, characterData: true,
                             attributes: true});
}"""


async def ask(page: Page, question: str) -> str:
    """Sends ``question`` with the keyboard; returns the answer once it is stored and shown."""
    await page.evaluate("() => { window.__tokens = []; window.__busyTexts = []; }")
    composer = page.get_by_label("Message", exact=True)
    await composer.fill(question)
    await composer.press("Enter")
    log = page.get_by_role("region", name="Conversation")
    await expect(log.locator(".turn-user").last).to_have_text(re.compile(re.escape(question)))
    await expect(page.get_by_test_id("live-answer")).to_have_count(0)  # settled into history
    answer = log.locator(".turn-assistant").last
    text = await answer.locator(".turn-text").text_content()
    assert text and text.strip(), await answer.inner_text()
    tokens: list[str] = await page.evaluate("window.__tokens")
    assert len(tokens) >= 2, tokens  # the answer streamed as separate token events
    assert "".join(tokens) == text  # ...and the history shows exactly what streamed
    busy: list[str] = await page.evaluate("window.__busyTexts")
    assert busy, "the answer bubble was never shown while streaming"
    return text


async def test_the_demo_admin_chats_and_reads_the_transcript(page: Page, stack: Stack) -> None:
    errors = script_errors(page)
    await sign_in(page, stack, DEMO_ADMIN)

    await page.get_by_role("link", name="New agent").click()
    await page.get_by_label("Name").fill("Reefer Desk")
    await page.get_by_label("Description").fill("Answers questions about refrigerated containers.")
    await page.get_by_label("Keywords").fill("reefer")
    await page.get_by_role("button", name="Create agent").click()
    await expect(page.get_by_role("link", name="Reefer Desk")).to_be_visible()

    nav = page.get_by_role("navigation", name="Primary")
    await nav.get_by_role("link", name=re.compile("^Chat")).click()
    await expect(page.get_by_role("heading", name="Chat")).to_be_visible()
    await expect(page.get_by_text("Ask anything.")).to_be_visible()
    await page.evaluate(RECORD_TOKEN_EVENTS)
    await page.evaluate(RECORD_BUSY_TEXTS)

    await ask(page, "Is a reefer plug available?")
    log = page.get_by_role("region", name="Conversation")
    badge = log.locator(".turn-assistant").last.locator(".agent-badge")
    await expect(badge).to_contain_text("Reefer Desk")
    await expect(badge).to_contain_text("routed by rules")
    sessions = page.get_by_role("complementary", name="Your sessions")
    await expect(sessions.get_by_role("link")).to_have_count(1)
    await expect(page).to_have_url(re.compile(r"/chat\?session="))

    await sessions.get_by_role("button", name="New chat").click()
    await expect(page.get_by_text("Ask anything.")).to_be_visible()
    await ask(page, "Where is shipment ITL-123456?")
    tracked = log.locator(".turn-assistant").last
    await expect(tracked.locator(".agent-badge")).to_contain_text("Shipment Tracking")
    await expect(tracked.get_by_text("Tool calls")).to_be_visible()
    await expect(tracked.locator(".turn-list code").first).to_have_text("track_shipment")
    await expect(sessions.get_by_role("link")).to_have_count(2)
    await screenshot(page, "chat")

    await nav.get_by_role("link", name=re.compile("^Sessions")).click()
    table = page.get_by_role("table")
    await expect(table.get_by_role("row")).to_have_count(3)  # the header and two sessions
    await page.get_by_label("Agent").select_option(label="Reefer Desk")
    await expect(table.get_by_role("row")).to_have_count(2)
    await page.get_by_label("Status").select_option("closed")
    await expect(page.get_by_text("No session matches these filters.")).to_be_visible()
    await page.get_by_label("Status").select_option("active")
    await page.get_by_label("Agent").select_option(label="Shipment Tracking")
    await expect(table.get_by_role("row")).to_have_count(2)
    await table.get_by_role("link", name=re.compile("Open the transcript")).click()

    transcript = page.get_by_role("region", name="Transcript")
    await expect(transcript.get_by_text("Where is shipment ITL-123456?")).to_be_visible()
    answer = transcript.locator(".turn-assistant")
    await expect(answer.locator(".agent-badge")).to_contain_text("Shipment Tracking")
    await expect(answer.get_by_text("track_shipment", exact=True)).to_be_visible()
    await expect(answer.locator(".turn-facts")).to_contain_text("tokens")
    await screenshot(page, "sessions")

    # A phone: both screens stack into one column, with no sideways scrolling.
    await fits_a_phone(page, "sessions-mobile")
    await nav_link(page, "Chat")
    await sessions.get_by_role("link").first.click()
    await expect(log.locator(".turn-assistant")).to_have_count(1)
    await fits_a_phone(page, "chat-mobile")
    assert errors == []


async def nav_link(page: Page, label: str) -> None:
    """Follows a primary navigation link, through the menu button on a narrow screen."""
    menu = page.get_by_role("button", name="Menu")
    if await menu.is_visible():
        await menu.click()
    nav = page.get_by_role("navigation", name="Primary")
    await nav.get_by_role("link", name=re.compile(f"^{label}")).click()
