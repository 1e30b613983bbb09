"""The web app in a real Chromium against `make run`'s stack: `itl serve` serving web/dist at /.

One stack for the module (a real process on the embedded default, free ports, its own data
directory); each test opens its own browser context, so tokens never leak between tests.
Screenshots of each main screen go to artifacts/screenshots/ for a reviewer to look at (they
are not compared pixel by pixel).

Chat, streaming and transcripts are in test_web_chat.py; the widget snippet joins these steps when
its API lands.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, Route, expect

from tests.conftest import server_dir
from tests.e2e.test_make_run import Serve

REPO = Path(__file__).resolve().parents[2]
WEB = REPO / "web"
DIST = WEB / "dist"
SCREENSHOTS = REPO / "artifacts" / "screenshots"
DEMO_ADMIN = "admin@demo.local"
PLATFORM_ADMIN = "admin@itl.local"
MEMBER = "member@demo.local"
MEMBER_PASSWORD = "member-password-1"
TIMEOUT_MS = 15_000


@dataclass(frozen=True, slots=True)
class Stack:
    url: str
    passwords: dict[str, str]

    async def call(
        self, method: str, path: str, *, token: str | None = None, json: object = None
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with httpx.AsyncClient(base_url=self.url) as client:
            return await client.request(method, path, json=json, headers=headers)

    async def token(self, email: str) -> str:
        credentials = {"email": email, "password": self.passwords[email]}
        answer = await self.call("POST", "/api/auth/login", json=credentials)
        assert answer.status_code == 200, answer.text
        return answer.json()["access_token"]

    async def sign_out_elsewhere(self, refresh_token: str) -> None:
        """What signing out in another place does: the whole token family is revoked."""
        answer = await self.call("POST", "/api/auth/logout", json={"refresh_token": refresh_token})
        assert answer.status_code == 204, answer.text


def built_web_app() -> Path:
    """web/dist, built from the current sources (`make test` builds it first: `make web`)."""
    index = DIST / "index.html"
    if not index.is_file():
        pytest.fail("web/dist is missing: run `make web` (npm ci && npm run build in web/)")
    newest = max(p.stat().st_mtime for p in (WEB / "src").rglob("*") if p.is_file())
    if index.stat().st_mtime < newest:
        pytest.fail("web/dist is older than web/src: run `make web`")
    return DIST


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    dist = built_web_app()
    root = server_dir("web-e2e")
    serve = Serve(root / ".itl", ITL_WEB_DIST=str(dist))
    try:
        serve.wait_ready()
        banner = serve.output()
        passwords = dict(re.findall(r"(\S+@\S+)\s+password: (\S+)", banner))
        assert {DEMO_ADMIN, PLATFORM_ADMIN} <= passwords.keys(), banner
        yield Stack(url=serve.api, passwords=passwords)
    finally:
        assert serve.stop() == 0, serve.output()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    await context.close()


@pytest.fixture
async def page(context: BrowserContext) -> Page:
    return await context.new_page()


async def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


EXPIRED = "Your session has expired. Please sign in again."


async def sign_in(page: Page, stack: Stack, email: str, password: str | None = None) -> None:
    await page.goto(f"{stack.url}/sign-in")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password or stack.passwords[email])
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()


async def test_the_demo_admin_signs_in_and_creates_an_agent(page: Page, stack: Stack) -> None:
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
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
    assert script_errors == []


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
