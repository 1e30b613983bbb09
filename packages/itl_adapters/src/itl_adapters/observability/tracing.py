"""Optional OpenTelemetry tracing: on only when an OTLP endpoint is configured.

``ITL_OTEL_EXPORTER_OTLP_ENDPOINT`` (or the standard ``OTEL_EXPORTER_OTLP_ENDPOINT``): the base
URL of an OTLP/HTTP collector (``http://collector:4318``; spans go to ``/v1/traces``). The
service is named by ``OTEL_SERVICE_NAME`` (default ``itl-chatbot``); other ``OTEL_*`` variables
the SDK reads (resource attributes, batch sizes, headers) apply as usual.

What is traced, each span with the tenant's id (``itl.tenant_id``) where it has one:

- every HTTP request but health, readiness and metrics (Litestar's OpenTelemetry plugin; the
  span is renamed to the route template, ``itl_web.tracing``);
- every SQL statement (``opentelemetry-instrumentation-psycopg``: the statement text with its
  placeholders, never the parameters);
- each chat turn, each model call (provider, model, tokens, time to first token) and each tool
  run (kind, name, outcome) (``itl_adapters.observability.spans``).

Never message text, prompts, tool arguments or results, keys or tokens.

When no endpoint is set nothing here imports OpenTelemetry and nothing is wrapped: the
``maybe_traced_*`` helpers return their argument. The SDK, the exporter and the
instrumentations are the ``otel`` extra of ``itl-adapters`` (installed by the workspace and the
image); ``start_tracing`` says so when they are missing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from itl_core.chat.turn import ChatTurn
    from itl_core.llm.ports import ChatModelResolver
    from itl_core.tools.ports import ToolFactory
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter
    from opentelemetry.trace import Tracer

    from itl_adapters.settings import Settings

__all__ = [
    "TENANT_ATTRIBUTE",
    "Tracing",
    "maybe_traced_resolver",
    "maybe_traced_tool_factory",
    "maybe_traced_turn",
    "process_tracing",
    "start_tracing",
]

TENANT_ATTRIBUTE = "itl.tenant_id"
DEFAULT_SERVICE_NAME = "itl-chatbot"
INSTRUMENTATION_NAME = "itl"


@dataclass(frozen=True, slots=True)
class Tracing:
    """The process's tracer provider (not the global one: nothing else reports into it)."""

    provider: TracerProvider

    @property
    def tracer(self) -> Tracer:
        return self.provider.get_tracer(INSTRUMENTATION_NAME)

    def shutdown(self) -> None:
        """Flush and stop exporting; stops tracing SQL statements."""
        from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor

        PsycopgInstrumentor().uninstrument()
        self.provider.shutdown()


def traces_url(endpoint: str) -> str:
    """The OTLP/HTTP traces URL of a collector's base URL (as the standard variable means it)."""
    base = endpoint.rstrip("/")
    return base if base.endswith("/v1/traces") else f"{base}/v1/traces"


def start_tracing(*, endpoint: str | None = None, exporter: SpanExporter | None = None) -> Tracing:
    """A tracer provider exporting to ``endpoint`` in batches (or to ``exporter`` as each span
    ends: tests), with SQL statements traced through it."""
    try:
        from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
    except ImportError as missing:
        raise RuntimeError(
            "tracing is configured (ITL_OTEL_EXPORTER_OTLP_ENDPOINT) but the OpenTelemetry SDK"
            " is not installed: install itl-adapters[otel]"
        ) from missing
    service = os.environ.get("OTEL_SERVICE_NAME") or DEFAULT_SERVICE_NAME
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    if exporter is None:
        if endpoint is None:
            raise ValueError("start_tracing needs an endpoint or an exporter")
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(traces_url(endpoint))))
    else:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    # Patches psycopg's connect (process-wide, once): connections opened from now on trace
    # their statements. The pool opens its connections after this, in the app's lifespan.
    PsycopgInstrumentor().instrument(tracer_provider=provider, enable_commenter=False)
    return Tracing(provider)


_process_tracing: dict[str, Tracing] = {}


def process_tracing(settings: Settings) -> Tracing | None:
    """This process's tracing (one for every app it serves), or None when not configured."""
    endpoint = settings.otel_endpoint
    if endpoint is None:
        return None
    if endpoint not in _process_tracing:
        _process_tracing[endpoint] = start_tracing(endpoint=endpoint)
    return _process_tracing[endpoint]


def maybe_traced_resolver(resolver: ChatModelResolver, tracing: Tracing | None) -> Any:
    """``resolver`` whose models' calls are spans, when tracing; else ``resolver`` itself."""
    if tracing is None:
        return resolver
    from itl_adapters.observability.spans import TracedModelResolver

    return TracedModelResolver(resolver, tracing.tracer)


def maybe_traced_tool_factory(factory: ToolFactory, tracing: Tracing | None) -> Any:
    """``factory`` whose tools' runs are spans, when tracing; else ``factory`` itself."""
    if tracing is None:
        return factory
    from itl_adapters.observability.spans import TracedToolFactory

    return TracedToolFactory(factory, tracing.tracer)


def maybe_traced_turn(turn: ChatTurn, tracing: Tracing | None) -> Any:
    """``turn`` as one span (the parent of its model, tool and SQL spans), when tracing."""
    if tracing is None:
        return turn
    from itl_adapters.observability.spans import TracedChatTurn

    return TracedChatTurn(turn, tracing.tracer)
