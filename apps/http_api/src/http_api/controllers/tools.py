"""Tool configuration; the tenant is the token's (platform admins add ``?tenant_id=``).

Tenant admins write and test, operators read. ``POST /{tool_id}/test`` runs the tool once and
answers its outcome (200 even when the tool failed: the failure is the answer).
"""

from __future__ import annotations

from typing import Any

from itl_core.access import Principal
from itl_core.pagination import PageRequest
from itl_core.tools.use_cases import (
    CreateTool,
    CreateToolRequest,
    DeleteTool,
    GetTool,
    ListTools,
    ReplaceTool,
    ReplaceToolRequest,
    TestTool,
    TestToolRequest,
    UpdateTool,
    UpdateToolRequest,
)
from itl_web.idempotency import Idempotency, principal_scope
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from http_api.dto.common import TenantQuery
from http_api.dto.tools import ToolIn, ToolOut, ToolOutcomeOut, ToolPageOut, ToolPatchIn, ToolTestIn


class ToolController(Controller):
    path = "/api/admin/tools"
    tags = ["tools"]
    security = [{"BearerToken": []}]

    @get("/", operation_id="listTools")
    async def list_tools(
        self,
        principal: NamedDependency[Principal],
        list_tools: NamedDependency[ListTools],
        tenant_id: TenantQuery = None,
        limit: FromQuery[int | None] = None,
        cursor: FromQuery[str | None] = None,
    ) -> ToolPageOut:
        page = await list_tools.execute(principal, PageRequest.parse(limit, cursor), tenant_id)
        return ToolPageOut(items=[ToolOut.of(t) for t in page.items], next_cursor=page.next_cursor)

    @post("/", operation_id="createTool")
    async def create_tool(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[ToolIn],
        principal: NamedDependency[Principal],
        create_tool: NamedDependency[CreateTool],
        idempotency: NamedDependency[Idempotency],
        tenant_id: TenantQuery = None,
    ) -> Response[ToolOut]:
        """Accepts ``Idempotency-Key``: a repeat replays the first answer."""

        async def create() -> ToolOut:
            spec = await create_tool.execute(
                CreateToolRequest(
                    principal=principal,
                    tenant_id=tenant_id,
                    draft=data.to_draft(),
                    secrets=data.secret_values() or {},
                )
            )
            return ToolOut.of(spec)

        return await idempotency.respond(  # type: ignore[return-value] - the encoded ToolOut
            request, principal_scope(principal), create, status_code=201
        )

    @get("/{tool_id:str}", operation_id="getTool")
    async def get_tool(
        self,
        tool_id: FromPath[str],
        principal: NamedDependency[Principal],
        get_tool: NamedDependency[GetTool],
        tenant_id: TenantQuery = None,
    ) -> ToolOut:
        return ToolOut.of(await get_tool.execute(principal, tool_id, tenant_id))

    @put("/{tool_id:str}", operation_id="replaceTool")
    async def replace_tool(
        self,
        tool_id: FromPath[str],
        data: JSONBody[ToolIn],
        principal: NamedDependency[Principal],
        replace_tool: NamedDependency[ReplaceTool],
        tenant_id: TenantQuery = None,
    ) -> ToolOut:
        spec = await replace_tool.execute(
            ReplaceToolRequest(
                principal=principal,
                tenant_id=tenant_id,
                tool_id=tool_id,
                draft=data.to_draft(),
                secrets=data.secret_values(),
            )
        )
        return ToolOut.of(spec)

    @patch("/{tool_id:str}", operation_id="updateTool")
    async def update_tool(
        self,
        tool_id: FromPath[str],
        data: JSONBody[ToolPatchIn],
        principal: NamedDependency[Principal],
        update_tool: NamedDependency[UpdateTool],
        tenant_id: TenantQuery = None,
    ) -> ToolOut:
        spec = await update_tool.execute(
            UpdateToolRequest(
                principal=principal,
                tenant_id=tenant_id,
                tool_id=tool_id,
                changes=data.changes(),
                secrets=data.secrets,
            )
        )
        return ToolOut.of(spec)

    @delete("/{tool_id:str}", operation_id="deleteTool")
    async def delete_tool(
        self,
        tool_id: FromPath[str],
        principal: NamedDependency[Principal],
        delete_tool: NamedDependency[DeleteTool],
        tenant_id: TenantQuery = None,
    ) -> None:
        await delete_tool.execute(principal, tool_id, tenant_id)

    @post("/{tool_id:str}/test", operation_id="testTool", status_code=200)
    async def test_tool(
        self,
        tool_id: FromPath[str],
        data: JSONBody[ToolTestIn],
        principal: NamedDependency[Principal],
        test_tool: NamedDependency[TestTool],
        tenant_id: TenantQuery = None,
    ) -> ToolOutcomeOut:
        outcome = await test_tool.execute(
            TestToolRequest(
                principal=principal, tenant_id=tenant_id, tool_id=tool_id, arguments=data.arguments
            )
        )
        return ToolOutcomeOut.of(outcome)
