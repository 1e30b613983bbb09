# ruff: noqa: F811 - pytest fixtures imported from the API suite are redefined as parameters
"""OpenTelemetry tracing over the real stack, exported to an in-memory exporter.

The app is built exactly as when ``ITL_OTEL_EXPORTER_OTLP_ENDPOINT`` is set, except that its
tracer provider exports to memory. A chat turn that calls an HTTP tool must produce one trace:
the server span of the chat route, the turn, its model calls, its tool run and its SQL
statements, each carrying the tenant where it has one, and no message or answer text anywhere.
Without an endpoint nothing is traced, and no tracer, exporter or instrumentation is imported.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import AsyncIterator, Iterable
from typing import Any

import pytest
from dependency_injector import providers
from http_api.app import create_app
from itl_adapters.containers import Application
from itl_adapters.memory.cache import InMemoryCache
from itl_adapters.observability.tracing import start_tracing, traces_url
from itl_adapters.seed import SYSTEM
from itl_adapters.settings import Settings
from itl_adapters.system import SystemClock
from itl_adapters.tools.demo import ensure_demo_tracking_tool
from litestar.testing import AsyncTestClient
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from tests.integration.api.conftest import (  # noqa: F401 - fixtures reused, not redefined
    hasher,
    keys,
    settings,
)
from tests.integration.quotas.conftest import Stack
from tests.support.sse import parse_sse
from tests.support.threads import app_on_portal

TRACK = "Where is my shipment ITL-735194? My name is Zebulon Quackenbush."
PRICE = "How much does a pallet to Hamburg cost, asks Zebulon Quackenbush?"


@pytest.fixture(scope="module")
async def traced(settings: Settings, hasher: Any) -> AsyncIterator[tuple[Stack, Any]]:
    exporter = InMemorySpanExporter()
    tracing = start_tracing(exporter=exporter)
    container = Application(settings=settings)
    container.infra.hasher.override(providers.Object(hasher))
    container.infra.cache.override(providers.Singleton(InMemoryCache, SystemClock()))
    container.infra.tracing.override(providers.Object(tracing))
    try:
        async with AsyncTestClient(app=create_app(container)) as client:
            yield Stack(client=client, container=container), exporter
    finally:
        tracing.shutdown()


@pytest.fixture
async def stack(database: Any, traced: tuple[Stack, Any]) -> tuple[Stack, Any]:
    stack, exporter = traced
    stack.reset()
    exporter.clear()
    return stack, exporter


def one(spans: Iterable[ReadableSpan], name: str) -> ReadableSpan:
    found = [s for s in spans if s.name == name]
    assert len(found) == 1, [s.name for s in spans]
    return found[0]


def texts_of(span: ReadableSpan) -> str:
    """Every attribute and event attribute value of a span, as one string."""
    values = [*span.attributes.values(), span.name]
    for event in span.events:
        values.extend([event.name, *(event.attributes or {}).values()])
    return " ".join(str(v) for v in values)


async def test_a_chat_turn_is_one_trace_of_route_turn_model_tool_and_sql_spans(
    stack: tuple[Stack, Any], settings: Settings
) -> None:
    app, exporter = stack
    await app.tenant("acme")
    headers = await app.user("acme", "member@acme.test")
    with app_on_portal(app.client) as port:  # the demo tool calls the API back over TCP
        app.client.blocking_portal.call(
            ensure_demo_tracking_tool,
            app.container,
            dataclasses.replace(settings, api_port=port),
            "acme",
            SYSTEM,
        )
        exporter.clear()
        answer = await app.client.post("/api/acme/chat", json={"message": TRACK}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["metadata"]["tools"], "the turn should have run the tracking tool"

    spans = exporter.get_finished_spans()
    server = one(
        [s for s in spans if s.kind is SpanKind.SERVER and "chat" in s.name],
        "POST /api/{tenant_id}/chat",
    )
    trace = [s for s in spans if s.context.trace_id == server.context.trace_id]
    turn = one(trace, "chat.turn")
    assert turn.parent is not None and turn.parent.span_id == server.context.span_id
    assert server.attributes["itl.tenant_id"] == turn.attributes["itl.tenant_id"] == "acme"
    assert turn.attributes["itl.routing.method"] and turn.attributes["gen_ai.system"] == "offline"
    assert turn.attributes["itl.session_id"] == answer.json()["session_id"]

    models = [s for s in trace if s.name == "model.call"]
    assert len(models) >= 2  # the call that asked for the tool, and the answer after it
    for model in models:
        assert model.parent is not None and model.parent.span_id == turn.context.span_id
        assert model.attributes["itl.tenant_id"] == "acme"
        assert model.attributes["gen_ai.system"] == "offline"
        assert model.attributes["gen_ai.usage.output_tokens"] > 0
    tool = one(trace, "tool.call")
    assert tool.parent is not None and tool.parent.span_id == turn.context.span_id
    assert tool.attributes["itl.tenant_id"] == "acme"
    assert tool.attributes["itl.tool.kind"] == "http" and tool.attributes["itl.tool.ok"] is True

    statements = [s for s in trace if s.attributes.get("db.system") == "postgresql"]
    assert statements, "the turn's SQL statements should be spans of its trace"
    assert any(s.parent and s.parent.span_id == turn.context.span_id for s in statements)

    for span in trace:
        text = texts_of(span)
        for secret in ("ITL-735194", "Quackenbush", answer.json()["response"][:40]):
            assert secret not in text, (span.name, secret)
        assert headers["Authorization"].split()[1] not in text, span.name


async def test_a_streamed_turn_keeps_its_spans_in_the_request_trace(
    stack: tuple[Stack, Any],
) -> None:
    app, exporter = stack
    await app.tenant("acme")
    headers = await app.user("acme", "member@acme.test")
    exporter.clear()
    streamed = await app.client.post(
        "/api/acme/chat",
        json={"message": PRICE},
        headers={**headers, "Accept": "text/event-stream"},
    )
    assert streamed.status_code == 200
    assert parse_sse(streamed.text)[-1][0] == "done"

    spans = exporter.get_finished_spans()
    server = one([s for s in spans if s.kind is SpanKind.SERVER], "POST /api/{tenant_id}/chat")
    turn = one(spans, "chat.turn")
    assert turn.parent is not None and turn.parent.span_id == server.context.span_id
    model = [s for s in spans if s.name == "model.call"][-1]
    assert model.parent is not None and model.parent.span_id == turn.context.span_id
    assert model.attributes["itl.model.ttft_ms"] >= 0
    assert all("Quackenbush" not in texts_of(s) for s in spans)


async def test_health_readiness_and_metrics_are_not_traced(stack: tuple[Stack, Any]) -> None:
    app, exporter = stack
    for path in ("/health", "/ready", "/metrics"):
        assert (await app.client.get(path)).status_code == 200
    assert [s for s in exporter.get_finished_spans() if s.kind is SpanKind.SERVER] == []


def test_without_an_endpoint_nothing_is_traced_or_imported() -> None:
    code = (
        "import sys\n"
        "from itl_adapters.containers import Application\n"
        "from itl_adapters.settings import Settings\n"
        "from http_api.app import create_app\n"
        "container = Application(settings=Settings())\n"
        "assert container.infra.tracing() is None\n"
        "create_app(container)\n"
        # redis-py imports the SDK's metrics when installed (and leaves them unused): what
        # matters is that no tracer, exporter, instrumentation or span decorator is loaded.
        "ours = ('opentelemetry.sdk.trace', 'opentelemetry.exporter',\n"
        "        'opentelemetry.instrumentation.psycopg', 'itl_adapters.observability.spans')\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(ours))\n"
        "assert not loaded, loaded\n"
    )
    env = {"PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_collector_url_is_the_standard_base_url() -> None:
    assert Settings.from_env({}).otel_endpoint is None
    standard = Settings.from_env({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"})
    ours = Settings.from_env(
        {
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
            "ITL_OTEL_EXPORTER_OTLP_ENDPOINT": "http://ours:4318/",
        }
    )
    assert (standard.otel_endpoint, ours.otel_endpoint) == (
        "http://collector:4318",
        "http://ours:4318/",
    )
    assert traces_url("http://ours:4318/") == "http://ours:4318/v1/traces"
    assert traces_url("http://ours:4318/v1/traces") == "http://ours:4318/v1/traces"
