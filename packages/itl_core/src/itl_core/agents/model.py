"""The agent aggregate and its validation rules."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import datetime

from itl_core.errors import FieldError

PROVIDERS = ("offline", "openai", "anthropic", "google")
MAX_NAME = 100
MAX_DESCRIPTION = 2_000
MAX_SYSTEM_PROMPT = 20_000
MAX_TOKENS_CEILING = 32_768
MAX_TEMPERATURE = 2.0
MAX_HINTS = 100
MAX_HINT_LENGTH = 500
MAX_TOOLS = 32
MAX_PRIORITY = 100


class AgentKind(enum.StrEnum):
    SUPERVISOR = "supervisor"
    DOMAIN = "domain"


@dataclass(frozen=True, slots=True, kw_only=True)
class RoutingHints:
    """Cheap routing signals: keywords, regex patterns (e.g. tracking numbers), examples.

    ``priority`` (0 to ``MAX_PRIORITY``) breaks a tie at the rule step: among agents whose
    rules score equally, the one with the highest priority alone wins (a request for a person
    outranks the tracking number beside it). It never outweighs a higher rule score.
    """

    keywords: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    priority: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Agent:
    id: str
    tenant_id: str
    name: str
    kind: AgentKind
    description: str = ""
    system_prompt: str = ""
    provider: str = "offline"
    model: str = "offline-1"
    temperature: float = 0.2
    max_tokens: int = 1024
    tool_ids: tuple[str, ...] = ()
    routing: RoutingHints = field(default_factory=RoutingHints)
    is_active: bool = True
    created_at: datetime
    updated_at: datetime

    @property
    def is_active_supervisor(self) -> bool:
        return self.kind is AgentKind.SUPERVISOR and self.is_active


def agent_errors(agent: Agent) -> list[FieldError]:
    """Every rule an agent must satisfy on its own (uniqueness is checked against the store)."""
    errors: list[FieldError] = []
    if not isinstance(agent.kind, AgentKind):
        errors.append(FieldError("kind", "must be 'supervisor' or 'domain'"))
    if not 1 <= len(agent.name.strip()) <= MAX_NAME:
        errors.append(FieldError("name", f"must be 1 to {MAX_NAME} characters"))
    if len(agent.description) > MAX_DESCRIPTION:
        errors.append(FieldError("description", f"must be at most {MAX_DESCRIPTION} characters"))
    if len(agent.system_prompt) > MAX_SYSTEM_PROMPT:
        errors.append(
            FieldError("system_prompt", f"must be at most {MAX_SYSTEM_PROMPT} characters")
        )
    if agent.provider not in PROVIDERS:
        errors.append(FieldError("provider", f"must be one of {', '.join(PROVIDERS)}"))
    if not 1 <= len(agent.model.strip()) <= 200:
        errors.append(FieldError("model", "must be 1 to 200 characters"))
    if not 0.0 <= agent.temperature <= MAX_TEMPERATURE:  # also rejects NaN
        errors.append(FieldError("temperature", f"must be between 0 and {MAX_TEMPERATURE}"))
    if not 1 <= agent.max_tokens <= MAX_TOKENS_CEILING:
        errors.append(FieldError("max_tokens", f"must be between 1 and {MAX_TOKENS_CEILING}"))
    if len(agent.tool_ids) > MAX_TOOLS or len(set(agent.tool_ids)) != len(agent.tool_ids):
        errors.append(FieldError("tool_ids", f"must be at most {MAX_TOOLS} distinct tool ids"))
    errors += _hint_errors(agent.routing)
    return errors


def _hint_errors(hints: RoutingHints) -> list[FieldError]:
    errors = []
    for name in ("keywords", "patterns", "examples"):
        values: tuple[str, ...] = getattr(hints, name)
        if len(values) > MAX_HINTS:
            errors.append(FieldError(f"routing.{name}", f"must have at most {MAX_HINTS} entries"))
        if any(not v.strip() or len(v) > MAX_HINT_LENGTH for v in values):
            errors.append(
                FieldError(f"routing.{name}", f"entries must be 1 to {MAX_HINT_LENGTH} characters")
            )
    for i, pattern in enumerate(hints.patterns):
        try:
            re.compile(pattern)
        except re.error as e:
            errors.append(FieldError(f"routing.patterns[{i}]", f"is not a valid pattern: {e}"))
    if not 0 <= hints.priority <= MAX_PRIORITY:
        errors.append(FieldError("routing.priority", f"must be between 0 and {MAX_PRIORITY}"))
    return errors
