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
- ``itl_db_pool_connections{state}``                  in_use | idle | waiting | max, sampled
                                                      from the pools (see ``_PoolGauge``)

Label values must stay few (no tenant, user or id labels): every value is a time series.

Several worker processes (``uvicorn --workers N``): each has its own registry, so a scrape
through the load balancer would see one random worker. With ``PROMETHEUS_MULTIPROC_DIR`` set
(before the process starts: prometheus_client picks its value store at import), every process
writes its values to files in that directory and ``exposition()`` merges the files of all the
workers: counters and histograms are summed (dead workers' too, so totals never go back), the
pool gauge is summed over live workers (``livesum``). The directory must be empty when the
server starts (compose mounts a tmpfs); ``worker_metrics`` runs in each worker's lifespan.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from psycopg_pool import AsyncConnectionPool

__all__ = [
    "MULTIPROC_DIR_ENV",
    "PlatformMetrics",
    "exposition",
    "forget_dead_workers",
    "multiprocess_dir",
    "platform_metrics",
    "track_pool",
    "untrack_pool",
    "worker_metrics",
]

MULTIPROC_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"
# How often each worker writes its pool gauge in multiprocess mode (a scrape samples its own).
POOL_SAMPLE_SECONDS = 5.0

# Model calls take from tens of milliseconds (offline) to minutes (long answers).
_LATENCY_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40, 60, 120)


class _PoolGauge:
    """Connections per state, summed over this process's open pools.

    One process: read from the pools whenever the registry is collected (``set_function``).
    Multiprocess mode: values live in files other workers' scrapes read, so ``sample()``
    writes them, at each scrape (the answering worker is exact) and every few seconds in each
    worker (``worker_metrics``); ``livesum`` adds up the workers that are alive.
    """

    STATES = ("in_use", "idle", "waiting", "max")

    def __init__(self) -> None:
        self._pools: weakref.WeakSet[AsyncConnectionPool] = weakref.WeakSet()
        self._gauge = Gauge(
            "itl_db_pool_connections",
            "PostgreSQL pool connections by state",
            ["state"],
            multiprocess_mode="livesum",
        )
        self._shared = multiprocess_dir() is not None
        if not self._shared:
            for state in self.STATES:
                child = self._gauge.labels(state=state)
                child.set_function(functools.partial(self._total, state))

    def track(self, pool: AsyncConnectionPool) -> None:
        self._pools.add(pool)

    def untrack(self, pool: AsyncConnectionPool) -> None:
        self._pools.discard(pool)

    def sample(self) -> None:
        """Write the current totals where other workers read them (multiprocess mode only)."""
        if self._shared:
            for state, value in self._totals().items():
                self._gauge.labels(state=state).set(value)

    def _total(self, state: str) -> float:
        return self._totals()[state]

    def _totals(self) -> dict[str, int]:
        totals = dict.fromkeys(self.STATES, 0)
        for pool in list(self._pools):
            stats = pool.get_stats()
            size, idle = stats.get("pool_size", 0), stats.get("pool_available", 0)
            totals["in_use"] += max(size - idle, 0)
            totals["idle"] += idle
            totals["waiting"] += stats.get("requests_waiting", 0)
            totals["max"] += pool.max_size
        return totals


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
    pools: _PoolGauge


@functools.cache
def platform_metrics() -> PlatformMetrics:
    """The process's metric families, registered in the default registry on the first call."""
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
        cache_requests=Counter(
            "itl_cache_requests", "Config and session cache lookups", ["cache", "result"]
        ),
        pools=_PoolGauge(),
    )


def track_pool(pool: AsyncConnectionPool) -> None:
    """Report ``pool`` in ``itl_db_pool_connections`` while it lives (weakly held)."""
    platform_metrics().pools.track(pool)


def untrack_pool(pool: AsyncConnectionPool) -> None:
    platform_metrics().pools.untrack(pool)


def multiprocess_dir() -> Path | None:
    """The shared metrics directory of the workers (multiprocess mode), if configured."""
    value = os.environ.get(MULTIPROC_DIR_ENV)
    return Path(value) if value else None


def exposition() -> tuple[bytes, str]:
    """The Prometheus text of this server (of all its workers in multiprocess mode)."""
    platform_metrics().pools.sample()
    registry = REGISTRY
    if multiprocess_dir() is not None:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    return generate_latest(registry), CONTENT_TYPE_LATEST


def _forget_live_gauges(directory: Path, pid: int) -> None:
    """``prometheus_client.multiprocess.mark_process_dead``, safe when two workers race to it."""
    for file in directory.glob(f"gauge_live*_{pid}.db"):
        file.unlink(missing_ok=True)


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def forget_dead_workers(directory: Path) -> list[int]:
    """Drop the live gauges of workers that died without cleaning up (killed, crashed)."""
    pids = {
        int(pid)
        for file in directory.glob("gauge_live*_*.db")
        if (pid := file.stem.rpartition("_")[2]).isdigit()
    }
    dead = sorted(pid for pid in pids if pid != os.getpid() and not _is_running(pid))
    for pid in dead:
        _forget_live_gauges(directory, pid)
    return dead


_open_workers = 0  # ``worker_metrics`` contexts open in this process (``itl serve`` runs two apps)


@contextlib.asynccontextmanager
async def worker_metrics(interval: float = POOL_SAMPLE_SECONDS) -> AsyncIterator[None]:
    """A worker's part in multiprocess mode (nothing otherwise), for its app's lifespan.

    On start: create the directory if missing, forget workers that died uncleanly, then
    sample this worker's pools every ``interval`` seconds (the scrape may be answered by
    another worker). On exit: this process's live gauges leave the sums
    (``mark_process_dead``).
    """
    global _open_workers
    directory = multiprocess_dir()
    if directory is None:
        yield
        return
    directory.mkdir(parents=True, exist_ok=True)
    forget_dead_workers(directory)
    pools = platform_metrics().pools

    async def sample_forever() -> None:
        while True:
            pools.sample()
            await asyncio.sleep(interval)

    sampler = asyncio.create_task(sample_forever(), name="itl-pool-metrics")
    _open_workers += 1
    try:
        yield
    finally:
        sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampler
        _open_workers -= 1
        if _open_workers == 0:
            _forget_live_gauges(directory, os.getpid())
