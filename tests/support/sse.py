"""Reading Server-Sent Events in tests."""

from __future__ import annotations

import json
from typing import Any

import httpx


def parse_sse(text: str) -> list[tuple[str, dict[str, Any]]]:
    """The ``(event, data)`` pairs of an SSE body, comments (``: ping``) left out."""
    events = []
    for frame in text.split("\n\n"):
        lines = [line for line in frame.split("\n") if line and not line.startswith(":")]
        if not lines:
            continue
        name = next(line[7:] for line in lines if line.startswith("event: "))
        data = "".join(line[6:] for line in lines if line.startswith("data: "))
        events.append((name, json.loads(data)))
    return events


async def post_then_hang_up(
    app: Any,
    path: str,
    body: dict[str, Any],
    headers: dict[str, str],
    *,
    send_fails: bool = False,
) -> list[dict[str, Any]]:
    """POST ``body`` to the ASGI ``app`` as a client that hangs up as soon as the request is sent.

    The disconnect is there on the first ``receive()`` after the body, without the loop ever
    running in between: a streamed answer is cut before its body got going (where a never-started
    generator cannot clean up after itself). ``send_fails``: the server's ``send`` raises
    ``OSError`` for the closed connection, as the ASGI spec allows, so the body never starts at
    all. Returns the ASGI messages the app sent (or tried to).
    """
    encoded = httpx.Request("POST", "http://testserver", json=body).content  # as clients send it
    pending: list[dict[str, Any]] = [{"type": "http.request", "body": encoded, "more_body": False}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if send_fails:
            raise OSError("the client closed the connection")

    raw_headers = [(b"host", b"testserver"), (b"content-type", b"application/json")]
    raw_headers += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    raw_headers.append((b"content-length", str(len(encoded)).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": raw_headers,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    try:
        await app(scope, receive, send)
    except Exception:  # the app may wrap the OSError ("exception caught after response started")
        if not send_fails:
            raise
    return sent
