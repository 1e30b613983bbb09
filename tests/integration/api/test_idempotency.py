"""``Idempotency-Key`` on writes (POST /api/admin/agents), over Redis; and the start-up reaper."""

from __future__ import annotations

import asyncio
import uuid

from itl_adapters.containers import resolve
from itl_core.pagination import PageRequest
from itl_core.sessions.model import MessageRole, MessageStatus
from itl_web.lifespan import reap_interrupted_messages

from tests.contract.builders import message, session
from tests.integration.api.conftest import Api, assert_problem

AGENTS = "/api/admin/agents"


def an_agent(name: str = "Customs") -> dict[str, str]:
    return {"name": name, "description": "Answers customs questions."}


async def agent_names(api: Api) -> list[str]:
    listed = await api.client.get(AGENTS, params={"limit": 200}, headers=api.demo_admin)
    return [a["name"] for a in listed.json()["items"]]


async def test_a_repeat_replays_the_first_response_and_creates_nothing(api: Api) -> None:
    headers = api.demo_admin | {"Idempotency-Key": str(uuid.uuid4())}
    first = await api.client.post(AGENTS, json=an_agent(), headers=headers)
    again = await api.client.post(AGENTS, json=an_agent(), headers=headers)
    assert first.status_code == 201, first.text
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again.headers["content-type"].startswith("application/json")
    assert again.headers.get("idempotent-replayed") == "true"
    assert (await agent_names(api)).count("Customs") == 1


async def test_the_same_key_with_another_body_is_422(api: Api) -> None:
    headers = api.demo_admin | {"Idempotency-Key": "key-1"}
    assert (await api.client.post(AGENTS, json=an_agent(), headers=headers)).status_code == 201
    other = await api.client.post(AGENTS, json=an_agent("Pricing 2"), headers=headers)
    assert_problem(other, 422)
    assert "Pricing 2" not in await agent_names(api)


async def test_keys_are_per_user(api: Api) -> None:
    demo = await api.client.post(
        AGENTS, json=an_agent(), headers=api.demo_admin | {"Idempotency-Key": "k"}
    )
    other = await api.client.post(
        AGENTS, json=an_agent(), headers=api.other_admin | {"Idempotency-Key": "k"}
    )
    assert (demo.status_code, other.status_code) == (201, 201)
    assert demo.json()["id"] != other.json()["id"]


async def test_a_failed_write_releases_its_key(api: Api) -> None:
    headers = api.demo_admin | {"Idempotency-Key": "retry-me"}
    taken = next(iter(api.demo.agent_ids))
    assert_problem(await api.client.post(AGENTS, json=an_agent(taken), headers=headers), 409)
    assert_problem(await api.client.post(AGENTS, json=an_agent(taken), headers=headers), 409)


async def test_concurrent_identical_requests_run_once(api: Api) -> None:
    headers = api.demo_admin | {"Idempotency-Key": str(uuid.uuid4())}
    responses = await asyncio.gather(
        *(api.client.post(AGENTS, json=an_agent("Racer"), headers=headers) for _ in range(4))
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(201) >= 1 and set(statuses) <= {201, 409}, statuses
    bodies = {r.content for r in responses if r.status_code == 201}
    assert len(bodies) == 1  # every 2xx is the one created agent
    assert (await agent_names(api)).count("Racer") == 1


async def test_a_malformed_key_is_refused(api: Api) -> None:
    response = await api.client.post(
        AGENTS, json=an_agent(), headers=api.demo_admin | {"Idempotency-Key": "x" * 256}
    )
    assert_problem(response, 422)


async def test_start_up_reaper_marks_pending_messages_interrupted(api: Api) -> None:
    sessions = await resolve(api.container.repositories.sessions)
    messages = await resolve(api.container.repositories.messages)
    chat = session(api.demo.id)
    await sessions.add(chat)
    pending = message(chat, role=MessageRole.ASSISTANT, status=MessageStatus.PENDING, content="Hal")
    done = message(chat, role=MessageRole.USER, status=MessageStatus.COMPLETE)
    await messages.add(pending)
    await messages.add(done)

    async with reap_interrupted_messages(api.container)(api.client.app):
        pass

    stored = {
        m.id: m.status for m in (await messages.list(api.demo.id, chat.id, PageRequest())).items
    }
    assert stored == {pending.id: MessageStatus.INTERRUPTED, done.id: MessageStatus.COMPLETE}
