"""What the web app's browser tests share: the stack they drive, signing in, screenshots, checks.

The fixtures built on these (`stack`, `context`, `page`) are in this folder's conftest.py; a test
module imports the helpers from here and names the fixtures as parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Page, expect

REPO = Path(__file__).resolve().parents[2]
WEB = REPO / "web"
DIST = WEB / "dist"
SCREENSHOTS = REPO / "artifacts" / "screenshots"
DEMO_ADMIN = "admin@demo.local"
PLATFORM_ADMIN = "admin@itl.local"
TIMEOUT_MS = 15_000
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True, slots=True)
class Stack:
    """`make run`'s stack as the browser tests reach it: its URL and the seeded passwords."""

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


def script_errors(page: Page) -> list[str]:
    """The page's uncaught script errors from now on: a test ends asserting the list is empty."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


async def screenshot(page: Page, name: str) -> None:
    """artifacts/screenshots/<name>.png, the full page, for a reviewer (never compared)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


async def sign_in(page: Page, stack: Stack, email: str, password: str | None = None) -> None:
    await page.goto(f"{stack.url}/sign-in")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password or stack.passwords[email])
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()


async def open_screen(page: Page, label: str) -> None:
    """Follows the primary navigation's link to a screen and waits for the screen's heading."""
    await page.get_by_role("navigation", name="Primary").get_by_role("link", name=label).click()
    await expect(page.get_by_role("heading", name=label, exact=True)).to_be_visible()


async def fits_a_phone(page: Page, name: str) -> None:
    """At a phone's width the screen needs no sideways scrolling (wide tables scroll inside);
    the screenshot is artifacts/screenshots/<name>.png."""
    await page.set_viewport_size(PHONE)
    overflow = await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name}: {overflow}px wider than the viewport"
    await screenshot(page, name)


# Records, in `window.__tokens`, the token events the page's own fetch of a chat stream
# delivered, in order (the web app's chat and the widget both stream from a URL ending in
# /chat). Whether the network delivers several events in one read depends on timing, so tests
# check the events the page consumed and the final text, not how many paints happened.
RECORD_TOKEN_EVENTS = """() => {
  window.__tokens = [];
  const original = window.fetch;
  window.fetch = async (...args) => {
    const response = await original(...args);
    const url = args[0] instanceof Request ? args[0].url : String(args[0]);
    if (!url.endsWith('/chat') || !response.body) return response;
    const [mine, theirs] = response.body.tee();
    (async () => {
      const reader = mine.getReader(), decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const {value, done} = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, {stream: true}).replaceAll('\\r\\n', '\\n');
        let i;
        while ((i = buffer.indexOf('\\n\\n')) >= 0) {
          const frame = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          if (frame.startsWith('event: token')) {
            window.__tokens.push(JSON.parse(frame.split('data:')[1]).text);
          }
        }
      }
    })();
    return new Response(theirs, {status: response.status, headers: response.headers});
  };
}"""
