"""The first and cheapest routing signal: an agent's keywords and regex patterns.

A keyword matches as a whole word or phrase, case-insensitively, with any run of whitespace
between its words ("Where  IS" matches "where is"; "rate" does not match "separate"). A pattern
is a regular expression searched as written (an admin adds ``(?i)`` for case-insensitivity).
A pattern hit weighs ``PATTERN_WEIGHT`` keyword hits: a tracking number says more than a word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from itl_core.agents.model import Agent

PATTERN_WEIGHT = 2


@functools.lru_cache(maxsize=4_096)
def keyword_re(keyword: str) -> re.Pattern[str]:
    words = keyword.split()
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", re.IGNORECASE)


@functools.lru_cache(maxsize=4_096)
def _pattern_re(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:  # validated on write; an old row must not break routing
        return None


def rule_score(agent: Agent, message: str) -> int:
    """Keyword hits plus weighted pattern hits of ``agent`` in ``message``."""
    score = sum(1 for k in agent.routing.keywords if k.strip() and keyword_re(k).search(message))
    for pattern in agent.routing.patterns:
        compiled = _pattern_re(pattern)
        if compiled is not None and compiled.search(message):
            score += PATTERN_WEIGHT
    return score


def rule_matches(agents: Sequence[Agent], message: str) -> list[tuple[Agent, int]]:
    """Agents with at least one hit, best first; ties keep the order of ``agents``."""
    scored = [(agent, rule_score(agent, message)) for agent in agents]
    hits = [(agent, score) for agent, score in scored if score > 0]
    return sorted(hits, key=lambda pair: -pair[1])  # sorted() is stable
