"""``itl_web.sse.sse_frames``: every event of the source goes out once and in order, heartbeats
fill silences without disturbing the event being produced, a failure or a drain ends the
stream with one ``error`` event, and the source is closed however the stream ends."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from itl_core.errors import ProviderFailed
from itl_web.shutdown import Drain, _current
from itl_web.sse import PING, SseEvent, sse_frames


class Source:
    def __init__(self, *gaps: float, fail: bool = False) -> None:
        self.gaps, self.fail = gaps, fail
        self.closed = self.cancelled = False

    async def events(self) -> AsyncIterator[SseEvent]:
        try:
            for n, gap in enumerate(self.gaps):
                await asyncio.sleep(gap)
                yield "token", {"n": n}
            if self.fail:
                raise ProviderFailed("the model went away")
        except asyncio.CancelledError:
            self.cancelled = True
            raise
        finally:
            self.closed = True


def names(frames: list[bytes]) -> list[str]:
    return [
        "ping" if f == PING else f.split(b"\n")[0].decode().removeprefix("event: ") for f in frames
    ]


async def test_heartbeats_fill_a_silence_and_the_slow_event_still_arrives_whole() -> None:
    source, closed = Source(0.0, 0.35, 0.0), []
    frames = [
        f
        async for f in sse_frames(source.events(), heartbeat=0.1, on_close=lambda: closed.append(1))
    ]
    kinds = names(frames)
    assert [k for k in kinds if k != "ping"] == ["token", "token", "token"]
    assert 2 <= kinds.count("ping") <= 4 and kinds[0] == "token" and kinds[-1] == "token"
    assert [json.loads(f.split(b"data: ")[1]) for f in frames if f != PING] == [
        {"n": 0}, {"n": 1}, {"n": 2},
    ]  # fmt: skip
    assert source.closed and not source.cancelled and closed == [1]


async def test_a_failing_source_ends_the_stream_with_one_error_event() -> None:
    source = Source(0.0, fail=True)
    frames = [f async for f in sse_frames(source.events(), heartbeat=5)]
    assert names(frames) == ["token", "error"]
    error = json.loads(frames[-1].split(b"data: ")[1])
    assert error["status"] == 502 and error["retryable"] is True
    assert source.closed


async def test_a_consumer_that_leaves_cancels_and_closes_the_source_once() -> None:
    source, closed = Source(0.0, 10.0), []
    stream = sse_frames(source.events(), heartbeat=5, on_close=lambda: closed.append(1))
    assert names([await anext(stream)]) == ["token"]
    await asyncio.sleep(0.01)  # the source now waits for its next event
    await stream.aclose()
    assert source.cancelled and source.closed and closed == [1]


async def test_a_drain_ends_an_idle_stream_with_a_retryable_error() -> None:
    drain = Drain()
    token = _current.set(drain)
    try:
        source = Source(0.0, 10.0)
        stream = sse_frames(source.events(), heartbeat=5)
        assert names([await anext(stream)]) == ["token"]
        drain.begin()
        last = await asyncio.wait_for(anext(stream), 1)
        assert names([last]) == ["error"] and json.loads(last.split(b"data: ")[1])["retryable"]
        await stream.aclose()
    finally:
        _current.reset(token)
    assert source.closed
