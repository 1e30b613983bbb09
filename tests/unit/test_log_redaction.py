"""The log redactor: secrets are masked wherever they sit in an event; bodies only on request.
And the logging set-up keeps the vendor SDKs' HTTP clients quiet unless at DEBUG."""

from __future__ import annotations

import io
import json
import logging

import pytest
import structlog
from itl_adapters.observability.logging import REDACTED, Redactor, configure_logging

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl"


def test_values_of_secret_keys_are_masked_at_any_depth() -> None:
    event = Redactor()(None, "info", {
        "event": "login", "password": "hunter2-hunter2",
        "request": {"headers": {"Authorization": "Bearer abc", "X-Api-Key": "k"}},
        "refresh_token": "r", "items": [{"client_secret": "s"}],
    })  # fmt: skip
    assert event["password"] == REDACTED and event["refresh_token"] == REDACTED
    assert event["request"]["headers"] == {"Authorization": REDACTED, "X-Api-Key": REDACTED}
    assert event["items"] == [{"client_secret": REDACTED}]


def test_secrets_inside_free_text_are_masked() -> None:
    text = (
        f"calling with Bearer {JWT} and key sk-proj-abcdefghijklmnop1234 and AIza"
        + "x" * 30
        + " to postgresql://itl_app:s3cret@db/itl?password=pw2"
    )
    scrubbed = Redactor()(None, "info", {"event": text})["event"]
    for secret in (JWT, "sk-proj-abcdefghijklmnop1234", "AIza" + "x" * 30, "s3cret", "pw2"):
        assert secret not in scrubbed
    assert "postgresql://itl_app:" in scrubbed  # the rest of the line stays readable


def test_message_bodies_are_left_out_unless_enabled() -> None:
    event = {"event": "turn", "content": "my order 42", "tenant": "acme"}
    assert Redactor()(None, "info", dict(event))["content"] == "[omitted]"
    assert Redactor(log_bodies=True)(None, "info", dict(event))["content"] == "my order 42"
    assert Redactor()(None, "info", dict(event))["tenant"] == "acme"


@pytest.mark.parametrize(("level", "shown"), [("INFO", False), ("DEBUG", True)])
def test_the_sdks_http_clients_log_their_requests_only_at_debug(level: str, shown: bool) -> None:
    root = logging.getLogger()
    saved_level, saved_handlers = root.level, list(root.handlers)
    buffer = io.StringIO()
    configure_logging(level=level, stream=buffer)
    try:
        for name in ("httpx", "httpx2"):
            logging.getLogger(name).info("HTTP Request: POST https://api.example/v1 200 OK")
            logging.getLogger(name).warning("the connection pool is full")
    finally:
        for handler in [h for h in root.handlers if h not in saved_handlers]:
            root.removeHandler(handler)
        root.setLevel(saved_level)
        structlog.reset_defaults()
    lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert [line["logger"] for line in lines if "pool is full" in line["event"]] == [
        "httpx",
        "httpx2",
    ]
    assert any("HTTP Request" in line["event"] for line in lines) is shown
