"""The supervisor's routing decision."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from itl_core.agents.model import Agent


class RoutingMethod(enum.StrEnum):
    """Which step of the cascade decided, cheapest first."""

    RULE = "rule"
    SIMILARITY = "similarity"
    LLM = "llm"
    STICKY = "sticky"
    FALLBACK = "fallback"


@dataclass(frozen=True, slots=True, kw_only=True)
class RoutingDecision:
    """The one agent that answers this turn; ``confidence`` in [0, 1]."""

    agent: Agent
    method: RoutingMethod
    confidence: float

    def as_metadata(self) -> dict[str, Any]:
        return {
            "agent": self.agent.name,
            "agent_id": self.agent.id,
            "method": self.method.value,
            "confidence": round(self.confidence, 4),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class RoutingPolicy:
    """Thresholds of the cascade.

    Similarity decides when the best agent's score (``lexical_weight`` of the lexical share
    plus the rest of the best cosine, see ``routing.similarity``) is at least
    ``min_similarity`` and beats the runner-up by ``min_margin``; to move a session away from
    its current agent it must also beat that agent by ``min_switch_margin``. The LLM's answer
    counts from ``min_llm_confidence``. The defaults were set on the offline embedder with
    ``tests/unit/routing/routing_cases.py`` and checked, never tuned, on the frozen held-out set.
    """

    min_similarity: float = 0.2
    min_margin: float = 0.05
    min_switch_margin: float = 0.1
    lexical_weight: float = 0.5
    min_llm_confidence: float = 0.5
    max_cached_agents: int = 2_048
