"""Fixtures for the LLM contract tests: a fake vendor server per test, and its wire module."""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import ModuleType

import pytest

from tests.support.fake_vendors import anthropic, google, openai
from tests.support.fake_vendors.server import FakeVendor


@pytest.fixture
async def vendor() -> AsyncIterator[FakeVendor]:
    async with FakeVendor() as server:
        yield server


@pytest.fixture(params=[openai, anthropic, google], ids=["openai", "anthropic", "google"])
def wire(request: pytest.FixtureRequest) -> ModuleType:
    return request.param
