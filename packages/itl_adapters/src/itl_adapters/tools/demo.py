"""The demo tenant's ``track_shipment`` HTTP tool, aimed at the API's own demo tracking route.

Part of the first-start seed (idempotent): the tool points at
``http://127.0.0.1:{api_port}/demo/tracking/{number}``, the demo tenant's egress allow-list
admits exactly that host and port (a loopback address is refused otherwise), and the
"Shipment Tracking" agent lists the tool. A restart on another port re-aims the tool.
"""

from __future__ import annotations

from typing import Any

from itl_core.access import Principal
from itl_core.agents.use_cases import UpdateAgentRequest
from itl_core.pagination import PageRequest
from itl_core.tenants.use_cases import UpdateTenantRequest
from itl_core.tools.egress import SETTINGS_KEY
from itl_core.tools.model import ToolKind
from itl_core.tools.use_cases import CreateToolRequest, ToolDraft, UpdateToolRequest

from itl_adapters.containers import Application, resolve
from itl_adapters.settings import Settings

TOOL_NAME = "track_shipment"
AGENT_NAME = "Shipment Tracking"


def tracking_config(host: str, port: int) -> dict[str, Any]:
    return {
        "method": "GET",
        "url": f"http://{host}:{port}/demo/tracking/{{number}}",
        "parameters": {
            "type": "object",
            "properties": {
                "number": {
                    "type": "string",
                    "description": "The shipment's tracking number, e.g. ITL-123456.",
                    "pattern": "^[Ii][Tt][Ll]-[0-9]{6}$",
                }
            },
            "required": ["number"],
            "additionalProperties": False,
        },
        "headers": {"Accept": "application/json"},
        "timeout_s": 5,
        "max_response_bytes": 65_536,
        "response_fields": [
            "number",
            "status",
            "location",
            "origin",
            "destination",
            "eta",
            "events",
        ],
    }


def _api_host(settings: Settings) -> str:
    """Where this process's API answers locally (a wildcard bind answers on loopback)."""
    return "127.0.0.1" if settings.host in ("", "0.0.0.0", "::") else settings.host  # noqa: S104


async def ensure_demo_tracking_tool(
    container: Application, settings: Settings, tenant_id: str, system: Principal
) -> str:
    """Create or re-aim the demo tool, admit its host, attach it to the agent; return its id."""
    host, port = _api_host(settings), settings.api_port
    entry = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    tenants = await resolve(container.repositories.tenants)
    tenant = await tenants.get(tenant_id)
    allowed = list(tenant.settings.get(SETTINGS_KEY) or [])
    if entry not in allowed:
        update_tenant = await resolve(container.use_cases.update_tenant)
        await update_tenant.execute(
            UpdateTenantRequest(
                principal=system,
                tenant_id=tenant_id,
                settings={**tenant.settings, SETTINGS_KEY: [*allowed, entry]},
            )
        )
    config = tracking_config(host, port)
    specs = await resolve(container.repositories.tools)
    existing = (await specs.list(tenant_id, PageRequest(limit=200))).items
    tool = next((s for s in existing if s.name == TOOL_NAME), None)
    if tool is None:
        create_tool = await resolve(container.use_cases.create_tool)
        tool = await create_tool.execute(
            CreateToolRequest(
                principal=system,
                tenant_id=tenant_id,
                draft=ToolDraft(
                    name=TOOL_NAME,
                    kind=ToolKind.HTTP,
                    description="Look up a shipment by tracking number: status, location, ETA.",
                    config=config,
                ),
            )
        )
    elif dict(tool.config) != config:
        update_tool = await resolve(container.use_cases.update_tool)
        await update_tool.execute(
            UpdateToolRequest(
                principal=system, tenant_id=tenant_id, tool_id=tool.id, changes={"config": config}
            )
        )
    agents = await resolve(container.repositories.agents)
    agent = await agents.find_by_name(tenant_id, AGENT_NAME)
    if agent is not None and tool.id not in agent.tool_ids:
        update_agent = await resolve(container.use_cases.update_agent)
        await update_agent.execute(
            UpdateAgentRequest(
                principal=system,
                tenant_id=tenant_id,
                agent_id=agent.id,
                changes={"tool_ids": (*agent.tool_ids, tool.id)},
            )
        )
    return tool.id
