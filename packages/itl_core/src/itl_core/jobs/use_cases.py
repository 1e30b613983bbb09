"""Reading a tenant's jobs: tenant admins and operators; platform admins name the tenant."""

from __future__ import annotations

from itl_core.access import Principal, Role, require_role, target_tenant
from itl_core.errors import NotFound
from itl_core.jobs.model import Job
from itl_core.jobs.ports import JobQueue
from itl_core.pagination import Page, PageRequest

READERS = (Role.PLATFORM_ADMIN, Role.TENANT_ADMIN, Role.OPERATOR)


class ListJobs:
    def __init__(self, jobs: JobQueue) -> None:
        self._jobs = jobs

    async def execute(
        self, principal: Principal, page: PageRequest, tenant_id: str | None = None
    ) -> Page[Job]:
        require_role(principal, *READERS)
        return await self._jobs.list(target_tenant(principal, tenant_id), page)


class GetJob:
    def __init__(self, jobs: JobQueue) -> None:
        self._jobs = jobs

    async def execute(self, principal: Principal, job_id: str, tenant_id: str | None = None) -> Job:
        require_role(principal, *READERS)
        job = await self._jobs.get(target_tenant(principal, tenant_id), job_id)
        if job is None:
            raise NotFound("The job does not exist.")
        return job
