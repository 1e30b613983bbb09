"""The runnable tools of one tenant's agent: ``agent.tool_ids`` -> specs -> ``ToolFactory``."""

from __future__ import annotations

import logging

from itl_core.agents.model import Agent
from itl_core.errors import DomainError
from itl_core.tools.ports import Tool, ToolFactory, ToolSpecRepository

logger = logging.getLogger(__name__)


class ToolRegistry:
    """Builds an agent's tools for a turn, keyed by the name the model calls them by.

    A tool whose spec is gone or whose config the factory refuses is left out (and logged):
    one broken tool must not take the whole agent down. On a name clash the first tool wins.
    """

    def __init__(self, specs: ToolSpecRepository, factory: ToolFactory) -> None:
        self._specs, self._factory = specs, factory

    async def for_agent(self, tenant_id: str, agent: Agent) -> dict[str, Tool]:
        tools: dict[str, Tool] = {}
        for tool_id in agent.tool_ids:
            spec = await self._specs.get(tenant_id, tool_id)
            if spec is None:
                logger.warning("agent %s names missing tool %s", agent.id, tool_id)
                continue
            try:
                tool = self._factory.build(spec)
            except DomainError as error:
                logger.warning("tool %s is unusable: %s", tool_id, error.message)
                continue
            tools.setdefault(tool.definition.name, tool)
        return tools
