"""The second routing signal: how close the message is to each agent's texts.

An agent's texts are its description and each routing example. Two closeness measures are
blended (``RoutingPolicy.lexical_weight``):

- **dense**: the best cosine between the message's embedding and any one text's embedding
  (the closest example counts, not an average over unrelated ones);
- **lexical**: the share of the message's words (stems, function words dropped) that the
  agent's vocabulary (texts and keywords) contains, each word weighted by how few of the
  candidates use it (inverse document frequency: "container" in every agent's texts says
  little, "incoterm" in one says much). Words no candidate knows weigh fully and match none,
  so a message mostly about something else scores low everywhere.

Each measure is in [0, 1] for a message related to the agent, so the blend is too. Agent
vectors and vocabularies are cached per ``(agent id, updated_at)``, so an edited agent is
embedded again and an unchanged one never is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from itl_core.agents.model import Agent
from itl_core.llm.ports import Embedder
from itl_core.routing.text import STOP_WORDS, words


def agent_texts(agent: Agent) -> list[str]:
    texts = [agent.description, *agent.routing.examples]
    return [t for t in texts if t.strip()] or [agent.name]


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def content_stems(text: str) -> frozenset[str]:
    """The stems of ``text``'s words that carry a topic."""
    return frozenset(w.stem for w in words(text) if w.form not in STOP_WORDS)


def lexical_scores(message: frozenset[str], vocabularies: Sequence[frozenset[str]]) -> list[float]:
    """The IDF-weighted share of ``message``'s stems in each vocabulary (see module docstring)."""
    count = len(vocabularies)
    weights = {}
    for stem in message:
        users = sum(stem in vocabulary for vocabulary in vocabularies)
        weights[stem] = math.log(1 + count / max(users, 1))
    total = sum(weights.values())
    if not total:
        return [0.0] * count
    return [sum(w for s, w in weights.items() if s in v) / total for v in vocabularies]


@dataclass(frozen=True, slots=True)
class _AgentIndex:
    vectors: list[list[float]]
    vocabulary: frozenset[str]


class AgentVectors:
    """A bounded cache of agent vectors and vocabularies, keyed by agent id and version."""

    def __init__(self, embedder: Embedder, max_agents: int, lexical_weight: float = 0.5) -> None:
        self._embedder = embedder
        self._max = max_agents
        self._lexical_weight = lexical_weight
        self._cache: dict[tuple[str, datetime], _AgentIndex] = {}

    async def scores(self, agents: Sequence[Agent], message: str) -> list[float]:
        """The blended closeness of ``message`` to each of ``agents``, in their order."""
        missing = [a for a in agents if (a.id, a.updated_at) not in self._cache]
        texts = [t for a in missing for t in agent_texts(a)]
        vectors = await self._embedder.embed([message, *texts])
        query, rest = vectors[0], iter(vectors[1:])
        for agent in missing:
            vocabulary = frozenset().union(
                *(content_stems(t) for t in [*agent_texts(agent), *agent.routing.keywords])
            )
            index = _AgentIndex([next(rest) for _ in agent_texts(agent)], vocabulary)
            self._remember((agent.id, agent.updated_at), index)
        indexes = [self._cache[(a.id, a.updated_at)] for a in agents]
        lexical = lexical_scores(content_stems(message), [i.vocabulary for i in indexes])
        weight = self._lexical_weight
        return [
            weight * lex + (1 - weight) * max(cosine(query, v) for v in index.vectors)
            for lex, index in zip(lexical, indexes, strict=True)
        ]

    def _remember(self, key: tuple[str, datetime], index: _AgentIndex) -> None:
        # Drop stale versions of the agent, then the oldest entries past the bound.
        for stale in [k for k in self._cache if k[0] == key[0]]:
            del self._cache[stale]
        self._cache[key] = index
        while len(self._cache) > self._max:
            del self._cache[next(iter(self._cache))]
