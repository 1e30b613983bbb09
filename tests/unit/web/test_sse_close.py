"""``itl_web.sse``: a streamed answer's cleanup runs however the response ends, including a
client that leaves after the handler returned but before the body got going (a generator that
never started cannot run its ``finally``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from itl_web.app_config import base_app_config
from itl_web.chat_sse import primed
from itl_web.sse import SseEvent, sse_response
from litestar import Litestar, post
from litestar.response import Stream
from litestar.testing import AsyncTestClient

from tests.support.sse import post_then_hang_up


class Source:
    """An event source (held here, so the garbage collector cannot finalize it behind the
    test's back) that records whether it was closed and whether ``on_close`` ran."""

    def __init__(self) -> None:
        self.closed = self.released = False
        self.events = self._events()

    async def _events(self) -> AsyncIterator[SseEvent]:
        try:
            yield "session", {"n": 0}
            yield "token", {"text": "the answer"}
        finally:
            self.closed = True

    def release(self) -> None:
        assert not self.released, "on_close ran twice"
        self.released = True


def app_for(source: Source) -> Litestar:
    @post("/stream", status_code=200)
    async def stream() -> Stream:
        # As the chat routes do: the first event is pulled before the response is chosen.
        return sse_response(await primed(source.events), on_close=source.release)

    return Litestar(
        route_handlers=[stream],
        **base_app_config(
            title="t", version="1", cors_origins=(), max_body_bytes=1024, metrics_prefix="itl_t"
        ),
    )


@pytest.mark.parametrize("send_fails", [False, True], ids=["hang-up", "send-raises"])
async def test_a_client_gone_before_the_body_starts_still_closes_the_source(
    send_fails: bool,
) -> None:
    source = Source()
    sent = await post_then_hang_up(app_for(source), "/stream", {}, {}, send_fails=send_fails)
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 200
    assert b"the answer" not in b"".join(m.get("body", b"") for m in sent)
    assert source.closed and source.released


async def test_a_stream_read_to_its_end_closes_and_releases_once() -> None:
    source = Source()
    async with AsyncTestClient(app=app_for(source)) as client:
        response = await client.post("/stream")
    assert response.status_code == 200 and "the answer" in response.text
    assert source.closed and source.released
