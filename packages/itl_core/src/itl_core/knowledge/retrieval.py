"""Pure helpers of hybrid retrieval: query terms for keyword search and rank fusion.

Reciprocal Rank Fusion (Cormack et al., 2009) scores an item ``sum(1 / (k + rank))`` over the
rankings it appears in (rank 1 = best). It needs no score calibration between the vector and
the keyword side, which is why it is the fusion of choice; ``k = 60`` is the paper's constant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

RRF_K = 60

_WORD = re.compile(r"\w+")
# Function words match nearly every passage; as OR-ed keyword terms they would only add noise.
STOP_WORDS = frozenset(
    "a an and are as at be but by can could do does for from had has have how i if in is it "
    "its me my no not of on or our so that the their them then there these they this to us "
    "was we were what when where which who why will with would you your".split()
)


def query_terms(query: str) -> list[str]:
    """The distinct, lower-cased content words of ``query``, in order (OR-ed in keyword search)."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(query.lower()):
        word = word.strip("_")
        if word and word not in STOP_WORDS:
            seen.setdefault(word, None)
    return list(seen)


def reciprocal_rank_fusion(
    rankings: Iterable[Sequence[str]], *, k: int = RRF_K
) -> list[tuple[str, float]]:
    """Ids with fused scores, best first (ties by id, so the order is deterministic)."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))
