"""Agent repository port."""

from __future__ import annotations

from typing import Protocol

from itl_core.agents.model import Agent
from itl_core.pagination import Page, PageRequest


class AgentRepository(Protocol):
    """A tenant's agents. ``add``/``update`` raise Conflict on a taken name (case-insensitive)
    or a second active supervisor, so the rule holds even under concurrent writes."""

    async def get(self, tenant_id: str, agent_id: str) -> Agent | None: ...

    async def list(self, tenant_id: str, page: PageRequest) -> Page[Agent]: ...

    async def find_by_name(self, tenant_id: str, name: str) -> Agent | None: ...

    async def active_supervisor(self, tenant_id: str) -> Agent | None: ...

    async def add(self, agent: Agent) -> None: ...

    async def update(self, agent: Agent) -> None: ...

    async def delete(self, tenant_id: str, agent_id: str) -> bool: ...
