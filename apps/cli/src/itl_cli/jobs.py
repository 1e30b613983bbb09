"""``itl embedding --tenant T [--model M]`` and ``itl jobs --tenant T``: a tenant's embedding
model (setting another queues re-embedding) and its background jobs with their progress.

Both act as the platform, through the same use cases as the API. The jobs run in the API
processes' workers (``itl serve``), not in this command.
"""

from __future__ import annotations

from itl_adapters.containers import resolve
from itl_adapters.seed import SYSTEM
from itl_adapters.settings import Settings
from itl_core.jobs.model import Job
from itl_core.knowledge.embedding import ChangeEmbeddingModelRequest, EmbeddingSettings
from itl_core.pagination import PageRequest

from itl_cli.admin import _container


def job_line(job: Job) -> str:
    share = f" ({100 * job.done // job.total}%)" if job.total else ""
    line = f"{job.id}  {job.kind:<8} {job.status.value:<9} {job.done}/{job.total}{share}"
    return line + (f"  {job.error}" if job.error else "")


def embedding_lines(settings: EmbeddingSettings) -> list[str]:
    lines = [f"active model:    {settings.active_model}"]
    lines.append(f"requested model: {settings.requested_model}")
    lines += [f"  available: {m.name} ({m.dimensions}-d) {m.description}" for m in settings.models]
    if settings.job is not None:
        lines.append(f"re-embedding queued: {job_line(settings.job)}")
    return lines


async def embedding(settings: Settings, tenant_id: str, model: str | None) -> list[str]:
    async with _container(settings) as container:
        if model is None:
            use_case = await resolve(container.use_cases.get_embedding_settings)
            return embedding_lines(await use_case.execute(SYSTEM, tenant_id))
        change = await resolve(container.use_cases.change_embedding_model)
        return embedding_lines(
            await change.execute(
                ChangeEmbeddingModelRequest(principal=SYSTEM, tenant_id=tenant_id, model=model)
            )
        )


async def jobs(settings: Settings, tenant_id: str) -> list[str]:
    async with _container(settings) as container:
        use_case = await resolve(container.use_cases.list_jobs)
        lines, page = [], PageRequest(limit=200)
        while True:
            found = await use_case.execute(SYSTEM, page, tenant_id)
            lines += [job_line(j) for j in found.items]
            if found.next_cursor is None:
                return lines or ["no jobs"]
            page = PageRequest.parse(200, found.next_cursor)
