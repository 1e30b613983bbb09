"""``POST /api/{tenant_id}/chat`` over the real stack: JSON and SSE answers, request errors,
idempotency, and no lost messages when the model or the client goes away mid-answer."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
from dependency_injector import providers
from itl_adapters.containers import resolve
from itl_adapters.llm.resolver import ProviderModelResolver
from itl_adapters.seed import DEMO_TENANT, SYSTEM
from itl_adapters.tools.demo import ensure_demo_tracking_tool
from itl_core.llm.retry import RetryPolicy

from tests.integration.api.conftest import OTHER_TENANT, Api, assert_problem
from tests.support.fake_vendors import openai
from tests.support.fake_vendors.server import FakeVendor
from tests.support.sse import parse_sse, post_then_hang_up
from tests.support.threads import vendor_in_thread

PRICE = "How much does a pallet to Hamburg cost?"
TRACK = "Where is my shipment ITL-123456?"
STREAM = {"Accept": "text/event-stream"}


def chat_url(tenant: str = DEMO_TENANT) -> str:
    return f"/api/{tenant}/chat"


async def transcript(api: Api, headers: dict[str, str], session_id: str, tenant: str = DEMO_TENANT):
    response = await api.client.get(
        f"/api/{tenant}/sessions/{session_id}/messages", headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_a_demo_user_chats_in_json_and_reads_the_transcript_back(api: Api, live: str) -> None:
    # The tracking tool calls the API's own demo route: aim it at the app on a real port.
    settings = dataclasses.replace(api.settings, api_port=int(live.rsplit(":", 1)[1]))
    # On the app's loop: the use case touches the Redis pool, whose connections belong there.
    api.client.blocking_portal.call(
        ensure_demo_tracking_tool, api.container, settings, DEMO_TENANT, SYSTEM
    )

    priced = await api.client.post(chat_url(), json={"message": PRICE}, headers=api.demo_admin)
    assert priced.status_code == 200, priced.text
    first = priced.json()
    assert first["agent"] == "Quotes & Booking"
    assert first["metadata"]["routing"]["method"] == "rule"
    assert first["metadata"]["provider"] == "offline"
    session_id = first["session_id"]
    tracked = await api.client.post(
        chat_url(), json={"message": TRACK, "session_id": session_id}, headers=api.demo_admin
    )
    assert tracked.status_code == 200, tracked.text
    second = tracked.json()
    assert second["session_id"] == session_id and second["agent"] == "Shipment Tracking"
    assert [(t["name"], t["ok"]) for t in second["metadata"]["tools"]] == [("track_shipment", True)]
    assert "Status: in transit" in second["response"] and "<tool_output" not in second["response"]

    messages = await transcript(api, api.demo_admin, session_id)
    assert [(m["role"], m["status"]) for m in messages] == [
        ("user", "complete"), ("assistant", "complete"),
        ("user", "complete"), ("assistant", "complete"),
    ]  # fmt: skip
    assert [m["content"] for m in messages] == [PRICE, first["response"], TRACK, second["response"]]
    assert messages[3]["id"] == second["message_id"]
    assert messages[3]["metadata"]["routing"] == second["metadata"]["routing"]
    assert messages[3]["agent"] == api.demo.agent_ids["Shipment Tracking"]


async def test_a_streamed_turn_sends_the_events_of_api_md_in_order(api: Api) -> None:
    response = await api.client.post(
        chat_url(), json={"message": TRACK}, headers=api.demo_admin | STREAM
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-accel-buffering"] == "no"
    events = parse_sse(response.text)
    names = [name for name, _ in events]
    assert names[:4] == ["session", "routing", "tool_call", "tool_result"]
    assert set(names[4:-1]) == {"token"} and names[-1] == "done"
    (_, session), (_, routing), (_, call) = events[:3]
    assert routing["agent"] == "Shipment Tracking" and routing["method"] == "rule"
    assert call["name"] == "track_shipment" and call["arguments"] == {"number": "ITL-123456"}
    tokens = [data["text"] for name, data in events if name == "token"]
    assert len(tokens) > 5 and all(len(t.split()) == 1 for t in tokens)  # one word per event
    done = events[-1][1]
    assert done["response"] == "".join(tokens)
    assert (done["session_id"], done["message_id"]) == (
        session["session_id"],
        session["message_id"],
    )
    [_, answer] = await transcript(api, api.demo_admin, session["session_id"])
    assert (answer["id"], answer["content"]) == (done["message_id"], done["response"])


async def test_stream_true_in_the_body_also_answers_sse(api: Api) -> None:
    response = await api.client.post(
        chat_url(), json={"message": PRICE, "stream": True}, headers=api.demo_admin
    )
    assert response.headers["content-type"].startswith("text/event-stream")
    assert [name for name, _ in parse_sse(response.text)][-1] == "done"


async def test_request_errors_answer_a_plain_problem_even_when_a_stream_is_asked(api: Api) -> None:
    headers = api.demo_admin | STREAM
    opened = await api.client.post(chat_url(), json={"message": PRICE}, headers=headers)
    session_id = parse_sse(opened.text)[0][1]["session_id"]
    closed = await api.client.post(
        f"/api/{DEMO_TENANT}/sessions/{session_id}/close", headers=api.demo_admin
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    cases = [
        ({"message": "   "}, 422),
        ({"message": "x" * 20_001}, 400),
        ({"message": PRICE, "colour": "red"}, 400),
        ({"session_id": session_id}, 400),
        ({"message": PRICE, "session_id": str(uuid.uuid4())}, 404),
        ({"message": PRICE, "session_id": session_id}, 409),
    ]
    for body, status in cases:
        response = await api.client.post(chat_url(), json=body, headers=headers)
        assert_problem(response, status)
    transcript_after = await transcript(api, api.demo_admin, session_id)
    assert len(transcript_after) == 2  # nothing was added to the closed session


async def test_a_turn_no_agent_can_answer_stores_nothing(api: Api) -> None:
    for agent_id in api.other.agent_ids.values():
        deleted = await api.client.delete(f"/api/admin/agents/{agent_id}", headers=api.other_admin)
        assert deleted.status_code == 204, deleted.text
    refused = await api.client.post(
        chat_url(OTHER_TENANT), json={"message": "Anyone there?"}, headers=api.other_admin
    )
    assert_problem(refused, 409)
    sessions = await api.client.get(f"/api/{OTHER_TENANT}/sessions", headers=api.other_admin)
    assert sessions.json()["items"] == []  # the turn's first transaction rolled back whole


async def test_a_user_id_in_the_body_is_ignored(api: Api) -> None:
    body = {"message": "Hello there", "user_id": api.other.admin_id}
    response = await api.client.post(chat_url(OTHER_TENANT), json=body, headers=api.other_member)
    assert response.status_code == 200, response.text
    session_id = response.json()["session_id"]
    # The session is the member's: the admin whose id was sent only reads it as staff would.
    mine = await api.client.get(f"/api/{OTHER_TENANT}/sessions", headers=api.other_member)
    assert [s["id"] for s in mine.json()["items"]] == [session_id]


async def test_a_tenant_other_than_the_tokens_is_404(api: Api) -> None:
    for tenant, headers in [
        (OTHER_TENANT, api.demo_admin),
        (DEMO_TENANT, api.other_member),
        (DEMO_TENANT, api.platform),
        ("no-such-tenant", api.demo_admin),
    ]:
        response = await api.client.post(
            chat_url(tenant), json={"message": PRICE}, headers=headers | STREAM
        )
        assert_problem(response, 404)
        assert api.demo.name not in response.text


# --- idempotency ---------------------------------------------------------------------------------


async def message_count(api: Api, headers: dict[str, str], tenant: str = DEMO_TENANT) -> int:
    sessions = (await api.client.get(f"/api/{tenant}/sessions", headers=headers)).json()["items"]
    return sum([len(await transcript(api, headers, s["id"], tenant)) for s in sessions])


async def test_a_repeated_key_replays_the_answer_of_one_turn(api: Api) -> None:
    headers = api.demo_admin | {"Idempotency-Key": str(uuid.uuid4())}
    first = await api.client.post(chat_url(), json={"message": PRICE}, headers=headers)
    again = await api.client.post(chat_url(), json={"message": PRICE}, headers=headers)
    assert first.status_code == 200, first.text
    assert (again.status_code, again.content) == (200, first.content)
    assert again.headers["idempotent-replayed"] == "true"
    other_body = await api.client.post(chat_url(), json={"message": TRACK}, headers=headers)
    assert_problem(other_body, 422)
    assert await message_count(api, api.demo_admin) == 2


async def test_a_streamed_turn_is_replayed_as_its_final_json(api: Api) -> None:
    headers = api.demo_admin | STREAM | {"Idempotency-Key": "stream-1"}
    streamed = await api.client.post(chat_url(), json={"message": PRICE}, headers=headers)
    replayed = await api.client.post(chat_url(), json={"message": PRICE}, headers=headers)
    done = parse_sse(streamed.text)[-1]
    assert done[0] == "done"
    assert replayed.headers["content-type"].startswith("application/json")
    assert replayed.json() == done[1]
    assert await message_count(api, api.demo_admin) == 2


async def test_two_identical_keyed_requests_at_once_run_one_turn(api: Api, live: str) -> None:
    headers = api.demo_admin | {"Idempotency-Key": str(uuid.uuid4())}
    async with httpx.AsyncClient(base_url=live, timeout=30) as client:
        responses = await asyncio.gather(
            *(client.post(chat_url(), json={"message": PRICE}, headers=headers) for _ in range(2))
        )
    statuses = sorted(r.status_code for r in responses)
    assert statuses in ([200, 200], [200, 409]), [r.text for r in responses]
    assert len({r.content for r in responses if r.status_code == 200}) == 1
    assert await message_count(api, api.demo_admin) == 2


# --- no lost messages -----------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def other_on_openai(api: Api, vendor: FakeVendor) -> AsyncIterator[dict[str, str]]:
    """Tenant ``other`` with an OpenAI key and a ``Freight GPT`` agent on OpenAI (a rule sends
    "freight" messages to it), its calls going to ``vendor``. Yields the member's headers."""
    key = await api.client.put(
        "/api/admin/provider-keys/openai",
        json={"api_key": "sk-test-0123456789abcdef"},
        headers=api.other_admin,
    )
    assert key.status_code == 200, key.text
    agent = {
        "name": "Freight GPT",
        "description": "Answers freight questions.",
        "provider": "openai",
        "model": openai.MODEL,
        "routing": {"keywords": ["freight"]},
    }
    created = await api.client.post("/api/admin/agents", json=agent, headers=api.other_admin)
    assert created.status_code == 201, created.text
    c = api.container
    resolver = ProviderModelResolver(
        keys=await resolve(c.repositories.provider_keys),
        tenants=await resolve(c.repositories.tenants),
        box=c.infra.secret_box(),
        base_urls={"openai": f"{vendor.url}/v1"},
        timeout=5.0,
        policy=RetryPolicy(max_attempts=1),
    )
    try:
        with c.use_cases.model_resolver.override(providers.Object(resolver)):
            yield api.other_member
    finally:
        api.client.blocking_portal.call(resolver.aclose)  # its clients live on the app's loop


async def test_a_model_stream_cut_mid_answer_keeps_both_messages_and_says_error(api: Api) -> None:
    with vendor_in_thread() as vendor:
        cut = dataclasses.replace(
            openai.text_stream(["Your ", "freight ", "is ", "fine."]), cut_after=3
        )
        vendor.reply(cut, cut)
        async with other_on_openai(api, vendor) as member:
            streamed = await api.client.post(
                chat_url(OTHER_TENANT),
                json={"message": "A freight question"},
                headers=member | STREAM,
            )
            plain = await api.client.post(
                chat_url(OTHER_TENANT), json={"message": "Another freight question"}, headers=member
            )
    events = parse_sse(streamed.text)
    assert [name for name, _ in events] == ["session", "routing", "token", "token", "error"]
    error = events[-1][1]
    assert {"type", "title", "status", "detail", "retryable"} <= error.keys()
    assert error["status"] in (502, 503)
    problem = assert_problem(plain, plain.status_code)
    assert plain.status_code in (502, 503) and isinstance(problem["retryable"], bool)
    sessions = await api.client.get(f"/api/{OTHER_TENANT}/sessions", headers=member)
    for session, question in zip(
        sessions.json()["items"], ["A freight question", "Another freight question"], strict=True
    ):
        messages = await transcript(api, member, session["id"], OTHER_TENANT)
        assert [(m["role"], m["status"]) for m in messages] == [
            ("user", "complete"), ("assistant", "failed")
        ]  # fmt: skip
        assert messages[0]["content"] == question
        assert messages[1]["content"] == "Your freight "  # what was generated is kept
        assert messages[1]["metadata"]["provider"] == "openai"


async def test_a_client_that_hangs_up_mid_stream_leaves_an_interrupted_answer(
    api: Api, live: str
) -> None:
    with vendor_in_thread() as vendor:
        # Two words, then the model goes quiet: the client leaves while the turn still runs.
        vendor.reply(dataclasses.replace(openai.text_stream(["Freight ", "rates "]), stall_after=3))
        async with other_on_openai(api, vendor) as member:
            async with httpx.AsyncClient(base_url=live, timeout=10) as client:
                async with client.stream(
                    "POST", chat_url(OTHER_TENANT), json={"message": "freight rates?"},
                    headers=member | STREAM,
                ) as response:  # fmt: skip
                    seen = ""
                    async for chunk in response.aiter_text():
                        seen += chunk
                        if "event: token" in seen and seen.count("event: token") == 2:
                            break
            session_id = parse_sse(seen)[0][1]["session_id"]
            messages = await settled(api, member, session_id)
    assert [(m["role"], m["status"]) for m in messages] == [
        ("user", "complete"), ("assistant", "interrupted")
    ]  # fmt: skip
    assert messages[1]["content"] == "Freight rates "


async def test_a_client_gone_before_the_stream_starts_settles_the_turn_and_frees_the_key(
    api: Api,
) -> None:
    # The server's send fails for the closed connection (as the ASGI spec allows), so the
    # body never starts: the turn (primed) and the key (taken) must still be settled, before
    # the response ends, not whenever the garbage collector gets to the generators.
    headers = api.demo_admin | STREAM | {"Idempotency-Key": str(uuid.uuid4())}
    api.client.blocking_portal.call(
        functools.partial(
            post_then_hang_up, api.client.app, chat_url(), {"message": PRICE}, headers,
            send_fails=True,
        )
    )  # fmt: skip
    sessions = await api.client.get(f"/api/{DEMO_TENANT}/sessions", headers=api.demo_admin)
    (session,) = sessions.json()["items"]
    messages = await transcript(api, api.demo_admin, session["id"])
    assert [(m["role"], m["status"]) for m in messages] == [
        ("user", "complete"), ("assistant", "interrupted")
    ]  # fmt: skip
    again = await api.client.post(chat_url(), json={"message": PRICE}, headers=headers)
    assert again.status_code == 200, again.text  # the key was released, not left in progress
    assert "idempotent-replayed" not in again.headers


async def settled(api: Api, headers: dict[str, str], session_id: str) -> list[dict[str, Any]]:
    """The transcript once its answer left ``pending`` (the app settles it as it notices the
    hang-up, a moment after the client left)."""
    deadline = time.monotonic() + 10
    while True:
        messages = await transcript(api, headers, session_id, OTHER_TENANT)
        if messages[-1]["status"] != "pending" or time.monotonic() > deadline:
            return messages
        await asyncio.sleep(0.05)
