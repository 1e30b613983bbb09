"""In-memory ``KnowledgeSearch``: the same hybrid ranking as PostgreSQL, by brute force.

Vector side: cosine distance to every chunk of the tenant (exact). Keyword side: chunks sharing
at least one query term (``query_terms``, OR semantics as in SQL), ranked by how many distinct
terms they contain, then by density. Both lists (``candidates`` long) are fused with RRF.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from itl_core.knowledge.chunking import ChunkDraft
from itl_core.knowledge.model import Chunk, DocumentStatus
from itl_core.knowledge.retrieval import query_terms, reciprocal_rank_fusion
from itl_core.knowledge.search import SearchHit
from itl_core.llm.ports import Embedder

from itl_adapters.memory.store import MemoryStore

_WORD = re.compile(r"\w+")


class MemoryKnowledgeSearch:
    def __init__(self, store: MemoryStore, embedder: Embedder, candidates: int = 40) -> None:
        self._store, self._embedder, self._candidates = store, embedder, candidates

    async def search(
        self, tenant_id: str, query: str, k: int, *, document_ids: Sequence[str] | None = None
    ) -> list[SearchHit]:
        if k < 1:
            return []
        wanted = set(document_ids) if document_ids is not None else None
        chunks = [
            c
            for c in self._store.chunks.values()
            if c.tenant_id == tenant_id
            and (wanted is None or c.document_id in wanted)
            and self._store.documents[c.document_id].status is DocumentStatus.READY
        ]
        n = max(self._candidates, k)
        [vector] = await self._embedder.embed([query])
        by_vector = sorted(
            (c for c in chunks if c.embedding is not None),
            key=lambda c: (_cosine_distance(vector, c.embedding or ()), c.id),
        )[:n]
        terms = set(query_terms(query))
        by_keyword = sorted(
            (c for c in chunks if terms & _words(c)),
            key=lambda c: (-len(terms & _words(c)), -_density(terms, c), c.id),
        )[:n]
        fused = reciprocal_rank_fusion([[c.id for c in by_vector], [c.id for c in by_keyword]])
        return [self._hit(self._store.chunks[cid], score) for cid, score in fused[:k]]

    def _hit(self, chunk: Chunk, score: float) -> SearchHit:
        return SearchHit(
            document_id=chunk.document_id,
            chunk_id=chunk.id,
            title=self._store.documents[chunk.document_id].title,
            text=chunk.text,
            score=score,
            heading_path=chunk.heading_path,
        )


def _words(chunk: Chunk) -> set[str]:
    text = ChunkDraft(position=0, text=chunk.text, heading_path=chunk.heading_path).indexed_text
    return set(_WORD.findall(text.lower()))


def _density(terms: set[str], chunk: Chunk) -> float:
    words = _WORD.findall(chunk.text.lower())
    return sum(w in terms for w in words) / (1 + math.log(1 + len(words)))


def _cosine_distance(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return 1.0 - dot / norm if norm else 1.0
