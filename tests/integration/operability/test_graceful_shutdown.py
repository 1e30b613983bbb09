"""Graceful shutdown of a real uvicorn server as ``itl serve`` runs it: open SSE streams end with
a retryable ``error`` event and the server stops well within its grace period."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator

import httpx
from itl_adapters.settings import Settings
from itl_cli.serve import request_shutdown, server_for
from itl_web.app_config import base_app_config
from itl_web.sse import SseEvent, sse_response
from litestar import Litestar, get
from litestar.response import Stream

GRACE = 5


async def endless() -> AsyncIterator[SseEvent]:
    n = 0
    while True:
        yield "token", {"text": f"word {n} "}
        n += 1
        await asyncio.sleep(0.05)


@get("/stream")
async def stream() -> Stream:
    return sse_response(endless())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def app() -> Litestar:
    return Litestar(
        route_handlers=[stream],
        **base_app_config(
            title="t", version="1", cors_origins=(), max_body_bytes=1024, metrics_prefix="itl_t"
        ),
    )


async def test_a_shutdown_ends_open_streams_with_an_error_event_and_drains_in_bound() -> None:
    port = free_port()
    served = app()
    server = server_for(served, Settings(shutdown_grace_seconds=GRACE), port)
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
        await asyncio.sleep(0.02)
    events: list[tuple[str, dict]] = []
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        async with client.stream("GET", "/stream") as response:
            name = ""
            async for line in response.aiter_lines():
                if line.startswith("event: "):
                    name = line.removeprefix("event: ")
                elif line.startswith("data: "):
                    events.append((name, json.loads(line.removeprefix("data: "))))
                    if len(events) == 3:
                        stopped_at = time.monotonic()
                        request_shutdown([server], [served])
    await asyncio.wait_for(serving, GRACE + 5)
    drained_in = time.monotonic() - stopped_at

    assert [n for n, _ in events[:3]] == ["token"] * 3
    name, data = events[-1]
    assert name == "error" and data["status"] == 503 and data["retryable"] is True
    assert "shutting down" in data["detail"]
    assert drained_in < GRACE  # the stream ended itself; nothing waited for the grace to run out
