"""The sessions routes of signed-in users: who sees which session, pagination, closing, and
tenant isolation (another tenant's session is 404 on every route, like a missing one)."""

from __future__ import annotations

import uuid

from itl_adapters.seed import DEMO_TENANT
from itl_core.access import Role

from tests.integration.api.conftest import OTHER_TENANT, Api, assert_problem


async def open_session(api: Api, headers: dict[str, str], tenant: str = OTHER_TENANT) -> str:
    response = await api.client.post(
        f"/api/{tenant}/chat", json={"message": "What are your opening hours?"}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()["session_id"]


async def listed(api: Api, headers: dict[str, str], tenant: str = OTHER_TENANT) -> list[str]:
    response = await api.client.get(f"/api/{tenant}/sessions", headers=headers)
    assert response.status_code == 200, response.text
    return [s["id"] for s in response.json()["items"]]


def session_urls(tenant: str, session_id: str) -> list[tuple[str, str]]:
    base = f"/api/{tenant}/sessions/{session_id}"
    return [("GET", base), ("GET", f"{base}/messages"), ("POST", f"{base}/close")]


async def test_a_session_answers_its_fields_and_its_transcript(api: Api) -> None:
    session_id = await open_session(api, api.other_member)
    got = await api.client.get(
        f"/api/{OTHER_TENANT}/sessions/{session_id}", headers=api.other_member
    )
    assert got.status_code == 200, got.text
    session = got.json()
    assert session.keys() == {"id", "status", "agent", "created_at", "updated_at", "channel"}
    assert (session["id"], session["status"], session["channel"]) == (session_id, "active", "web")
    assert session["agent"] == api.other.agent_ids["Other Billing"]
    messages = await api.client.get(
        f"/api/{OTHER_TENANT}/sessions/{session_id}/messages", headers=api.other_member
    )
    page = messages.json()
    assert page["next_cursor"] is None
    [question, answer] = page["items"]
    assert question.keys() == {"id", "role", "content", "agent", "status", "created_at", "metadata"}
    assert (question["role"], question["content"]) == ("user", "What are your opening hours?")
    assert (answer["role"], answer["status"]) == ("assistant", "complete")
    assert answer["metadata"]["routing"]["agent"] == "Other Billing"


async def test_members_see_their_own_sessions_and_staff_see_all(api: Api) -> None:
    member = api.other_member
    colleague = api.bearer(str(uuid.uuid4()), OTHER_TENANT, Role.MEMBER)
    mine = [await open_session(api, member), await open_session(api, member)]
    theirs = await open_session(api, colleague)

    assert await listed(api, member) == mine
    assert await listed(api, colleague) == [theirs]
    assert await listed(api, api.other_operator) == [*mine, theirs]
    assert await listed(api, api.other_admin) == [*mine, theirs]
    for method, url in session_urls(OTHER_TENANT, theirs):
        assert_problem(await api.client.request(method, url, headers=member), 404)
    continued = await api.client.post(
        f"/api/{OTHER_TENANT}/chat", json={"message": "Hi", "session_id": theirs}, headers=member
    )
    assert_problem(continued, 404)
    operator_reads = await api.client.get(
        f"/api/{OTHER_TENANT}/sessions/{theirs}/messages", headers=api.other_operator
    )
    assert len(operator_reads.json()["items"]) == 2
    # Staff read others' transcripts, but a turn is only ever the owner's.
    operator_chat = await api.client.post(
        f"/api/{OTHER_TENANT}/chat",
        json={"message": "Hi", "session_id": theirs},
        headers=api.other_operator,
    )
    assert_problem(operator_chat, 404)


async def test_sessions_filter_by_owner_agent_and_status_in_either_order(api: Api) -> None:
    operator = api.other_operator
    member_sessions = [await open_session(api, api.other_member) for _ in range(2)]
    own = await open_session(api, operator)
    close = f"/api/{OTHER_TENANT}/sessions/{member_sessions[0]}/close"
    assert (await api.client.post(close, headers=operator)).status_code == 200
    billing = api.other.agent_ids["Other Billing"]
    url = f"/api/{OTHER_TENANT}/sessions"

    async def ids(headers: dict[str, str], **params: str) -> list[str]:
        response = await api.client.get(url, params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [s["id"] for s in response.json()["items"]]

    everyone = [*member_sessions, own]
    assert await ids(operator, mine="true") == [own]
    assert await ids(operator, order="newest") == everyone[::-1]
    assert await ids(operator, agent_id=billing) == everyone
    assert await ids(operator, agent_id="no-such-agent") == []
    assert await ids(operator, status="closed") == [member_sessions[0]]
    assert await ids(operator, status="active", order="newest") == [own, member_sessions[1]]
    # A member's filters narrow their own sessions; mine=false never widens them.
    assert await ids(api.other_member, mine="false", status="active") == [member_sessions[1]]
    newest_page = (
        await api.client.get(url, params={"order": "newest", "limit": 2}, headers=operator)
    ).json()
    rest = await ids(operator, order="newest", limit="2", cursor=newest_page["next_cursor"])
    assert [s["id"] for s in newest_page["items"]] + rest == everyone[::-1]
    for bad in ({"status": "sleeping"}, {"order": "sideways"}, {"agent_id": ""}, {"mine": "maybe"}):
        assert_problem(await api.client.get(url, params=bad, headers=operator), 400)


async def test_closing_a_session_ends_it_and_is_idempotent(api: Api) -> None:
    session_id = await open_session(api, api.other_member)
    url = f"/api/{OTHER_TENANT}/sessions/{session_id}/close"
    first = await api.client.post(url, headers=api.other_member)
    again = await api.client.post(url, headers=api.other_member)
    assert first.status_code == again.status_code == 200
    assert first.json()["status"] == again.json()["status"] == "closed"
    refused = await api.client.post(
        f"/api/{OTHER_TENANT}/chat",
        json={"message": "One more thing", "session_id": session_id},
        headers=api.other_member,
    )
    assert_problem(refused, 409)


async def test_sessions_and_messages_page_with_limit_and_cursor(api: Api) -> None:
    ids = [await open_session(api, api.other_member) for _ in range(3)]
    url = f"/api/{OTHER_TENANT}/sessions"
    first = (await api.client.get(url, params={"limit": 2}, headers=api.other_member)).json()
    assert [s["id"] for s in first["items"]] == ids[:2] and first["next_cursor"]
    rest = (
        await api.client.get(
            url, params={"limit": 2, "cursor": first["next_cursor"]}, headers=api.other_member
        )
    ).json()
    assert [s["id"] for s in rest["items"]] == ids[2:] and rest["next_cursor"] is None

    messages_url = f"{url}/{ids[0]}/messages"
    one = (await api.client.get(messages_url, params={"limit": 1}, headers=api.other_member)).json()
    two = (
        await api.client.get(
            messages_url,
            params={"limit": 1, "cursor": one["next_cursor"]},
            headers=api.other_member,
        )
    ).json()
    assert [m["role"] for m in one["items"] + two["items"]] == ["user", "assistant"]
    for params in ({"limit": 0}, {"limit": 201}, {"cursor": "not-a-cursor"}):
        assert_problem(await api.client.get(url, params=params, headers=api.other_member), 422)
        assert_problem(
            await api.client.get(messages_url, params=params, headers=api.other_member), 422
        )


async def test_a_session_of_tenant_a_is_404_for_tenant_b_on_every_route(api: Api) -> None:
    a_session = await open_session(api, api.demo_admin, DEMO_TENANT)
    missing = await api.client.get(
        f"/api/{OTHER_TENANT}/sessions/{uuid.uuid4()}", headers=api.other_admin
    )
    reference = assert_problem(missing, 404)
    for b_caller in (api.other_admin, api.other_operator, api.other_member):
        for tenant in (OTHER_TENANT, DEMO_TENANT):
            for method, url in session_urls(tenant, a_session):
                response = await api.client.request(method, url, headers=b_caller)
                assert assert_problem(response, 404)["detail"] in (
                    reference["detail"],
                    "The tenant does not exist.",
                )
            chat = await api.client.post(
                f"/api/{tenant}/chat",
                json={"message": "Let me in", "session_id": a_session},
                headers=b_caller,
            )
            assert_problem(chat, 404)
        assert a_session not in await listed(api, b_caller)
        assert_problem(await api.client.get(f"/api/{DEMO_TENANT}/sessions", headers=b_caller), 404)
    # A's session is untouched: still open, still the one exchange.
    own = await api.client.get(f"/api/{DEMO_TENANT}/sessions/{a_session}", headers=api.demo_admin)
    assert own.json()["status"] == "active"
    transcript = await api.client.get(
        f"/api/{DEMO_TENANT}/sessions/{a_session}/messages", headers=api.demo_admin
    )
    assert len(transcript.json()["items"]) == 2
