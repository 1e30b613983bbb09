"""The platform's Prometheus metric families, built once per process on first use.

``platform_metrics()`` returns the one ``PlatformMetrics`` of this process (registered in
prometheus_client's default registry, which ``/metrics`` exposes). Metric names:

- ``itl_http_errors_total{app,status_class}``         4xx/5xx answers (latency histograms by
                                                      route come from Litestar's plugin:
                                                      ``itl_api_request_duration_seconds``)
- ``itl_model_latency_seconds{provider}``             a chat turn's model time, per provider
- ``itl_model_ttft_seconds{provider}``                time to the first token, per provider
- ``itl_tokens_total{provider,direction}``            direction: input | output
- ``itl_cost_usd_total{provider}``                    priced turns only
- ``itl_tool_calls_total{tool_kind,ok}``              ok: true | false
- ``itl_routing_decisions_total{method}``             rule | similarity | llm | sticky | fallback
- ``itl_ratelimit_rejections_total{route_class}``     incremented by the rate limiter's edge
- ``itl_cache_requests_total{cache,result}``          result: hit | miss | error
- ``itl_db_pool_connections{state}``                  read from the pools at scrape time

Label values must stay few (no tenant, user or id labels): every value is a time series.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Iterator
from dataclasses import dataclass

from prometheus_client import REGISTRY, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from psycopg_pool import AsyncConnectionPool

__all__ = ["PlatformMetrics", "platform_metrics", "track_pool", "untrack_pool"]

# Model calls take from tens of milliseconds (offline) to minutes (long answers).
_LATENCY_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40, 60, 120)


class _PoolCollector(Collector):
    """Connections per state, summed over this process's open pools, read at scrape time."""

    def __init__(self) -> None:
        self._pools: weakref.WeakSet[AsyncConnectionPool] = weakref.WeakSet()

    def track(self, pool: AsyncConnectionPool) -> None:
        self._pools.add(pool)

    def untrack(self, pool: AsyncConnectionPool) -> None:
        self._pools.discard(pool)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        totals = {"in_use": 0, "idle": 0, "waiting": 0, "max": 0}
        for pool in list(self._pools):
            stats = pool.get_stats()
            size, idle = stats.get("pool_size", 0), stats.get("pool_available", 0)
            totals["in_use"] += max(size - idle, 0)
            totals["idle"] += idle
            totals["waiting"] += stats.get("requests_waiting", 0)
            totals["max"] += pool.max_size
        family = GaugeMetricFamily(
            "itl_db_pool_connections", "PostgreSQL pool connections by state", labels=["state"]
        )
        for state, value in totals.items():
            family.add_metric([state], value)
        yield family

    def describe(self) -> Iterator[GaugeMetricFamily]:
        yield GaugeMetricFamily("itl_db_pool_connections", "", labels=["state"])


@dataclass(frozen=True, slots=True, kw_only=True)
class PlatformMetrics:
    http_errors: Counter
    model_latency: Histogram
    model_ttft: Histogram
    tokens: Counter
    cost_usd: Counter
    tool_calls: Counter
    routing_decisions: Counter
    ratelimit_rejections: Counter
    cache_requests: Counter
    pools: _PoolCollector


@functools.cache
def platform_metrics() -> PlatformMetrics:
    """The process's metric families, registered in the default registry on the first call."""
    pools = _PoolCollector()
    REGISTRY.register(pools)
    return PlatformMetrics(
        http_errors=Counter(
            "itl_http_errors", "HTTP answers with a 4xx or 5xx status", ["app", "status_class"]
        ),
        model_latency=Histogram(
            "itl_model_latency_seconds",
            "Model time of a chat turn",
            ["provider"],
            buckets=_LATENCY_BUCKETS,
        ),
        model_ttft=Histogram(
            "itl_model_ttft_seconds",
            "Time from the start of a chat turn to its first token",
            ["provider"],
            buckets=_LATENCY_BUCKETS,
        ),
        tokens=Counter("itl_tokens", "Model tokens", ["provider", "direction"]),
        cost_usd=Counter("itl_cost_usd", "Model cost in US dollars (priced models)", ["provider"]),
        tool_calls=Counter("itl_tool_calls", "Tool runs in chat turns", ["tool_kind", "ok"]),
        routing_decisions=Counter(
            "itl_routing_decisions", "Supervisor routing decisions", ["method"]
        ),
        ratelimit_rejections=Counter(
            "itl_ratelimit_rejections", "Requests refused by a rate limit", ["route_class"]
        ),
        cache_requests=Counter("itl_cache_requests", "Config cache lookups", ["cache", "result"]),
        pools=pools,
    )


def track_pool(pool: AsyncConnectionPool) -> None:
    """Report ``pool`` in ``itl_db_pool_connections`` while it lives (weakly held)."""
    platform_metrics().pools.track(pool)


def untrack_pool(pool: AsyncConnectionPool) -> None:
    platform_metrics().pools.untrack(pool)
