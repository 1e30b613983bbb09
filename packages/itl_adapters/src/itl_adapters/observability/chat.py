"""``ObservedChatTurn``: the chat turn with its Prometheus metrics, recorded from its events.

A decorator of ``ChatTurn`` (wired in ``containers.py``), so the core stays free of metrics
code and every consumer (the API's JSON and SSE routes, the widget's) is measured alike. It
passes every event through unchanged and records:

- ``Routed``        -> ``itl_routing_decisions_total{method}``
- ``ToolReturned``  -> ``itl_tool_calls_total{tool_kind,ok}`` (the kind of the tenant's tool of
                       that name, ``unknown`` when none; names are tenant data, never labels)
- first ``Token``   -> ``itl_model_ttft_seconds{provider}`` (from the routing decision, i.e. when
                       the model call starts; recorded once the provider is known)
- ``Done``          -> ``itl_model_latency_seconds``, ``itl_tokens_total``, ``itl_cost_usd_total``
                       by the provider in the answer's metadata
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Mapping
from typing import Any

from itl_core.chat.events import ChatEvent, Done, Routed, Token, ToolReturned
from itl_core.chat.turn import ChatTurn, ChatTurnRequest
from itl_core.pagination import MAX_LIMIT, PageRequest
from itl_core.tools.ports import ToolSpecRepository

from itl_adapters.observability.metrics import platform_metrics

__all__ = ["ObservedChatTurn"]


class ObservedChatTurn:
    """Same contract as ``ChatTurn.execute``; see the module docstring for what is measured."""

    def __init__(self, inner: ChatTurn, tools: ToolSpecRepository) -> None:
        self._inner, self._tools = inner, tools

    async def execute(self, request: ChatTurnRequest) -> AsyncIterator[ChatEvent]:
        events = self._inner.execute(request)
        turn = _TurnMetrics(request.actor.tenant_id, self._tools)
        try:
            async for event in events:
                await turn.observe(event)
                yield event
        finally:
            await events.aclose()  # type: ignore[attr-defined]


class _TurnMetrics:
    def __init__(self, tenant_id: str, tools: ToolSpecRepository) -> None:
        self._tenant_id, self._tools = tenant_id, tools
        self._routed_at: float | None = None
        self._ttft: float | None = None
        self._kinds: dict[str, str] | None = None
        self._metrics = platform_metrics()

    async def observe(self, event: ChatEvent) -> None:
        match event:
            case Routed():
                self._routed_at = time.monotonic()
                self._metrics.routing_decisions.labels(method=event.method).inc()
            case Token() if self._ttft is None and self._routed_at is not None:
                self._ttft = time.monotonic() - self._routed_at
            case ToolReturned():
                kind = (await self._tool_kinds()).get(event.name, "unknown")
                ok = "true" if event.ok else "false"
                self._metrics.tool_calls.labels(tool_kind=kind, ok=ok).inc()
            case Done():
                self._finish(event.result.metadata)

    def _finish(self, metadata: Mapping[str, Any]) -> None:
        provider = str(metadata.get("provider") or "unknown")
        m = self._metrics
        if isinstance(latency := metadata.get("latency_ms"), int | float):
            m.model_latency.labels(provider=provider).observe(latency / 1000)
        if self._ttft is not None:
            m.model_ttft.labels(provider=provider).observe(self._ttft)
        usage = metadata.get("usage") or {}
        for direction in ("input", "output"):
            if (tokens := usage.get(f"{direction}_tokens")) and tokens > 0:
                m.tokens.labels(provider=provider, direction=direction).inc(tokens)
        if (cost := usage.get("cost_usd")) and cost > 0:
            m.cost_usd.labels(provider=provider).inc(cost)

    async def _tool_kinds(self) -> dict[str, str]:
        if self._kinds is None:
            try:
                page = await self._tools.list(self._tenant_id, PageRequest(limit=MAX_LIMIT))
            except Exception:
                page = None
            self._kinds = {s.name: s.kind.value for s in page.items} if page else {}
        return self._kinds
