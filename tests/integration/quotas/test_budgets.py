"""Tenant budgets on the chat route: a warning past the soft ratio, 429 once spent.

Usage is set with the real ledger (PostgreSQL) rather than by chatting, so the boundaries are
exact; the turns themselves run on the offline model.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from itl_adapters.containers import resolve

from tests.integration.api.conftest import assert_problem
from tests.integration.quotas.conftest import Stack, make_stack

BUDGET = {"budget": {"daily_tokens": 1_000, "monthly_cost_usd": 50, "soft_ratio": 0.8}}


@pytest.fixture(scope="module")
async def module_stack(settings: Any, hasher: Any) -> AsyncIterator[Stack]:
    async with make_stack(settings, hasher) as stack:
        yield stack


@pytest.fixture
async def stack(database: Any, module_stack: Stack) -> Stack:
    module_stack.reset()
    return module_stack


async def spend(stack: Stack, tenant: str, tokens: int, cost_usd: float = 0.0) -> None:
    ledger = await resolve(stack.container.repositories.usage)
    await ledger.add(tenant, datetime.now(UTC), tokens, cost_usd)


def seconds_to_next(*, days: int = 0, month: bool = False) -> int:
    """Whole seconds (rounded up) from now to the next UTC midnight or first of a month."""
    now = datetime.now(UTC)
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if month:
        start = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
    else:
        start += timedelta(days=days)
    return math.ceil((start - now).total_seconds())


async def chat(stack: Stack, headers: dict[str, str]) -> Any:
    return await stack.client.post("/api/acme/chat", json={"message": "Hello"}, headers=headers)


async def test_turns_below_the_soft_ratio_carry_no_warning_and_add_their_usage(
    stack: Stack,
) -> None:
    await stack.tenant("acme", BUDGET)
    headers = await stack.user("acme", "member@acme.test")
    answer = await chat(stack, headers)
    assert answer.status_code == 200, answer.text
    metadata = answer.json()["metadata"]
    assert "budget_warning" not in metadata
    used = metadata["usage"]["input_tokens"] + metadata["usage"]["output_tokens"]
    ledger = await resolve(stack.container.repositories.usage)
    totals = await ledger.totals("acme", datetime.now(UTC))
    assert used > 0 and totals.day_tokens == totals.month_tokens == used


async def test_past_the_soft_ratio_the_answer_carries_a_budget_warning(stack: Stack) -> None:
    await stack.tenant("acme", BUDGET)
    headers = await stack.user("acme", "member@acme.test")
    await spend(stack, "acme", 800)
    answer = await chat(stack, headers)
    assert answer.status_code == 200, answer.text
    warning = answer.json()["metadata"]["budget_warning"]
    assert warning["budget"] == "daily_tokens"
    assert warning["limit"] == 1_000 and warning["used"] > 800 and warning["soft_ratio"] == 0.8


async def test_a_spent_budget_refuses_the_turn_with_quota_exceeded_before_any_model_call(
    stack: Stack,
) -> None:
    await stack.tenant("acme", BUDGET)
    headers = await stack.user("acme", "member@acme.test")
    await spend(stack, "acme", 1_000)
    latest = seconds_to_next(days=1)
    refused = await chat(stack, headers)
    body = assert_problem(refused, 429)
    assert body["code"] == "quota_exceeded"
    # The daily budget is spent: retry at the next UTC midnight.
    assert seconds_to_next(days=1) <= int(refused.headers["Retry-After"]) <= latest
    sessions = await stack.client.get("/api/acme/sessions", headers=headers)
    assert sessions.status_code == 200 and sessions.json()["items"] == []  # nothing ran


async def test_the_cost_budget_is_enforced_as_well(stack: Stack) -> None:
    await stack.tenant("acme", BUDGET)
    headers = await stack.user("acme", "member@acme.test")
    await spend(stack, "acme", 0, cost_usd=50.0)
    latest = seconds_to_next(month=True)
    refused = await chat(stack, headers)
    body = assert_problem(refused, 429)
    assert body["code"] == "quota_exceeded" and "monthly cost usd" in body["detail"]
    assert seconds_to_next(month=True) <= int(refused.headers["Retry-After"]) <= latest


async def test_a_tenant_without_a_budget_is_not_limited(stack: Stack) -> None:
    await stack.tenant("acme")
    headers = await stack.user("acme", "member@acme.test")
    await spend(stack, "acme", 10_000_000, cost_usd=1_000_000)
    assert (await chat(stack, headers)).status_code == 200
