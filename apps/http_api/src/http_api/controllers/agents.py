"""Agent configuration; the tenant is the token's (platform admins add ``?tenant_id=``)."""

from __future__ import annotations

from typing import Any

from itl_core.access import Principal
from itl_core.agents.use_cases import (
    CreateAgent,
    CreateAgentRequest,
    DeleteAgent,
    GetAgent,
    ListAgents,
    ReplaceAgent,
    ReplaceAgentRequest,
    UpdateAgent,
    UpdateAgentRequest,
)
from itl_core.pagination import PageRequest
from itl_web.idempotency import Idempotency, principal_scope
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from http_api.dto.agents import AgentIn, AgentOut, AgentPageOut, AgentPatchIn
from http_api.dto.common import TenantQuery


class AgentController(Controller):
    path = "/api/admin/agents"
    tags = ["agents"]
    security = [{"BearerToken": []}]

    @get("/", operation_id="listAgents")
    async def list_agents(
        self,
        principal: NamedDependency[Principal],
        list_agents: NamedDependency[ListAgents],
        tenant_id: TenantQuery = None,
        limit: FromQuery[int | None] = None,
        cursor: FromQuery[str | None] = None,
    ) -> AgentPageOut:
        page = await list_agents.execute(principal, PageRequest.parse(limit, cursor), tenant_id)
        return AgentPageOut(
            items=[AgentOut.of(a) for a in page.items], next_cursor=page.next_cursor
        )

    @post("/", operation_id="createAgent")
    async def create_agent(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[AgentIn],
        principal: NamedDependency[Principal],
        create_agent: NamedDependency[CreateAgent],
        idempotency: NamedDependency[Idempotency],
        tenant_id: TenantQuery = None,
    ) -> Response[AgentOut]:
        """Accepts ``Idempotency-Key``: a repeat replays the first answer."""

        async def create() -> AgentOut:
            agent = await create_agent.execute(
                CreateAgentRequest(principal=principal, tenant_id=tenant_id, draft=data.to_draft())
            )
            return AgentOut.of(agent)

        return await idempotency.respond(  # type: ignore[return-value] - the encoded AgentOut
            request, principal_scope(principal), create, status_code=201
        )

    @get("/{agent_id:str}", operation_id="getAgent")
    async def get_agent(
        self,
        agent_id: FromPath[str],
        principal: NamedDependency[Principal],
        get_agent: NamedDependency[GetAgent],
        tenant_id: TenantQuery = None,
    ) -> AgentOut:
        return AgentOut.of(await get_agent.execute(principal, agent_id, tenant_id))

    @put("/{agent_id:str}", operation_id="replaceAgent")
    async def replace_agent(
        self,
        agent_id: FromPath[str],
        data: JSONBody[AgentIn],
        principal: NamedDependency[Principal],
        replace_agent: NamedDependency[ReplaceAgent],
        tenant_id: TenantQuery = None,
    ) -> AgentOut:
        agent = await replace_agent.execute(
            ReplaceAgentRequest(
                principal=principal, tenant_id=tenant_id, agent_id=agent_id, draft=data.to_draft()
            )
        )
        return AgentOut.of(agent)

    @patch("/{agent_id:str}", operation_id="updateAgent")
    async def update_agent(
        self,
        agent_id: FromPath[str],
        data: JSONBody[AgentPatchIn],
        principal: NamedDependency[Principal],
        update_agent: NamedDependency[UpdateAgent],
        tenant_id: TenantQuery = None,
    ) -> AgentOut:
        agent = await update_agent.execute(
            UpdateAgentRequest(
                principal=principal, tenant_id=tenant_id, agent_id=agent_id, changes=data.changes()
            )
        )
        return AgentOut.of(agent)

    @delete("/{agent_id:str}", operation_id="deleteAgent")
    async def delete_agent(
        self,
        agent_id: FromPath[str],
        principal: NamedDependency[Principal],
        delete_agent: NamedDependency[DeleteAgent],
        tenant_id: TenantQuery = None,
    ) -> None:
        await delete_agent.execute(principal, agent_id, tenant_id)
