"""The supervisor: picks the one domain agent that answers a turn, cheapest signal first.

The cascade (each step runs only when the ones before it did not decide):

1. **rule**: keyword and pattern hits (``rules``); the agent with strictly the highest score
   wins. On a tie, the tied agent with strictly the highest ``routing.priority`` wins (the
   demo's handoff agent outranks the others: "ITL-123456, I want a human" goes to a person);
   else the tie narrows the candidates to the tied agents with that priority for the steps
   below.
2. **similarity**: the blended lexical and dense closeness of the message to an agent's
   description and examples (``similarity``), if it reaches ``min_similarity`` and beats the
   runner-up by ``min_margin``; and, to leave the session's current agent, beats that agent by
   ``min_switch_margin`` (a close call is no reason to move a conversation).
3. **llm**: the supervisor's model classifies (strict JSON), if a supervisor exists, its
   model is not the offline one, and it answers with at least ``min_llm_confidence``.
4. **sticky**: the session's current agent, when it is still a candidate: a follow-up
   ("and tomorrow?") stays where the conversation is, unless a step above clearly chose
   elsewhere.
5. **fallback**: the first candidate (a tenant puts its general agent first: the demo's FAQ),
   else the supervisor itself (a tenant with no domain agent still answers).

One call, one decision: routing never loops or hops twice. Given the same agents, message and
current agent (and the same model answer), the decision is the same.
"""

from __future__ import annotations

from collections.abc import Sequence

from itl_core.agents.model import Agent
from itl_core.errors import Conflict
from itl_core.llm.ports import ChatModelResolver, Embedder
from itl_core.routing.classifier import classify
from itl_core.routing.model import RoutingDecision, RoutingMethod, RoutingPolicy
from itl_core.routing.rules import rule_matches
from itl_core.routing.similarity import AgentVectors


class SupervisorRouter:
    """Routes messages to agents; keep one instance per process so agent vectors stay cached."""

    def __init__(
        self,
        embedder: Embedder,
        resolver: ChatModelResolver | None = None,
        policy: RoutingPolicy | None = None,
    ) -> None:
        self._policy = policy or RoutingPolicy()
        self._vectors = AgentVectors(
            embedder, self._policy.max_cached_agents, self._policy.lexical_weight
        )
        self._resolver = resolver

    async def route(
        self,
        message: str,
        *,
        agents: Sequence[Agent],
        supervisor: Agent | None = None,
        current_agent_id: str | None = None,
    ) -> RoutingDecision:
        """Decide among the active domain ``agents`` (in a stable order); Conflict if none can
        answer (no agent and no supervisor)."""
        candidates = list(agents)
        matches = rule_matches(candidates, message)
        if matches:
            best, best_score = matches[0]
            runner_up = matches[1][1] if len(matches) > 1 else 0
            if best_score > runner_up:
                confidence = 1.0 - runner_up / (2 * best_score)
                return RoutingDecision(agent=best, method=RoutingMethod.RULE, confidence=confidence)
            tied = [agent for agent, score in matches if score == best_score]
            top = max(agent.routing.priority for agent in tied)
            candidates = [agent for agent in tied if agent.routing.priority == top]
            if len(candidates) == 1:  # the scores tied: the formula above with runner_up == best
                return RoutingDecision(
                    agent=candidates[0], method=RoutingMethod.RULE, confidence=0.5
                )
        decided = await self._by_similarity(candidates, message, current_agent_id)
        if decided is None:
            decided = await self._by_llm(candidates, supervisor, message, current_agent_id)
        if decided is not None:
            return decided
        sticky = next((a for a in candidates if a.id == current_agent_id), None)
        if sticky is not None:
            return RoutingDecision(agent=sticky, method=RoutingMethod.STICKY, confidence=0.5)
        fallback = candidates[0] if candidates else supervisor
        if fallback is None:
            raise Conflict("No active agent can answer; an administrator must add one.")
        return RoutingDecision(agent=fallback, method=RoutingMethod.FALLBACK, confidence=0.0)

    async def _by_similarity(
        self, candidates: list[Agent], message: str, current_agent_id: str | None
    ) -> RoutingDecision | None:
        if not candidates:
            return None
        scores = await self._vectors.scores(candidates, message)
        ranked = sorted(range(len(candidates)), key=lambda i: -scores[i])  # stable on ties
        best = scores[ranked[0]]
        runner_up = scores[ranked[1]] if len(ranked) > 1 else 0.0
        if best < self._policy.min_similarity or best - runner_up < self._policy.min_margin:
            return None
        agent = candidates[ranked[0]]
        current = next((i for i, a in enumerate(candidates) if a.id == current_agent_id), None)
        leaving = current is not None and current != ranked[0]
        if leaving and best - scores[current] < self._policy.min_switch_margin:
            return None  # not clearly elsewhere: the steps below keep the session's agent
        return RoutingDecision(
            agent=agent, method=RoutingMethod.SIMILARITY, confidence=max(0.0, min(1.0, best))
        )

    async def _by_llm(
        self,
        candidates: list[Agent],
        supervisor: Agent | None,
        message: str,
        current_agent_id: str | None,
    ) -> RoutingDecision | None:
        if self._resolver is None or supervisor is None or len(candidates) < 2:
            return None
        current = next((a for a in candidates if a.id == current_agent_id), None)
        choice = await classify(self._resolver, supervisor, candidates, message, current)
        if choice is None or choice[1] < self._policy.min_llm_confidence:
            return None
        return RoutingDecision(agent=choice[0], method=RoutingMethod.LLM, confidence=choice[1])
