"""The demo tenant's agents (``itl_adapters.demo_agents.DEMO_AGENTS``) as the router sees them."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime

from itl_adapters.demo_agents import DEMO_AGENTS
from itl_core.agents.model import Agent, AgentKind

_T0 = datetime(2025, 1, 1, tzinfo=UTC)
_DRAFT_FIELDS = [f.name for f in fields(type(DEMO_AGENTS[0]))]


def demo_agents() -> tuple[list[Agent], Agent]:
    """The active domain agents in seed (creation) order, and the supervisor."""
    agents = [
        Agent(
            id=f"agent-{i}",
            tenant_id="demo",
            created_at=_T0,
            updated_at=_T0,
            **{name: getattr(draft, name) for name in _DRAFT_FIELDS},
        )
        for i, draft in enumerate(DEMO_AGENTS)
    ]
    domain = [a for a in agents if a.kind is AgentKind.DOMAIN]
    [supervisor] = [a for a in agents if a.kind is AgentKind.SUPERVISOR]
    return domain, supervisor
