"""A real Chromium for browser tests: Debian's package, driven by Playwright.

Never a downloaded browser. A missing Chromium fails these tests (it does not skip them):
`make test` installs it on a fresh machine (see the Makefile's `chromium` target).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, async_playwright

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
