"""Redis stops mid-run: chat keeps answering (fail open), login fails closed, recovery is automatic.

The app runs against a Redis of this test's own (``server_root``), so stopping it leaves the
session's Redis alone; the breaker cools down for one second, so recovery is quick to observe.
"""

from __future__ import annotations

import asyncio
from typing import Any

from itl_adapters.embedded import EmbeddedRedis
from itl_adapters.ratelimit import fail_open_counter

from tests.integration.api.conftest import assert_problem
from tests.integration.quotas.conftest import PASSWORD, make_stack


async def test_chat_survives_a_redis_outage_login_fails_closed_and_both_recover(
    database: Any, settings: Any, hasher: Any, server_root: Any
) -> None:
    redis = EmbeddedRedis(server_root)
    url = await asyncio.to_thread(redis.start)
    try:
        async with make_stack(
            settings, hasher, redis_url=url, redis_breaker_failures=2, redis_breaker_cooldown=1
        ) as stack:
            await stack.tenant("acme")
            member = await stack.user("acme", "member@acme.test")
            credentials = {"email": "member@acme.test", "password": PASSWORD}

            async def login() -> Any:
                return await stack.client.post("/api/auth/login", json=credentials)

            async def chat() -> Any:
                return await stack.client.post(
                    "/api/acme/chat", json={"message": "Hello"}, headers=member
                )

            assert (await login()).status_code == 200
            assert (await chat()).status_code == 200

            await asyncio.to_thread(redis.stop)
            fail_open_before = fail_open_counter()._value.get()
            for _ in range(3):  # the first failures open the circuit; later ones fail fast
                answer = await chat()
                assert answer.status_code == 200, answer.text
                assert answer.json()["response"]
                body = assert_problem(await login(), 503)
                assert body["code"] == "upstream_unavailable"
            assert fail_open_counter()._value.get() >= fail_open_before + 3

            await asyncio.to_thread(redis.start)
            statuses = []
            for _ in range(50):  # the circuit probes once its one-second cool-down has passed
                statuses.append((await login()).status_code)
                if statuses[-1] == 200:
                    break
                await asyncio.sleep(0.2)
            assert statuses[-1] == 200, statuses
            assert set(statuses[:-1]) <= {503}
            assert (await chat()).status_code == 200
    finally:
        await asyncio.to_thread(redis.stop)
