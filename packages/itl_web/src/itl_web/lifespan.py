"""Container lifetime bound to an app's lifespan, the start-up reaper, the background-job
worker, and readiness checks."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from itl_adapters.containers import Application
from itl_adapters.observability.metrics import worker_metrics
from itl_adapters.resources import resources_open
from itl_core.errors import UpstreamUnavailable
from itl_core.jobs.runner import JobWorker
from litestar import Litestar

from itl_web.di import resolve
from itl_web.health import ReadinessCheck

log = logging.getLogger(__name__)


def freeze_startup_heap() -> None:
    """For a process's owner, once its apps are built: what start-up created (modules, the
    vendor SDKs' models, the apps and their containers) lives as long as the process, so it is
    moved out of the garbage collector's sight (``gc.freeze``). A full collection then scans
    only what requests created: over the API's start-up heap (349,000 objects) one took 190 to
    240 ms on the 2-core benchmark machine, a stall of every request in flight, and the
    collector runs one every few thousand requests."""
    gc.collect()
    gc.freeze()


def container_lifespan(
    container: Application,
) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    """Opens the container's resources (pools, clients) for the app's life; in multiprocess
    metrics mode also runs this worker's part (``worker_metrics``) while they are open."""

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        async with resources_open(container), worker_metrics():
            yield

    return lifespan


def reap_interrupted_messages(
    container: Application,
) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    """Lifespan step (after ``container_lifespan``): messages a crash left ``pending`` become
    ``interrupted``, once per start, before the app serves a request."""

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        messages = await resolve(container.repositories.messages)
        try:
            reaped = await messages.mark_pending_interrupted()
        except UpstreamUnavailable as error:  # serve anyway: /ready reports the database
            log.warning("start-up reaper skipped: %s", error)
        else:
            if reaped:
                log.info("start-up reaper marked %d pending message(s) interrupted", reaped)
        yield

    return lifespan


def run_background_jobs(
    container: Application,
) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    """Lifespan step (after ``container_lifespan``): this process works the job queue while it
    serves, unless ``ITL_JOB_WORKER`` is off. Every API process may run one: claims never
    overlap. Shutdown releases a job in progress to the queue for the next worker."""

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        if not container.settings().job_worker:
            yield
            return
        worker = JobWorker(await resolve(container.use_cases.job_runner))
        worker.start()
        try:
            yield
        finally:
            await worker.stop()

    return lifespan


def readiness_checks(container: Application) -> dict[str, ReadinessCheck]:
    async def postgres() -> None:
        await (await resolve(container.infra.database)).ping()

    async def redis() -> None:
        await (await resolve(container.infra.redis)).ping()

    return {"postgres": postgres, "redis": redis}
