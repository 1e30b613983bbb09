"""A ``ChatModelResolver`` that answers every agent with one model.

The container's default is this resolver over ``OfflineChatModel`` (the product runs with no
keys); tests use it over a scripted model. The per-tenant resolver with provider keys replaces
it as ``Infrastructure.model_resolver``.
"""

from __future__ import annotations

from itl_core.agents.model import Agent
from itl_core.llm.ports import ChatModel, ResolvedModel


class StaticModelResolver:
    """Resolves every agent to ``chat_model``, reported as ``provider``/``model``.

    ``calls`` records the ``(tenant_id, agent name)`` of every resolution, for tests.
    """

    def __init__(
        self, chat_model: ChatModel, *, provider: str = "offline", model: str = "offline-1"
    ) -> None:
        self._resolved = ResolvedModel(chat_model=chat_model, provider=provider, model=model)
        self.calls: list[tuple[str, str]] = []

    async def for_agent(self, tenant_id: str, agent: Agent) -> ResolvedModel:
        self.calls.append((tenant_id, agent.name))
        return self._resolved
