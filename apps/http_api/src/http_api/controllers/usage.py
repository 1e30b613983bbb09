"""Usage reports; the tenant is the token's (platform admins add ``?tenant_id=``)."""

from __future__ import annotations

from itl_core.access import Principal
from itl_core.usage.use_cases import GetUsageReport
from litestar import Controller, get
from litestar.di import NamedDependency

from http_api.dto.common import TenantQuery
from http_api.dto.usage import FromDay, ToDay, UsageReportOut


class UsageController(Controller):
    path = "/api/admin/usage"
    tags = ["usage"]
    security = [{"BearerToken": []}]

    @get(
        "/",
        operation_id="getUsage",
        summary="Tokens and cost per UTC day and per agent",
        description=(
            "Tenant admins and operators. `from`/`to` are UTC days (YYYY-MM-DD, both included);"
            " `to` defaults to today, `from` to 30 days ending at `to`; at most 366 days."
        ),
    )
    async def report(
        self,
        principal: NamedDependency[Principal],
        get_usage_report: NamedDependency[GetUsageReport],
        start: FromDay = None,
        end: ToDay = None,
        tenant_id: TenantQuery = None,
    ) -> UsageReportOut:
        report = await get_usage_report.execute(principal, start, end, tenant_id)
        return UsageReportOut.of(report)
