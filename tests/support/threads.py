"""Servers a test's app calls, each on a thread (and event loop) of its own.

An ``AsyncTestClient`` runs the app on a loop of its own (its portal thread) and blocks the
test's loop while the app handles a request, so a server the app calls during the request must
not live on the test's loop: a fake vendor gets a thread of its own; the app itself, served on a
real port, runs on the client's portal loop, where its database and Redis connections belong.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn

from tests.support.fake_vendors.server import FakeVendor


@contextlib.contextmanager
def vendor_in_thread() -> Iterator[FakeVendor]:
    """A ``FakeVendor`` on a loop of its own."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    vendor = FakeVendor()
    asyncio.run_coroutine_threadsafe(vendor.__aenter__(), loop).result(5)
    try:
        yield vendor
    finally:
        asyncio.run_coroutine_threadsafe(vendor.__aexit__(None, None, None), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


@contextlib.contextmanager
def app_on_portal(client: Any) -> Iterator[int]:
    """The app of a running Litestar test ``client`` also served by uvicorn on a loopback port
    (yielded), on the client's own portal loop: the loop its database pool belongs to, so chat
    turns work, with real connections (concurrent requests, a client that hangs up)."""
    portal = client.blocking_portal
    server = uvicorn.Server(
        uvicorn.Config(client.app, host="127.0.0.1", port=0, lifespan="off", log_level="warning")
    )
    serving = portal.start_task_soon(server.serve)
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline and not serving.done():
        time.sleep(0.01)
    assert server.started, serving.exception() if serving.done() else "uvicorn did not start"
    try:
        yield server.servers[0].sockets[0].getsockname()[1]
    finally:
        server.should_exit = True
        serving.result(10)
