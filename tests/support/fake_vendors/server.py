"""A scripted HTTP/1.1 server: each request is answered by the next queued ``Reply``.

Plain ``asyncio`` streams rather than a web framework, so a reply can do what real upstreams do
and frameworks prevent: close a chunked stream without its terminating chunk (a cut), or stall.
Every response carries ``Connection: close``, so each request arrives on a fresh connection.
"""

from __future__ import annotations

import asyncio
import json
import ssl
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True, kw_only=True)
class Recorded:
    method: str
    path: str
    headers: Mapping[str, str]
    body: Any  # the decoded JSON body, or None


@dataclass(frozen=True, slots=True, kw_only=True)
class JsonReply:
    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)

    async def send(self, writer: asyncio.StreamWriter, closing: asyncio.Event) -> None:
        payload = json.dumps(self.body).encode()
        headers = {"Content-Type": "application/json", "Content-Length": str(len(payload))}
        writer.write(_head(self.status, {**headers, **self.headers}) + payload)
        await writer.drain()


@dataclass(frozen=True, slots=True, kw_only=True)
class SseReply:
    """``events`` are raw SSE frames. ``cut_after=n`` closes the connection after n frames with
    no terminating chunk; ``stall_after=n`` stops sending after n frames, keeping it open."""

    events: tuple[bytes, ...]
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    cut_after: int | None = None
    stall_after: int | None = None

    async def send(self, writer: asyncio.StreamWriter, closing: asyncio.Event) -> None:
        headers = {"Content-Type": "text/event-stream", "Transfer-Encoding": "chunked"}
        writer.write(_head(self.status, {**headers, **self.headers}))
        for sent, event in enumerate(self.events):
            if sent == self.cut_after:
                return
            if sent == self.stall_after:
                await closing.wait()  # a stall lasts until the server closes
                return
            writer.write(f"{len(event):x}\r\n".encode() + event + b"\r\n")
            await writer.drain()
        writer.write(b"0\r\n\r\n")
        await writer.drain()


@dataclass(frozen=True, slots=True)
class Stall:
    """Read the request, never answer (until the server closes)."""

    async def send(self, writer: asyncio.StreamWriter, closing: asyncio.Event) -> None:
        await closing.wait()  # a stall lasts until the server closes


Reply = JsonReply | SseReply | Stall


class FakeVendor:
    """Use as ``async with FakeVendor() as vendor``; ``vendor.url`` is its base URL."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        """``tls``: serve HTTPS with this server context (``url`` then starts with https)."""
        self._tls = tls
        self.requests: list[Recorded] = []
        self._replies: deque[Reply] = deque()
        self._handlers: set[asyncio.Task[None]] = set()
        self._closing = asyncio.Event()
        self._server: asyncio.Server | None = None
        self.url = ""

    def reply(self, *replies: Reply) -> None:
        self._replies.extend(replies)

    async def __aenter__(self) -> FakeVendor:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0, ssl=self._tls)
        host, port = self._server.sockets[0].getsockname()[:2]
        self.url = f"{'https' if self._tls else 'http'}://{host}:{port}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        self._closing.set()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
            request_line, *header_lines = head.split("\r\n")
            method, path, _ = request_line.split(" ", 2)
            headers = {
                name.strip().lower(): value.strip()
                for name, value in (line.split(":", 1) for line in header_lines if line)
            }
            raw = await reader.readexactly(int(headers.get("content-length", "0")))
            body = json.loads(raw) if raw else None
            self.requests.append(Recorded(method=method, path=path, headers=headers, body=body))
            reply = self._replies.popleft() if self._replies else _UNSCRIPTED
            await reply.send(writer, self._closing)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client gave up first (its timeout): nothing to answer
        finally:
            self._handlers.discard(task)
            writer.close()


_UNSCRIPTED = JsonReply(status=599, body={"error": "the test scripted no reply for this"})

_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
    529: "Overloaded",
}


def _head(status: int, headers: Mapping[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
