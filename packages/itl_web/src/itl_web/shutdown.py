"""Graceful shutdown: in-flight SSE streams end with an ``error`` event, then the server drains.

An HTTP server (uvicorn) stops accepting connections on SIGTERM and waits for open responses
(``timeout_graceful_shutdown``) before the app's shutdown hooks run, so a chat stream left alone
would hold the process until it is killed. Each app owns one ``Drain`` (``app.state.drain``):

- ``begin()`` starts draining; every stream's ``sse_frames`` (``itl_web.sse``) then sends a final
  retryable ``error`` event (503 problem, "shutting down") and closes, which cancels its turn;
- at start-up ``hook_server_signals`` chains the SIGTERM/SIGINT handlers the server installed
  (uvicorn's, in its main thread) so a signal also begins the drain; ``itl serve``, which
  handles signals itself, calls ``begin()`` directly. Where no server handler is installed (a
  test client) nothing is hooked.

``drain_middleware`` exposes the app's drain to the code serving a request (``current_drain``).
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Callable
from contextvars import ContextVar
from types import FrameType
from typing import Any

from itl_core.errors import UpstreamUnavailable
from litestar.middleware import DefineMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

__all__ = ["Drain", "current_drain", "drain_middleware", "shutting_down_error"]

_SIGNALS = (signal.SIGTERM, signal.SIGINT)
_current: ContextVar[Drain | None] = ContextVar("itl_drain", default=None)

Handler = Callable[[int, FrameType | None], Any]


def shutting_down_error() -> UpstreamUnavailable:
    return UpstreamUnavailable("The server is shutting down; please retry.", retryable=True)


class Drain:
    """Set once, on the app's event loop; streams wait on it alongside their next event."""

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._hooked: dict[int, tuple[Handler, Handler]] = {}

    @property
    def begun(self) -> bool:
        return self._event is not None and self._event.is_set()

    def begin(self) -> None:
        """Start draining (call on the app's loop; ``begin_threadsafe`` from anywhere else)."""
        self._ensure_event().set()

    def begin_threadsafe(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self.begin)

    def waiter(self) -> asyncio.Task[Any]:
        """A task that finishes when draining begins; cancel it when no longer interested."""
        return asyncio.ensure_future(self._ensure_event().wait())

    def _ensure_event(self) -> asyncio.Event:
        if self._event is None:
            self._event = asyncio.Event()
            self._loop = asyncio.get_running_loop()
        return self._event

    def hook_server_signals(self) -> None:
        """On start-up: make the server's own SIGTERM/SIGINT handlers begin the drain too."""
        self._ensure_event()
        if threading.current_thread() is not threading.main_thread():
            return
        for sig in _SIGNALS:
            previous = signal.getsignal(sig)
            if not callable(previous) or previous is signal.default_int_handler:
                continue  # no server handler to chain (e.g. a test client): leave it alone

            def chained(signum: int, frame: FrameType | None, _prev: Handler = previous) -> None:
                self.begin_threadsafe()
                _prev(signum, frame)

            signal.signal(sig, chained)
            self._hooked[sig] = (chained, previous)

    def unhook_server_signals(self) -> None:
        for sig, (ours, previous) in self._hooked.items():
            if signal.getsignal(sig) is ours:
                signal.signal(sig, previous)
        self._hooked.clear()


def current_drain() -> Drain | None:
    """The drain of the app serving the current request, if any."""
    return _current.get()


class _DrainMiddleware:
    def __init__(self, app: ASGIApp, *, drain: Drain) -> None:
        self._app, self._drain = app, drain

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _current.set(self._drain)
        try:
            await self._app(scope, receive, send)
        finally:
            _current.reset(token)


def drain_middleware(drain: Drain) -> Any:
    return DefineMiddleware(_DrainMiddleware, drain=drain)
