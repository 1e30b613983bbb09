"""Polling a session while a turn runs (the web app's Chat screen does it every second): the
session record is served from the session cache, yet every write of the turn shows at once
(its messages while it runs, the session's new state once the answer settled)."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import httpx
from prometheus_client import REGISTRY

from tests.integration.api.conftest import OTHER_TENANT, Api
from tests.integration.api.test_chat import STREAM, chat_url, other_on_openai, settled
from tests.support.fake_vendors import openai
from tests.support.sse import parse_sse
from tests.support.threads import vendor_in_thread

SESSIONS = f"/api/{OTHER_TENANT}/sessions"


def session_hits() -> float:
    return REGISTRY.get_sample_value(
        "itl_cache_requests_total", {"cache": "session", "result": "hit"}
    ) or 0.0  # fmt: skip


async def read(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> Any:
    response = await client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_polling_during_a_turn_sees_its_messages_and_session_at_once(
    api: Api, live: str
) -> None:
    with vendor_in_thread() as vendor:
        # The first turn answers; the second streams one word, then the model goes quiet.
        vendor.reply(
            openai.text_stream(["Freight rates ", "are stable."]),
            dataclasses.replace(openai.text_stream(["Rates ", "rise "]), stall_after=2),
        )
        async with other_on_openai(api, vendor) as member:
            first = await api.client.post(
                chat_url(OTHER_TENANT), json={"message": "freight rates?"}, headers=member
            )
            assert first.status_code == 200, first.text
            session_id = first.json()["session_id"]
            async with httpx.AsyncClient(base_url=live, timeout=10) as poller:
                before = await read(poller, f"{SESSIONS}/{session_id}", member)
                hits = session_hits()
                assert await read(poller, f"{SESSIONS}/{session_id}", member) == before
                messages = await read(poller, f"{SESSIONS}/{session_id}/messages", member)
                assert len(messages["items"]) == 2
                assert session_hits() == hits + 2  # both owner checks served by the cache

                async with httpx.AsyncClient(base_url=live, timeout=10) as chatter:
                    async with chatter.stream(
                        "POST", chat_url(OTHER_TENANT),
                        json={"message": "and freight next week?", "session_id": session_id},
                        headers=member | STREAM,
                    ) as response:  # fmt: skip
                        seen = ""
                        chunks = response.aiter_text()  # held: a dropped one hangs up
                        async for chunk in chunks:
                            seen += chunk
                            if "event: token" in seen:
                                break
                        assert parse_sse(seen)[0][1]["session_id"] == session_id
                        # The answer is pending: the poll sees the turn's writes already.
                        during = await read(poller, f"{SESSIONS}/{session_id}/messages", member)
                        assert [(m["role"], m["status"]) for m in during["items"]] == [
                            ("user", "complete"), ("assistant", "complete"),
                            ("user", "complete"), ("assistant", "pending"),
                        ]  # fmt: skip
                        assert during["items"][2]["content"] == "and freight next week?"
                        # The session itself is written when the answer settles, with it.
                        assert await read(poller, f"{SESSIONS}/{session_id}", member) == before
                final = await settled(api, member, session_id)
                # The cached copy goes once the settling unit ended, a moment after its commit
                # (which the transcript above may already show): at most a few polls later.
                for _ in range(20):
                    now = await read(poller, f"{SESSIONS}/{session_id}", member)
                    if now["updated_at"] > before["updated_at"]:
                        break
                    await asyncio.sleep(0.05)
                assert now["updated_at"] > before["updated_at"]  # not the cached copy
                assert now["agent"] == final[3]["agent"]
    assert [m["status"] for m in final] == ["complete", "complete", "complete", "interrupted"]
