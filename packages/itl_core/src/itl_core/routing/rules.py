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
from dataclasses import dataclass

from itl_core.agents.model import Agent
from itl_core.routing.text import Word, near, words

PATTERN_WEIGHT = 2.0
STEM_MATCH = 0.8
TYPO_MATCH = 0.5


@functools.lru_cache(maxsize=4_096)
def _pattern_re(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:  # validated on write; an old row must not break routing
        return None


def _pattern_hit(pattern: str, message: str) -> bool:
    compiled = _pattern_re(pattern)
    return compiled is not None and compiled.search(message) is not None


def _variants(word: str) -> set[str]:
    """``word`` and each way of dropping one of its letters: two words one slip apart always
    share one of these (symmetric deletion), so a slip is found by lookups, not by scanning."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


@dataclass(frozen=True, slots=True)
class _Keyword:
    agent: int
    key: tuple[str, ...]  # its stems: the inflections of one keyword are one keyword
    words: tuple[Word, ...]


class _KeywordIndex:
    """The keywords of a list of agents, indexed by their words' forms, stems and variants."""

    def __init__(self, keywords_per_agent: tuple[tuple[str, ...], ...]) -> None:
        self.by_first: dict[Word, list[_Keyword]] = {}
        self._forms: dict[str, set[Word]] = {}
        self._stems: dict[str, set[Word]] = {}
        self._slips: dict[str, set[Word]] = {}
        self._longest = 0  # a message word longer than this plus one is no slip of any
        for agent, keywords in enumerate(keywords_per_agent):
            for keyword in keywords:
                found = words(keyword)
                if not found:
                    continue
                entry = _Keyword(agent, tuple(w.stem for w in found), found)
                self.by_first.setdefault(found[0], []).append(entry)
                for word in found:
                    self._longest = max(self._longest, len(word.form))
                    self._forms.setdefault(word.form, set()).add(word)
                    self._stems.setdefault(word.stem, set()).add(word)
                    for text in (word.form, word.stem):
                        for variant in _variants(text):
                            self._slips.setdefault(variant, set()).add(word)

    def matches(self, said: Word) -> dict[Word, float]:
        """The keyword words that ``said`` matches, each with how well."""
        found = dict.fromkeys(self._forms.get(said.form, ()), 1.0)
        for word in self._stems.get(said.stem, ()):
            found.setdefault(word, STEM_MATCH)
        if len(said.stem) > self._longest + 1:
            return found  # also spares building the variants of a very long "word"
        for variant in _variants(said.form) | _variants(said.stem):
            for word in self._slips.get(variant, ()):
                if word not in found and (near(said.form, word.form) or near(said.stem, word.stem)):
                    found[word] = TYPO_MATCH
        return found


@functools.lru_cache(maxsize=256)
def _index(keywords_per_agent: tuple[tuple[str, ...], ...]) -> _KeywordIndex:
    return _KeywordIndex(keywords_per_agent)


def _keyword_hits(
    index: _KeywordIndex, message: Sequence[Word]
) -> list[tuple[_Keyword, range, float]]:
    """Every occurrence of a keyword in the ``message``'s words, with how well it matches (a
    phrase matches as well as its weakest word)."""
    matched = [index.matches(word) for word in message]
    hits = []
    for start, first_words in enumerate(matched):
        for first in first_words:
            for keyword in index.by_first.get(first, ()):
                stop = start + len(keyword.words)
                if stop > len(message):
                    continue
                quality = min(
                    matched[start + i].get(word, 0.0) for i, word in enumerate(keyword.words)
                )
                if quality:
                    hits.append((keyword, range(start, stop), quality))
    return hits


def rule_matches(agents: Sequence[Agent], message: str) -> list[tuple[Agent, float]]:
    """Agents with at least one hit, best first; ties keep the order of ``agents``.

    An agent scores its keyword hits plus ``PATTERN_WEIGHT`` per pattern found. Each keyword
    counts once (its inflections too: "tariff" and "tariffs" are one keyword), and each
    stretch of the message once, the better match first. A hit lying inside a longer keyword hit
    does not count: the most specific phrase wins ("VAT number" over "VAT", "tariff sheet"
    over "tariff", whichever agents they belong to).
    """
    keyword_index = _index(tuple(agent.routing.keywords for agent in agents))
    hits = [
        (keyword.agent, keyword.key, span, quality)
        for keyword, span, quality in _keyword_hits(keyword_index, words(message))
    ]
    spans = {span for _, _, span, _ in hits}
    widest = max((len(span) for span in spans), default=0)
    scores = [0.0] * len(agents)
    taken: set[tuple[int, tuple[str, ...]]] = set()
    taken_spans: set[tuple[int, range]] = set()
    for index, keyword, span, quality in sorted(hits, key=lambda hit: -hit[3]):
        inside_longer = any(
            range(start, stop) in spans
            for start in range(max(0, span.stop - widest), span.start + 1)
            for stop in range(span.stop, start + widest + 1)
            if stop - start > len(span)
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
