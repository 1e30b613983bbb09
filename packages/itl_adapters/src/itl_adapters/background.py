"""What this process's job worker can run: the handler of each job kind (``itl_core.jobs``)."""

from __future__ import annotations

from itl_core.clock import Clock
from itl_core.ids import IdGenerator
from itl_core.jobs.ports import JobQueue
from itl_core.jobs.runner import JobHandler
from itl_core.knowledge.embedding import REEMBED
from itl_core.knowledge.indexing import INDEX, IndexScheduler, IndexTenant, TenantIndexer

__all__ = ["job_handlers", "optional_index_scheduler"]


def job_handlers(reembed: JobHandler, indexer: TenantIndexer | None) -> dict[str, JobHandler]:
    """Re-embedding always; index builds when the process has an indexer (a schema-owner URL).
    A job of a kind missing here fails with that reason instead of running."""
    handlers = {REEMBED: reembed}
    if indexer is not None:
        handlers[INDEX] = IndexTenant(indexer)
    return handlers


def optional_index_scheduler(
    indexer: TenantIndexer | None, jobs: JobQueue, clock: Clock, ids: IdGenerator
) -> IndexScheduler | None:
    """Queues ``index`` jobs, or None (nothing to queue) without an indexer."""
    return IndexScheduler(indexer, jobs, clock, ids) if indexer is not None else None
