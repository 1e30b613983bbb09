"""Keeping a large tenant's search indexes current, off the request path: the ``index`` job.

A tenant whose knowledge outgrew exact search gets its own vector and keyword indexes
(``TenantIndexer.ensure_tenant_index``), and chunks added later are promoted into its graph in
batches (``index_tenant``). Both are slow (seconds to minutes) and must not run twice at once
for a tenant, which is what a job gives: one queued ``index`` job per tenant, run by one worker
at a time. ``IndexScheduler.schedule`` queues it after an upload or a re-embedding switch, but
only for tenants above the exact-search size: small tenants never need it.
"""

from __future__ import annotations

import logging
from typing import Protocol

from itl_core.clock import Clock
from itl_core.ids import IdGenerator
from itl_core.jobs.model import Job
from itl_core.jobs.ports import JobQueue
from itl_core.jobs.runner import Progress

log = logging.getLogger(__name__)

INDEX = "index"  # the job kind


class TenantIndexer(Protocol):
    """A tenant's own search indexes: build them once it needs them, then feed them."""

    async def needs_index(self, tenant_id: str) -> bool:
        """Whether the tenant is above the exact-search size (cheap: one query)."""
        ...

    async def ensure_tenant_index(self, tenant_id: str) -> bool:
        """Build (or rebuild in bulk) what is missing or stale; answer whether it built."""
        ...

    async def index_tenant(self, tenant_id: str, *, max_rows: int | None = None) -> int:
        """Promote the tenant's chunks not yet in its graph; answer how many."""
        ...


class IndexScheduler:
    def __init__(
        self, indexer: TenantIndexer, jobs: JobQueue, clock: Clock, ids: IdGenerator
    ) -> None:
        self._indexer, self._jobs, self._clock, self._ids = indexer, jobs, clock, ids

    async def schedule(self, tenant_id: str) -> Job | None:
        """Queue the tenant's ``index`` job if it needs one. Never raises: the knowledge is
        already stored and searchable; a missed job only delays promotion to the next one."""
        try:
            if not await self._indexer.needs_index(tenant_id):
                return None
            now = self._clock.now()
            return await self._jobs.enqueue(
                Job(
                    id=self._ids.new_id(),
                    tenant_id=tenant_id,
                    kind=INDEX,
                    created_at=now,
                    updated_at=now,
                )
            )
        except Exception:
            log.warning("could not queue the index job of tenant %s", tenant_id, exc_info=True)
            return None


class IndexTenant:
    """The ``index`` job: build the tenant's indexes if needed, then promote its new chunks.
    Progress is reported in two steps; the lease is kept alive while a build runs."""

    def __init__(self, indexer: TenantIndexer) -> None:
        self._indexer = indexer

    async def run(self, job: Job, progress: Progress) -> None:
        await progress.report(0, 2)
        async with progress.keep_alive():
            await self._indexer.ensure_tenant_index(job.tenant_id)
        await progress.report(1, 2)
        async with progress.keep_alive():
            await self._indexer.index_tenant(job.tenant_id)
        await progress.report(2, 2)
