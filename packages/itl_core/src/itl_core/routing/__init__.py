"""Supervisor routing: which domain agent answers a message (rules, similarity, LLM, sticky,
fallback; one hop per turn)."""

from itl_core.routing.model import RoutingDecision, RoutingMethod, RoutingPolicy
from itl_core.routing.router import SupervisorRouter

__all__ = ["RoutingDecision", "RoutingMethod", "RoutingPolicy", "SupervisorRouter"]
