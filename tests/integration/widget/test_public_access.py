"""CORS, token kinds, origin binding, visitor isolation and limits on the public widget routes."""

from __future__ import annotations

from datetime import UTC, datetime

from itl_adapters.containers import resolve
from itl_core.sessions.model import (
    Channel,
    ChatSession,
    Message,
    MessageRole,
    MessageStatus,
    SessionStatus,
)

from tests.integration.api.conftest import assert_problem
from tests.integration.widget.conftest import OTHER_SHOP, SECOND_SHOP, SHOP, Widget

SESSION = "/api/public/widgets/demo/session"


def preflight(origin: str, method: str = "POST") -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, content-type",
    }


async def test_a_preflight_from_an_allowed_origin_names_exactly_that_origin(widget: Widget) -> None:
    for origin in (SHOP, SECOND_SHOP):
        response = await widget.client.options(SESSION, headers=preflight(origin))
        assert response.status_code == 204
        assert response.headers["access-control-allow-origin"] == origin
        assert "POST" in response.headers["access-control-allow-methods"]
        assert "authorization" in response.headers["access-control-allow-headers"].lower()
        assert "access-control-allow-credentials" not in response.headers
        assert "Origin" in response.headers["vary"]


async def test_a_preflight_from_any_other_origin_is_refused(widget: Widget) -> None:
    for origin in ("https://evil.example", OTHER_SHOP, "null", "https://shop.example.evil.example"):
        response = await widget.client.options(SESSION, headers=preflight(origin))
        assert response.status_code == 403
        assert "access-control-allow-origin" not in response.headers
    other = await widget.client.options(
        "/api/public/widgets/other/chat", headers=preflight(OTHER_SHOP)
    )
    assert other.headers["access-control-allow-origin"] == OTHER_SHOP


async def test_answers_carry_cors_headers_only_for_allowed_origins(widget: Widget) -> None:
    allowed = await widget.client.get("/api/public/widgets/demo/config", headers={"Origin": SHOP})
    assert allowed.headers["access-control-allow-origin"] == SHOP
    refused = await widget.session(origin="https://evil.example")
    assert refused.status_code == 403
    assert "access-control-allow-origin" not in refused.headers


async def test_a_widget_token_is_refused_by_the_private_api(widget: Widget) -> None:
    token, _ = await widget.token()
    bearer = {"Authorization": f"Bearer {token}"}
    assert_problem(await widget.api_client.get("/api/auth/me", headers=bearer), 401)
    assert_problem(await widget.api_client.get("/api/admin/widget", headers=bearer), 401)


async def test_an_access_token_is_refused_by_the_widget_routes(widget: Widget) -> None:
    headers = {**widget.admin("demo"), "Origin": SHOP}
    assert_problem(
        await widget.client.post(
            "/api/public/widgets/demo/chat", json={"message": "hi"}, headers=headers
        ),
        401,
    )
    assert_problem(
        await widget.client.get("/api/public/widgets/demo/sessions/x/messages", headers=headers),
        401,
    )


async def test_a_widget_token_works_only_on_its_own_tenant(widget: Widget) -> None:
    token, _ = await widget.token()
    response = await widget.client.get(
        "/api/public/widgets/other/sessions/x/messages",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert_problem(response, 404)


async def test_a_widget_token_is_refused_from_another_origin(widget: Widget) -> None:
    token, _ = await widget.token(origin=SHOP)
    headers = {"Authorization": f"Bearer {token}", "Origin": SECOND_SHOP}
    response = await widget.client.get(
        "/api/public/widgets/demo/sessions/x/messages", headers=headers
    )
    assert_problem(response, 403)


async def _visitor_session(widget: Widget, visitor_id: str) -> str:
    sessions = await resolve(widget.container.repositories.sessions)
    messages = await resolve(widget.container.repositories.messages)
    now = datetime.now(UTC)
    session = ChatSession(
        id=f"s-{visitor_id[-8:]}",
        tenant_id="demo",
        channel=Channel.WIDGET,
        status=SessionStatus.ACTIVE,
        visitor_id=visitor_id,
        created_at=now,
        updated_at=now,
    )
    await sessions.add(session)
    await messages.add(
        Message(
            id=f"m-{visitor_id[-8:]}",
            tenant_id="demo",
            session_id=session.id,
            role=MessageRole.USER,
            content="my parcel number is 123",
            status=MessageStatus.COMPLETE,
            created_at=now,
        )
    )
    return session.id


async def test_a_visitor_reads_only_their_own_session(widget: Widget) -> None:
    alice_token, alice = await widget.token()
    bob_token, _ = await widget.token()
    session_id = await _visitor_session(widget, alice)
    path = f"/api/public/widgets/demo/sessions/{session_id}/messages"

    own = await widget.client.get(path, headers={"Authorization": f"Bearer {alice_token}"})
    assert own.status_code == 200, own.text
    assert [m["content"] for m in own.json()["items"]] == ["my parcel number is 123"]

    assert_problem(
        await widget.client.get(path, headers={"Authorization": f"Bearer {bob_token}"}), 404
    )


async def test_session_creation_is_limited_per_ip(widget: Widget, policy) -> None:
    policy(sessions_per_ip=2)
    assert (await widget.session()).status_code == 200
    assert (await widget.session()).status_code == 200
    limited = await widget.session()
    assert_problem(limited, 429)
    assert int(limited.headers["retry-after"]) >= 1
    # The refusing limit (2 sessions per IP), not the route class's admitting one.
    assert limited.headers["ratelimit-limit"] == "2"
    assert limited.headers["ratelimit-remaining"] == "0"
    assert limited.headers["access-control-allow-origin"] == SHOP  # the widget can read why


async def test_session_creation_is_limited_per_visitor(widget: Widget, policy) -> None:
    policy(sessions_per_visitor=1)
    _, visitor = await widget.token()  # a new id: nothing to count it against yet
    assert (await widget.session(anonymous_id=visitor)).status_code == 200
    assert_problem(await widget.session(anonymous_id=visitor), 429)
    assert (await widget.session()).status_code == 200  # another visitor from the same IP


async def test_chat_messages_are_bounded(widget: Widget, policy) -> None:
    policy(max_message_chars=10)
    token, _ = await widget.token()
    response = await widget.client.post(
        "/api/public/widgets/demo/chat",
        json={"message": "x" * 11},
        headers={"Authorization": f"Bearer {token}", "Origin": SHOP},
    )
    assert_problem(response, 422)


async def test_chat_is_limited_per_visitor(widget: Widget, policy) -> None:
    policy(chats_per_visitor=1)
    token, _ = await widget.token()
    headers = {"Authorization": f"Bearer {token}", "Origin": SHOP}
    first = await widget.client.post(
        "/api/public/widgets/demo/chat", json={"message": "hello"}, headers=headers
    )
    assert first.status_code == 200, first.text
    assert_problem(
        await widget.client.post(
            "/api/public/widgets/demo/chat", json={"message": "hello"}, headers=headers
        ),
        429,
    )


async def test_concurrent_streams_are_capped_per_tenant(widget: Widget, policy) -> None:
    policy(max_streams_per_tenant=0)
    token, _ = await widget.token()
    response = await widget.client.post(
        "/api/public/widgets/demo/chat",
        json={"message": "hello", "stream": True},
        headers={"Authorization": f"Bearer {token}", "Origin": SHOP},
    )
    assert_problem(response, 429)
