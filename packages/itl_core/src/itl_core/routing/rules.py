"""The first and cheapest routing signal: an agent's keywords and regex patterns.

A keyword matches as a whole word or phrase: its words, in order, next to each other in the
message, after both went through ``routing.text`` (accents and case folded, punctuation
ignored). How closely each word matches sets how much the keyword counts: written the same
way, 1; the same stem ("delivered" for "deliver"), ``STEM_MATCH``; one slip apart ("shipmnet"
for "shipment"), ``TYPO_MATCH``. A phrase counts as its weakest word. So "Where  IS" matches
"where is", "rate" does not match "separate", and a word written as the keyword outweighs one
that only resembles it.

A pattern is a regular expression searched in the message as written (an admin adds ``(?i)``
for case-insensitivity). A pattern hit weighs ``PATTERN_WEIGHT`` keywords: a tracking number
says more than a word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from itl_core.agents.model import Agent
from itl_core.routing.text import Word, near, words

PATTERN_WEIGHT = 2.0
STEM_MATCH = 0.8
TYPO_MATCH = 0.5


@functools.lru_cache(maxsize=4_096)
def keyword_words(keyword: str) -> tuple[Word, ...]:
    return words(keyword)


@functools.lru_cache(maxsize=4_096)
def _pattern_re(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:  # validated on write; an old row must not break routing
        return None


def _word_match(said: Word, wanted: Word) -> float:
    if said.form == wanted.form:
        return 1.0
    if said.stem == wanted.stem:
        return STEM_MATCH
    if near(said.form, wanted.form) or near(said.stem, wanted.stem):
        return TYPO_MATCH
    return 0.0


def _keyword_hits(message: Sequence[Word], keyword: str) -> list[tuple[range, float]]:
    """Where ``keyword`` occurs in the ``message``'s words, each with how well it matches."""
    wanted = keyword_words(keyword)
    hits = []
    for start in range(len(message) - len(wanted) + 1 if wanted else 0):
        quality = 1.0
        for said, word in zip(message[start : start + len(wanted)], wanted, strict=True):
            quality = min(quality, _word_match(said, word))
            if not quality:
                break
        if quality:
            hits.append((range(start, start + len(wanted)), quality))
    return hits


def _stems(keyword: str) -> tuple[str, ...]:
    return tuple(w.stem for w in keyword_words(keyword))


def _pattern_hit(pattern: str, message: str) -> bool:
    compiled = _pattern_re(pattern)
    return compiled is not None and compiled.search(message) is not None


def rule_matches(agents: Sequence[Agent], message: str) -> list[tuple[Agent, float]]:
    """Agents with at least one hit, best first; ties keep the order of ``agents``.

    An agent scores its keyword hits plus ``PATTERN_WEIGHT`` per pattern found. Each keyword
    counts once (its inflections too: "tariff" and "tariffs" are one keyword), and each
    stretch of the message once, the better match first. A hit lying inside a longer keyword hit
    does not count: the most specific phrase wins ("VAT number" over "VAT", "tariff sheet"
    over "tariff", whichever agents they belong to).
    """
    said = words(message)
    hits = [
        (index, _stems(keyword), span, quality)
        for index, agent in enumerate(agents)
        for keyword in agent.routing.keywords
        for span, quality in _keyword_hits(said, keyword)
    ]
    spans = {span for _, _, span, _ in hits}
    scores = [0.0] * len(agents)
    taken: set[tuple[int, tuple[str, ...]]] = set()
    taken_spans: set[tuple[int, range]] = set()
    for index, keyword, span, quality in sorted(hits, key=lambda hit: -hit[3]):
        inside_longer = any(
            len(wide) > len(span) and wide.start <= span.start and span.stop <= wide.stop
            for wide in spans
        )
        if inside_longer or (index, keyword) in taken or (index, span) in taken_spans:
            continue
        taken.add((index, keyword))
        taken_spans.add((index, span))
        scores[index] += quality
    for index, agent in enumerate(agents):
        scores[index] += PATTERN_WEIGHT * sum(
            _pattern_hit(p, message) for p in agent.routing.patterns
        )
    ranked = [(agents[i], round(s, 6)) for i, s in enumerate(scores) if s > 0]
    return sorted(ranked, key=lambda pair: -pair[1])  # stable; rounding makes equal sums equal
