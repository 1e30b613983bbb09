"""Liveness, readiness and metrics routes, the same on both apps."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from itl_adapters.observability.metrics import exposition
from litestar import Controller, Response, get

from itl_web.problems import problem

ReadinessCheck = Callable[[], Awaitable[object]]
CHECK_TIMEOUT = 2.0


class MetricsController(Controller):
    """Prometheus text of this server: every worker's when ``PROMETHEUS_MULTIPROC_DIR`` is set
    (``itl_adapters.observability.metrics``)."""

    path = "/metrics"

    @get()
    async def get(self) -> Response:  # type: ignore[type-arg]
        body, content_type = exposition()
        return Response(body, headers={"Content-Type": content_type})


def health_controller(checks: Mapping[str, ReadinessCheck]) -> type[Controller]:
    """A controller whose ``/ready`` runs every named check concurrently, each time-boxed."""

    async def run(check: ReadinessCheck) -> str:
        try:
            await asyncio.wait_for(check(), CHECK_TIMEOUT)
        except Exception:
            return "unavailable"
        return "ok"

    class HealthController(Controller):
        tags = ["health"]

        @get("/health", operation_id="health", summary="Liveness: the process answers")
        async def health(self) -> dict[str, str]:
            return {"status": "ok"}

        @get("/ready", operation_id="ready", summary="Readiness: PostgreSQL and Redis answer")
        async def ready(self) -> Response[dict[str, Any]]:
            names = list(checks)
            results = dict(
                zip(names, await asyncio.gather(*(run(checks[n]) for n in names)), strict=True)
            )
            failed = [n for n, r in results.items() if r != "ok"]
            if failed:
                return problem(
                    503,
                    f"Not ready: {', '.join(failed)} unavailable.",
                    code="not_ready",
                    checks=results,
                )
            return Response({"status": "ok", "checks": results})

    return HealthController
