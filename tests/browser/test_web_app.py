"""The web app in a real Chromium against `make run`'s stack: `itl serve` serving web/dist at /.

The stack and browser fixtures are in conftest.py (one stack for the module, a browser context
for each test), the helpers in support.py. Screenshots of each main screen go to
artifacts/screenshots/ for a reviewer to look at (they are not compared pixel by pixel).

Chat, streaming and transcripts are in test_web_chat.py; Knowledge and Tools in
test_web_knowledge.py; Widget and Usage in test_web_widget_usage.py.
"""

from __future__ import annotations

import re

from playwright.async_api import Page, Route, expect

from tests.browser.support import (
    DEMO_ADMIN,
    PLATFORM_ADMIN,
    Stack,
    screenshot,
    script_errors,
    sign_in,
)

MEMBER = "member@demo.local"
MEMBER_PASSWORD = "member-password-1"
EXPIRED = "Your session has expired. Please sign in again."


async def test_the_demo_admin_signs_in_and_creates_an_agent(page: Page, stack: Stack) -> None:
    errors = script_errors(page)
    await page.goto(f"{stack.url}/")
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await screenshot(page, "sign-in")

    await sign_in(page, stack, DEMO_ADMIN)
    await expect(page).to_have_url(f"{stack.url}/agents")
    await expect(page.get_by_role("link", name="Shipment Tracking")).to_be_visible()
    await screenshot(page, "agents")

    await page.get_by_role("link", name="New agent").click()
    await page.get_by_role("button", name="Create agent").click()
    await expect(page.get_by_text("Give the agent a name.")).to_be_visible()
    await page.get_by_label("Name").fill("Rates Desk")
    await page.get_by_label("Description").fill(
        "Answers questions about freight rates and surcharges."
    )
    await page.get_by_label("Keywords").fill("rate\nsurcharge\nbunker")
    await screenshot(page, "agent-editor")
    await page.get_by_role("button", name="Create agent").click()

    await expect(page).to_have_url(f"{stack.url}/agents")
    await expect(page.get_by_role("link", name="Rates Desk")).to_be_visible()
    agents = await stack.call("GET", "/api/admin/agents", token=await stack.token(DEMO_ADMIN))
    created = next(a for a in agents.json()["items"] if a["name"] == "Rates Desk")
    assert created["routing"]["keywords"] == ["rate", "surcharge", "bunker"]

    await page.get_by_role("link", name="Users").click()
    await expect(page.get_by_text(DEMO_ADMIN)).to_be_visible()
    await screenshot(page, "users")
    await page.get_by_role("link", name="Provider keys").click()
    openai = page.get_by_role("form", name="OpenAI key")
    await openai.get_by_label("OpenAI API key").fill("sk-e2e-not-a-real-key-4242")
    await openai.get_by_role("button", name="Save key").click()
    await expect(openai.get_by_text("…4242")).to_be_visible()
    await expect(page.get_by_text("sk-e2e-not-a-real-key")).to_have_count(0)
    await screenshot(page, "provider-keys")
    assert errors == []


async def test_the_platform_admin_manages_tenants(page: Page, stack: Stack) -> None:
    await sign_in(page, stack, PLATFORM_ADMIN)
    await expect(page).to_have_url(f"{stack.url}/admin/tenants")
    await page.get_by_label("Tenant id").fill("acme-freight")
    await page.get_by_label("Name", exact=True).fill("Acme Freight")
    await page.get_by_role("button", name="Create tenant").click()
    await expect(page.get_by_role("cell", name="Acme Freight")).to_be_visible()
    await screenshot(page, "tenants")

    demo_row = page.get_by_role("row", name=re.compile("demo"))
    await demo_row.get_by_role("link", name="Agents").click()
    await expect(page.get_by_role("link", name="Shipment Tracking")).to_be_visible()


async def test_a_member_cannot_see_admin_screens(page: Page, stack: Stack) -> None:
    created = await stack.call(
        "POST",
        "/api/admin/users",
        token=await stack.token(DEMO_ADMIN),
        json={"email": MEMBER, "password": MEMBER_PASSWORD, "role": "member"},
    )
    assert created.status_code in (200, 201), created.text

    await sign_in(page, stack, MEMBER, MEMBER_PASSWORD)
    await expect(page).to_have_url(f"{stack.url}/chat")
    nav = page.get_by_role("navigation", name="Primary")
    await expect(nav.get_by_role("link", name=re.compile("^Chat"))).to_be_visible()
    for screen in ("Agents", "Users", "Tenants", "Provider keys", "Tools", "Knowledge", "Widget"):
        await expect(nav.get_by_role("link", name=re.compile(f"^{screen}"))).to_have_count(0)
    await screenshot(page, "member")

    for path in ("/agents", "/admin/users", "/admin/tenants", "/agents/new"):
        await page.goto(f"{stack.url}{path}")
        await expect(page.get_by_role("heading", name="No access")).to_be_visible()


async def test_an_expired_session_sends_the_user_back_to_sign_in(page: Page, stack: Stack) -> None:
    await sign_in(page, stack, DEMO_ADMIN)
    await expect(page.get_by_role("link", name="Shipment Tracking")).to_be_visible()
    refresh_token = await page.evaluate("sessionStorage.getItem('itl.refresh_token')")
    assert refresh_token
    await stack.sign_out_elsewhere(refresh_token)  # the session ends on the server...

    # ...and the access token in memory expires: the API answers 401 to the next call.
    async def expired(route: Route) -> None:
        await route.fulfill(
            status=401,
            content_type="application/problem+json",
            json={
                "type": "about:blank",
                "title": "Unauthorized",
                "status": 401,
                "detail": "Expired.",
            },
        )

    await page.route(re.compile(r"/api/admin/users"), expired)
    await page.get_by_role("link", name="Users").click()
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await expect(page.get_by_role("status")).to_have_text(EXPIRED)
    assert await page.evaluate("sessionStorage.getItem('itl.refresh_token')") is None
    await screenshot(page, "session-expired")


async def test_a_reload_after_signing_out_elsewhere_lands_on_sign_in(
    page: Page, stack: Stack
) -> None:
    await sign_in(page, stack, DEMO_ADMIN)
    await expect(page.get_by_role("link", name="Shipment Tracking")).to_be_visible()
    await page.reload()  # the session survives a reload of the tab...
    await expect(page.get_by_role("link", name="Shipment Tracking")).to_be_visible()

    refresh_token = await page.evaluate("sessionStorage.getItem('itl.refresh_token')")
    await stack.sign_out_elsewhere(refresh_token)
    await page.reload()  # ...but not a revoked refresh token
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await expect(page.get_by_role("status")).to_have_text(EXPIRED)
    await expect(page).to_have_url(re.compile(r"/sign-in\?next=%2Fagents$"))
