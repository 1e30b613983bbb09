"""A visitor chats through the widget host: JSON and Server-Sent Events, own history only."""

from __future__ import annotations

import functools

from itl_adapters.containers import Application

from tests.integration.api.conftest import assert_problem
from tests.integration.widget.conftest import SHOP, Widget
from tests.support.sse import parse_sse, post_then_hang_up


async def test_a_visitor_gets_a_streamed_answer_and_then_reads_the_transcript(
    widget: Widget,
) -> None:
    token, _ = await widget.token()
    headers = {"Authorization": f"Bearer {token}", "Origin": SHOP, "Accept": "text/event-stream"}
    response = await widget.client.post(
        "/api/public/widgets/demo/chat",
        json={"message": "Where is shipment ITL-123456?"},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-accel-buffering"] == "no"
    events = parse_sse(response.text)
    names = [name for name, _ in events]
    assert names[:2] == ["session", "routing"]
    assert names[-1] == "done"
    assert "token" in names
    streamed = "".join(data["text"] for name, data in events if name == "token")
    done = events[-1][1]
    assert done["response"] == streamed
    session_id = events[0][1]["session_id"]

    history = await widget.client.get(
        f"/api/public/widgets/demo/sessions/{session_id}/messages",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert history.status_code == 200
    assert [m["role"] for m in history.json()["items"]] == ["user", "assistant"]


async def test_a_visitor_cannot_continue_another_visitors_session(widget: Widget) -> None:
    alice, _ = await widget.token()
    bob, _ = await widget.token()
    first = await widget.client.post(
        "/api/public/widgets/demo/chat",
        json={"message": "hello"},
        headers={"Authorization": f"Bearer {alice}"},
    )
    assert first.status_code == 200, first.text
    session_id = first.json()["session_id"]
    stolen = await widget.client.post(
        "/api/public/widgets/demo/chat",
        json={"message": "what did I say?", "session_id": session_id},
        headers={"Authorization": f"Bearer {bob}"},
    )
    assert_problem(stolen, 404)


async def test_a_visitor_gone_before_the_stream_starts_frees_the_stream_slot(
    widget: Widget, widget_container: Application
) -> None:
    # The server's send fails for the closed connection: the body never starts, yet the
    # tenant's stream slot is released by the time the response ended.
    token, _ = await widget.token()
    headers = {"Authorization": f"Bearer {token}", "Origin": SHOP, "Accept": "text/event-stream"}
    slots = widget_container.use_cases.widget_stream_slots()
    widget.client.blocking_portal.call(
        functools.partial(
            post_then_hang_up, widget.client.app, "/api/public/widgets/demo/chat",
            {"message": "Where is shipment ITL-123456?"}, headers, send_fails=True,
        )
    )  # fmt: skip
    assert slots.open_streams("demo") == 0
