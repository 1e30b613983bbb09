"""Layered request limits through the HTTP stack, counted in the real Redis.

The scene: tenant ``acme`` with tight limits of its own (``settings["limits"]``), served by an
app whose trusted proxy is the loopback address; ``GET /api/admin/agents`` is an ``api`` class
route, ``POST /api/{tenant}/chat`` a ``chat`` class one.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from itl_core.access import Role

from tests.integration.api.conftest import assert_problem
from tests.integration.quotas.conftest import Stack, make_stack
from tests.support.threads import app_on_portal

AGENTS = "/api/admin/agents"


@pytest.fixture(scope="module")
async def module_stack(settings: Any, hasher: Any) -> AsyncIterator[Stack]:
    # A generous Redis timeout: these tests count exact admissions, and on a loaded machine a
    # 0.5 s timeout would (correctly) fail open onto the per-process limiter and admit more.
    # The fail-open path has its own test (test_redis_outage.py).
    async with make_stack(
        settings, hasher, trusted_proxies=("127.0.0.1/32",), redis_timeout_ms=5000
    ) as stack:
        yield stack


@pytest.fixture
async def stack(database: Any, module_stack: Stack) -> Stack:
    module_stack.reset()
    return module_stack


async def test_the_limit_admits_exactly_its_count_then_answers_429_with_retry_after(
    stack: Stack,
) -> None:
    await stack.tenant("acme", {"limits": {"api": {"actor": 5, "period_seconds": 60}}})
    headers = stack.bearer("acme")
    admitted = [await stack.client.get(AGENTS, headers=headers) for _ in range(5)]
    assert [r.status_code for r in admitted] == [200] * 5
    assert [r.headers["RateLimit-Remaining"] for r in admitted] == ["4", "3", "2", "1", "0"]
    assert {r.headers["RateLimit-Limit"] for r in admitted} == {"5"}
    assert all(1 <= int(r.headers["RateLimit-Reset"]) <= 60 for r in admitted)

    refused = await stack.client.get(AGENTS, headers=headers)
    body = assert_problem(refused, 429)
    assert body["code"] == "rate_limited"
    retry_after = int(refused.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    # The refusal repeats the refusing limit's headers: nothing left until it resets.
    assert refused.headers["RateLimit-Limit"] == "5"
    assert refused.headers["RateLimit-Remaining"] == "0"
    assert retry_after <= int(refused.headers["RateLimit-Reset"]) <= 60


async def test_a_hundred_parallel_requests_against_a_limit_of_ten_admit_exactly_ten(
    stack: Stack,
) -> None:
    await stack.tenant("acme", {"limits": {"api": {"tenant": 10}}})
    headers = stack.bearer("acme")
    with app_on_portal(stack.client) as port:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            answers = await asyncio.gather(*(http.get(AGENTS, headers=headers) for _ in range(100)))
    statuses = sorted(r.status_code for r in answers)
    assert statuses.count(200) == 10
    assert statuses.count(429) == 90


async def test_one_abusive_user_does_not_exhaust_the_tenant(stack: Stack) -> None:
    await stack.tenant("acme", {"limits": {"api": {"actor": 3, "tenant": 6}}})
    abuser, other = stack.bearer("acme", "abuser"), stack.bearer("acme", "other")
    abusive = [await stack.client.get(AGENTS, headers=abuser) for _ in range(20)]
    assert [r.status_code for r in abusive].count(200) == 3  # refused hits count nowhere
    polite = [await stack.client.get(AGENTS, headers=other) for _ in range(3)]
    assert [r.status_code for r in polite] == [200, 200, 200]


async def test_each_tenant_is_limited_by_its_own_settings(stack: Stack) -> None:
    await stack.tenant("tight", {"limits": {"api": {"actor": 2}}})
    await stack.tenant("roomy")  # the defaults: 600 per user per minute
    tight = [await stack.client.get(AGENTS, headers=stack.bearer("tight")) for _ in range(3)]
    roomy = [await stack.client.get(AGENTS, headers=stack.bearer("roomy")) for _ in range(3)]
    assert [r.status_code for r in tight] == [200, 200, 429]
    assert [r.status_code for r in roomy] == [200, 200, 200]
    assert roomy[0].headers["RateLimit-Limit"] == "600"


async def test_chat_has_limits_of_its_own(stack: Stack) -> None:
    await stack.tenant("acme", {"limits": {"chat": {"actor": 1}}})
    headers = await stack.user("acme", "member@acme.test")
    first = await stack.client.post("/api/acme/chat", json={"message": "Hello"}, headers=headers)
    second = await stack.client.post("/api/acme/chat", json={"message": "Hello"}, headers=headers)
    assert first.status_code == 200, first.text
    assert first.headers["RateLimit-Limit"] == "1"
    assert_problem(second, 429)
    listing = await stack.client.get(AGENTS, headers=headers)  # the api class is untouched
    assert listing.status_code != 429


async def test_tenant_limit_settings_are_validated(stack: Stack) -> None:
    await stack.tenant("acme")
    platform = stack.bearer(None, "root", Role.PLATFORM_ADMIN)
    response = await stack.client.patch(
        "/api/admin/tenants/acme",
        json={"settings": {"limits": {"chat": {"actor": 0}}, "budget": {"soft_ratio": 3}}},
        headers=platform,
    )
    body = assert_problem(response, 422)
    fields = {e["field"] for e in body["errors"]}
    assert {"settings.limits.chat.actor", "settings.budget.soft_ratio"} <= fields


async def test_forwarded_for_is_believed_only_from_a_trusted_proxy(stack: Stack) -> None:
    await stack.tenant("acme", {"limits": {"api": {"ip": 2}}})
    headers = stack.bearer("acme")
    # In-process test client: the peer is not a trusted proxy, so X-Forwarded-For is ignored
    # and every spoofed address shares the peer's budget.
    spoofed = [
        await stack.client.get(AGENTS, headers={**headers, "X-Forwarded-For": f"203.0.113.{i}"})
        for i in range(3)
    ]
    assert [r.status_code for r in spoofed] == [200, 200, 429]
    # Over TCP from 127.0.0.1, the trusted proxy: each forwarded client has its own budget.
    with app_on_portal(stack.client) as port:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            for client in ("198.51.100.1", "198.51.100.2"):
                forwarded = {**headers, "X-Forwarded-For": f"{client}, 127.0.0.1"}
                answers = [await http.get(AGENTS, headers=forwarded) for _ in range(3)]
                assert [r.status_code for r in answers] == [200, 200, 429], client
