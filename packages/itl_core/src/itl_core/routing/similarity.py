"""The second routing signal: cosine similarity between the message and each agent's texts.

An agent is represented by its description and each routing example, embedded separately; its
score is the best cosine of the message with any of them. Agent vectors are cached per
``(agent id, updated_at)``, so an edited agent is embedded again and an unchanged one never is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

from itl_core.agents.model import Agent
from itl_core.llm.ports import Embedder


def agent_texts(agent: Agent) -> list[str]:
    texts = [agent.description, *agent.routing.examples]
    return [t for t in texts if t.strip()] or [agent.name]


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


class AgentVectors:
    """A bounded cache of agent vectors, keyed by agent id and version (``updated_at``)."""

    def __init__(self, embedder: Embedder, max_agents: int) -> None:
        self._embedder = embedder
        self._max = max_agents
        self._cache: dict[tuple[str, datetime], list[list[float]]] = {}

    async def scores(self, agents: Sequence[Agent], message: str) -> list[float]:
        """The best cosine of ``message`` with each agent's texts, in the order of ``agents``."""
        missing = [a for a in agents if (a.id, a.updated_at) not in self._cache]
        texts = [t for a in missing for t in agent_texts(a)]
        vectors = await self._embedder.embed([message, *texts])
        query, rest = vectors[0], iter(vectors[1:])
        for agent in missing:
            self._remember((agent.id, agent.updated_at), [next(rest) for _ in agent_texts(agent)])
        return [max(cosine(query, v) for v in self._cache[(a.id, a.updated_at)]) for a in agents]

    def _remember(self, key: tuple[str, datetime], vectors: list[list[float]]) -> None:
        # Drop stale versions of the agent, then the oldest entries past the bound.
        for stale in [k for k in self._cache if k[0] == key[0]]:
            del self._cache[stale]
        self._cache[key] = vectors
        while len(self._cache) > self._max:
            del self._cache[next(iter(self._cache))]
