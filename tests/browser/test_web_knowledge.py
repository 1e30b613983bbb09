"""The Tools and Knowledge screens in a real Chromium against `make run`'s stack.

The stack and browser context come from conftest.py (one stack for this module too), the
helpers from support.py.
The demo admin uploads a document and finds it in the search preview, then gives the demo's
``track_shipment`` HTTP tool a secret header and runs it with the test call: its endpoint is the
API's own demo tracking route, so this works offline. Screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.async_api import Page, expect

from tests.browser.support import (
    DEMO_ADMIN,
    Stack,
    fits_a_phone,
    open_screen,
    screenshot,
    script_errors,
    sign_in,
)

TITLE = "Reefer handling policy"
DOCUMENT = """# Reefer containers

## Pre-cooling

Never pre-cool a reefer container before stuffing chilled cargo: warm humid air condenses
on the cold walls. Set the thermostat to the shipper's set point and keep the doors shut.

## Ventilation

Fresh-air vents stay closed for frozen cargo.
"""


async def test_the_demo_admin_uploads_a_document_and_finds_it(
    page: Page,
    stack: Stack,
    tmp_path: Path,
) -> None:
    errors = script_errors(page)
    await sign_in(page, stack, DEMO_ADMIN)
    await open_screen(page, "Knowledge")

    upload = tmp_path / "reefer-policy.md"
    upload.write_text(DOCUMENT, encoding="utf-8")
    await page.get_by_label("Files", exact=True).set_input_files(str(upload))
    await page.get_by_label("Title (optional)").fill(TITLE)
    await page.get_by_role("button", name="Upload", exact=True).click()

    uploads = page.get_by_role("list", name="Uploads")
    await expect(uploads.get_by_text(re.compile(r"Added · \d+ passages"))).to_be_visible()
    bar = uploads.get_by_role("progressbar", name="Upload of reefer-policy.md")
    await expect(bar).to_have_attribute("value", "100")
    row = page.get_by_role("row", name=re.compile(TITLE))
    await expect(row.get_by_text("Ready")).to_be_visible()

    token = await stack.token(DEMO_ADMIN)
    listed = await stack.call("GET", "/api/admin/knowledge/documents", token=token)
    stored = next(d for d in listed.json()["items"] if d["title"] == TITLE)
    assert stored["status"] == "ready" and stored["chunks"] >= 1, stored

    question = "pre-cool reefer container before stuffing chilled cargo"
    await page.get_by_label("Question").fill(question)
    await page.get_by_role("button", name="Search", exact=True).click()
    results = page.get_by_role("list", name="Search results")
    hit = results.get_by_role("listitem").filter(has_text=TITLE).first
    await expect(hit).to_be_visible()
    await expect(hit).to_contain_text("Reefer containers \u203a Pre-cooling")
    await expect(hit).to_contain_text(re.compile(r"score \d\.\d{3}"))
    await screenshot(page, "knowledge")
    await fits_a_phone(page, "knowledge-mobile")
    assert errors == []


async def test_the_demo_admin_sets_a_secret_header_and_test_calls_a_tool(
    page: Page,
    stack: Stack,
) -> None:
    errors = script_errors(page)
    await sign_in(page, stack, DEMO_ADMIN)
    await open_screen(page, "Tools")
    tracking = page.get_by_role("link", name="track_shipment")
    await expect(tracking).to_be_visible()
    await expect(page.get_by_role("row", name=re.compile("knowledge_base"))).to_contain_text(
        "Knowledge search"
    )
    await screenshot(page, "tools")

    await tracking.click()
    await expect(page.get_by_role("heading", name="Edit track_shipment")).to_be_visible()
    await expect(page.get_by_label("URL template")).to_have_value(
        re.compile(r"/demo/tracking/\{number\}$")
    )
    await expect(page.get_by_label("Parameter 1 name")).to_have_value("number")

    secret = "demo-carrier-key-7731"
    await page.get_by_role("button", name="Add secret header").click()
    await page.get_by_label("Header 2 name").fill("X-Carrier-Key")
    await page.get_by_label("Secret value of X-Carrier-Key").fill(secret)
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.get_by_text("Saved.")).to_be_visible()
    await expect(page.get_by_text("secret set")).to_be_visible()
    assert secret not in await page.content()
    token = await stack.token(DEMO_ADMIN)
    tools = (await stack.call("GET", "/api/admin/tools", token=token)).json()["items"]
    saved = next(t for t in tools if t["name"] == "track_shipment")
    assert saved["secret_names"] == ["X-Carrier-Key"]
    assert secret not in json.dumps(saved)

    await page.get_by_label("Sample arguments (JSON)").fill('{"number": "ITL-123456"}')
    await page.get_by_role("button", name="Test call").click()
    result = page.get_by_role("region", name="Test result")
    await expect(result.get_by_text("Succeeded")).to_be_visible()
    await expect(result).to_contain_text("ITL-123456")
    await screenshot(page, "tool-editor")
    await fits_a_phone(page, "tool-editor-mobile")
    await page.set_viewport_size({"width": 1280, "height": 800})

    await page.get_by_label("Sample arguments (JSON)").fill('{"number": "not a number"}')
    await page.get_by_role("button", name="Test call").click()
    await expect(result.get_by_text("Failed")).to_be_visible()
    assert errors == []
