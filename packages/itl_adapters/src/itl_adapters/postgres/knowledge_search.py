"""PostgreSQL ``KnowledgeSearch``: hybrid retrieval in one statement.

Two candidate lists of one tenant's chunks, fused with Reciprocal Rank Fusion (k = 60):

- vector: cosine distance to the query embedding (pgvector ``<=>``);
- keyword: the chunk's ``search`` tsvector against the query's content words OR-ed
  (``query_terms``), ranked by ``ts_rank``.

Tenant filtering must not lose results. pgvector 0.6 has no iterative index scans: the HNSW
index yields ``hnsw.ef_search`` nearest chunks of ALL indexed tenants and the tenant filter runs
after, so a tenant owning 1% of the graph would get about 1% of ``ef_search`` candidates. And the
graph holds only chunks promoted into it (migration 0006, ``PgVectorIndexer``). Hence the plan:

- **exact** (the tenant's own rows through its B-tree, sorted by distance) when the tenant has
  at most ``exact_below`` chunks, when the search is restricted to chosen documents, or when its
  share of the graph is too small for the index to serve it;
- **approximate** otherwise: the graph for the tenant's indexed rows, with ``ef_search`` raised
  (for this transaction only) so that the tenant's expected share of the candidates is
  ``ef_margin`` times the list we need, merged with an exact scan of its not-yet-indexed rows.

Rows the runtime role cannot see are invisible anyway (RLS); the explicit ``tenant_id`` filter
is what lets the planner use the tenant's index and is kept as a second wall.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass

from itl_core.errors import ValidationFailed
from itl_core.knowledge.retrieval import RRF_K, query_terms
from itl_core.knowledge.search import SearchHit
from itl_core.llm.ports import Embedder
from pgvector import Vector
from psycopg import AsyncConnection

from itl_adapters.postgres._sql import fetch_all, fetch_one
from itl_adapters.postgres.database import Database
from itl_adapters.postgres.knowledge import EMBEDDING_DIMENSIONS

__all__ = ["Leg", "PgKnowledgeSearch", "SearchPlan"]

# About 1 ms of exact scanning per 1,000 chunks on the reference machine: up to this size a
# tenant is answered exactly within the latency budget, and never needs the graph.
EXACT_BELOW = 5_000
MAX_EF_SEARCH = 1_000  # pgvector's upper bound for hnsw.ef_search


class Leg(enum.StrEnum):
    VECTOR = "vector"
    KEYWORD = "keyword"


@dataclass(frozen=True, slots=True)
class SearchPlan:
    exact: bool
    ef_search: int | None = None


_SIZE = (
    "SELECT coalesce(sum(chunks), 0)::bigint AS size,"
    " (SELECT greatest(reltuples, 0)::bigint FROM pg_class"
    "  WHERE oid = 'knowledge_chunks_embedding_idx'::regclass) AS total"
    " FROM knowledge_documents WHERE tenant_id = %(tenant)s"
)
_DOCS = " AND document_id = ANY(%(documents)s)"
# "+ 0": an expression the HNSW index cannot serve, so the planner scans the rows exactly.
_EXACT = """
    SELECT id, embedding <=> %(vector)s AS distance FROM knowledge_chunks
    WHERE tenant_id = %(tenant)s {docs} {pending}
    ORDER BY (embedding <=> %(vector)s) + 0 LIMIT %(n)s"""
_GRAPH = """
    SELECT id, embedding <=> %(vector)s AS distance FROM knowledge_chunks
    WHERE tenant_id = %(tenant)s AND indexed
    ORDER BY embedding <=> %(vector)s LIMIT %(n)s"""
_VECTOR = """
    SELECT id, row_number() OVER (ORDER BY distance, id) AS rank FROM (
        {nearest} ORDER BY distance LIMIT %(n)s) AS nearest"""
_KEYWORD = """
    SELECT id, row_number() OVER (ORDER BY score DESC, id) AS rank FROM (
        SELECT id, ts_rank(search, query) AS score
        FROM knowledge_chunks, to_tsquery('simple', %(terms)s) AS query
        WHERE tenant_id = %(tenant)s {docs} AND search @@ query
        ORDER BY score DESC, id LIMIT %(n)s) AS matching"""
# The fused top k is materialised before the join: only k rows are then read by primary key
# (left to itself the planner misjudged the CTE at one row and re-aggregated it per chunk).
_FUSED = """
WITH fused AS MATERIALIZED (
    SELECT id, sum(1.0 / ({rrf_k} + rank))::float8 AS score FROM ({legs}) AS ranked
    GROUP BY id ORDER BY score DESC, id LIMIT %(k)s)
SELECT c.document_id, c.id AS chunk_id, d.title, c.text, c.heading_path, f.score
FROM fused f
JOIN knowledge_chunks c ON c.id = f.id
JOIN knowledge_documents d ON d.tenant_id = c.tenant_id AND d.id = c.document_id
WHERE c.tenant_id = %(tenant)s
ORDER BY f.score DESC, c.id"""


def _tsquery(terms: Sequence[str]) -> str | None:
    """OR of quoted lexemes; None (matches nothing) when the query has no content word."""
    return " | ".join("'" + t.replace("'", "''").replace("\\", "") + "'" for t in terms) or None


class PgKnowledgeSearch:
    def __init__(
        self,
        db: Database,
        embedder: Embedder,
        *,
        candidates: int = 40,
        exact_below: int = EXACT_BELOW,
        ef_margin: float = 4.0,
    ) -> None:
        if embedder.dimensions != EMBEDDING_DIMENSIONS:
            raise ValueError(f"the knowledge index holds {EMBEDDING_DIMENSIONS}-d vectors")
        self._db, self._embedder = db, embedder
        self._candidates, self._exact_below, self._ef_margin = candidates, exact_below, ef_margin

    async def search(
        self, tenant_id: str, query: str, k: int, *, document_ids: Sequence[str] | None = None
    ) -> list[SearchHit]:
        [vector] = await self._embedder.embed([query])
        return await self.search_embedded(tenant_id, query, vector, k, document_ids=document_ids)

    async def search_embedded(
        self,
        tenant_id: str,
        query: str,
        vector: Sequence[float],
        k: int,
        *,
        document_ids: Sequence[str] | None = None,
        legs: Sequence[Leg] = (Leg.VECTOR, Leg.KEYWORD),
        force_exact: bool = False,
    ) -> list[SearchHit]:
        """``search`` with the query already embedded; ``legs`` and ``force_exact`` exist for
        evaluation (single-leg recall, exact ground truth) and the benchmark."""
        if len(vector) != EMBEDDING_DIMENSIONS:
            raise ValidationFailed.single(
                "embedding", f"must have {EMBEDDING_DIMENSIONS} dimensions"
            )
        if k < 1 or not legs:
            return []
        n = max(self._candidates, k)
        params = {
            "tenant": tenant_id,
            "vector": Vector(list(vector)),
            "terms": _tsquery(query_terms(query)),
            "documents": list(document_ids) if document_ids is not None else None,
            "n": n,
            "k": k,
        }
        docs = _DOCS if document_ids is not None else ""
        async with self._db.tenant(tenant_id) as conn:
            plan = SearchPlan(exact=True)
            if Leg.VECTOR in legs and not force_exact and document_ids is None:
                plan = await self.plan(conn, tenant_id, n)
            if plan.ef_search is not None:
                await conn.execute(
                    "SELECT set_config('hnsw.ef_search', %s, true)", [str(plan.ef_search)]
                )
            if plan.exact:
                nearest = _EXACT.format(docs=docs, pending="")
            else:
                pending = _EXACT.format(docs="", pending="AND NOT indexed")
                nearest = f"({_GRAPH}) UNION ALL ({pending})"
            parts = {
                Leg.VECTOR: _VECTOR.format(nearest=f"SELECT * FROM ({nearest}) AS candidates"),
                Leg.KEYWORD: _KEYWORD.format(docs=docs),
            }
            sql = _FUSED.format(legs=" UNION ALL ".join(parts[leg] for leg in legs), rrf_k=RRF_K)
            rows = await fetch_all(conn, sql, params)  # type: ignore[arg-type]
        return [
            SearchHit(
                document_id=r["document_id"],
                chunk_id=r["chunk_id"],
                title=r["title"],
                text=r["text"],
                score=r["score"],
                heading_path=tuple(r["heading_path"]),
            )
            for r in rows
        ]

    async def plan(self, conn: AsyncConnection, tenant_id: str, n: int) -> SearchPlan:
        """Exact or approximate (with its ``ef_search``) for a vector list of ``n``."""
        row = await fetch_one(conn, _SIZE, {"tenant": tenant_id})  # type: ignore[arg-type]
        size, total = (row["size"], row["total"]) if row else (0, 0)
        if size <= self._exact_below:
            return SearchPlan(exact=True)
        share = size / max(total, size)
        ef = math.ceil(n * self._ef_margin / share)
        if ef > MAX_EF_SEARCH:
            return SearchPlan(exact=True)
        return SearchPlan(exact=False, ef_search=max(ef, 40))
