"""A real Chromium for browser tests: Debian's package, driven by Playwright.

Never a downloaded browser. A missing Chromium fails these tests (it does not skip them):
`make test` installs it on a fresh machine (see the Makefile's `chromium` target).

The web app's tests drive `make run`'s stack (`stack`: one per test module, a real `itl serve`
serving web/dist at / on the embedded default, free ports, its own data directory); each test
opens its own browser context, so tokens never leak between tests. Their helpers are in
support.py.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator, Iterator

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from tests.browser.support import DEMO_ADMIN, PLATFORM_ADMIN, TIMEOUT_MS, Stack, built_web_app
from tests.conftest import server_dir
from tests.e2e.test_make_run import Serve

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("ITL_CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail("Debian's chromium is required for browser tests: run `make chromium`")
    return path


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        instance = await playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_FLAGS
        )
        yield instance
        await instance.close()


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
