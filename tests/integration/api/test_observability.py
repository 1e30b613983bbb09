"""Metrics and logs over the real stack: the named metrics exist and move after a chat turn, and
no log line carries a password, token, API key or message body."""

from __future__ import annotations

import dataclasses
import io
import json
import logging
from collections.abc import Iterator

import pytest
import structlog
from itl_adapters.observability.logging import configure_logging
from itl_adapters.seed import DEMO_TENANT, SYSTEM
from itl_adapters.tools.demo import ensure_demo_tracking_tool
from prometheus_client import REGISTRY

from tests.integration.api.conftest import DEMO_PASSWORD, Api

PRICE = "How much does a pallet to Hamburg cost?"
TRACK = "Where is my shipment ITL-123456?"
API_KEY = "sk-test-0123456789abcdefghijklmnop"
NAMED = (
    "itl_api_request_duration_seconds",
    "itl_http_errors_total",
    "itl_model_latency_seconds",
    "itl_model_ttft_seconds",
    "itl_tokens_total",
    "itl_cost_usd_total",
    "itl_tool_calls_total",
    "itl_routing_decisions_total",
    "itl_ratelimit_rejections_total",
    "itl_cache_requests_total",
    "itl_db_pool_connections",
)


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    """The process's logs as ``itl serve`` configures them (JSON, DEBUG), into a buffer."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    buffer = io.StringIO()
    configure_logging(level="DEBUG", fmt="json", stream=buffer)
    try:
        yield buffer
    finally:
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
        structlog.reset_defaults()


async def test_the_named_metrics_are_exported_and_move_after_a_chat_turn(
    api: Api, live: str
) -> None:
    settings = dataclasses.replace(api.settings, api_port=int(live.rsplit(":", 1)[1]))
    api.client.blocking_portal.call(
        ensure_demo_tracking_tool, api.container, settings, DEMO_TENANT, SYSTEM
    )
    before = {
        "rule": sample("itl_routing_decisions_total", method="rule"),
        "tokens": sample("itl_tokens_total", provider="offline", direction="output"),
        "latency": sample("itl_model_latency_seconds_count", provider="offline"),
        "ttft": sample("itl_model_ttft_seconds_count", provider="offline"),
        "tool": sample("itl_tool_calls_total", tool_kind="http", ok="true"),
        "errors": sample("itl_http_errors_total", app="itl_api", status_class="4xx"),
    }
    priced = await api.client.post(
        f"/api/{DEMO_TENANT}/chat", json={"message": PRICE}, headers=api.demo_admin
    )
    assert priced.status_code == 200, priced.text
    tracked = await api.client.post(
        f"/api/{DEMO_TENANT}/chat",
        json={"message": TRACK, "session_id": priced.json()["session_id"]},
        headers=api.demo_admin,
    )
    assert tracked.status_code == 200, tracked.text
    assert (await api.client.get("/api/auth/me")).status_code == 401

    assert sample("itl_routing_decisions_total", method="rule") == before["rule"] + 2
    assert sample("itl_tokens_total", provider="offline", direction="output") > before["tokens"]
    assert sample("itl_model_latency_seconds_count", provider="offline") == before["latency"] + 2
    assert sample("itl_model_ttft_seconds_count", provider="offline") == before["ttft"] + 2
    assert sample("itl_tool_calls_total", tool_kind="http", ok="true") == before["tool"] + 1
    assert (
        sample("itl_http_errors_total", app="itl_api", status_class="4xx") == before["errors"] + 1
    )
    assert sample("itl_cache_requests_total", cache="agents", result="hit") > 0
    assert sample("itl_db_pool_connections", state="max") >= api.settings.database_pool_max

    exported = (await api.client.get("/metrics")).text
    for name in NAMED:
        assert f"# TYPE {name} " in exported, name
    assert 'itl_db_pool_connections{state="in_use"}' in exported


async def test_no_log_line_holds_a_secret_or_a_message_after_auth_chat_and_provider_keys(
    api: Api, captured_logs: io.StringIO
) -> None:
    login = await api.client.post(
        "/api/auth/login",
        json={"email": api.demo.admin_email, "password": DEMO_PASSWORD},
        headers={"X-Request-ID": "trace-me-1"},
    )
    assert login.status_code == 200, login.text
    assert login.headers["x-request-id"] == "trace-me-1"
    pair = login.json()
    bearer = {"Authorization": f"Bearer {pair['access_token']}"}
    wrong = await api.client.post(
        "/api/auth/login", json={"email": api.demo.admin_email, "password": "wrong-password-123"}
    )
    assert wrong.status_code == 401
    refreshed = await api.client.post(
        "/api/auth/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    assert refreshed.status_code == 200, refreshed.text
    put = await api.client.put(
        "/api/admin/provider-keys/openai", json={"api_key": API_KEY}, headers=bearer
    )
    assert put.status_code in (200, 201), put.text
    chat = await api.client.post(
        f"/api/{DEMO_TENANT}/chat", json={"message": PRICE}, headers=bearer
    )
    assert chat.status_code == 200, chat.text
    logging.getLogger("itl.test").warning(
        "a careless line", extra={"headers": {"authorization": bearer["Authorization"]}}
    )
    logout = await api.client.post(
        "/api/auth/logout",
        json={"refresh_token": refreshed.json()["refresh_token"]},
        headers=bearer,
    )
    assert logout.status_code in (200, 204), logout.text

    text = captured_logs.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]
    requests = [line for line in lines if line.get("event") == "request"]
    assert len(requests) >= 6
    first = next(line for line in requests if line.get("request_id") == "trace-me-1")
    assert first["route"] == "/api/auth/login" and first["status"] == 200
    chat_line = next(line for line in requests if line["route"] == "/api/{tenant_id}/chat")
    assert chat_line["tenant"] == DEMO_TENANT and chat_line["user"] == api.demo.admin_id
    assert isinstance(chat_line["latency_ms"], float | int)

    secrets = [
        DEMO_PASSWORD,
        "wrong-password-123",
        pair["access_token"],
        pair["refresh_token"],
        refreshed.json()["access_token"],
        refreshed.json()["refresh_token"],
        API_KEY,
        PRICE,
    ]
    for secret in secrets:
        assert secret not in text, f"{secret[:12]}... leaked into the logs"
    assert "[redacted]" in text  # the careless line was scrubbed, not dropped
