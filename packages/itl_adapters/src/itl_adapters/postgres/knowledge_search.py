"""PostgreSQL ``KnowledgeSearch``: hybrid retrieval in one statement.

Two candidate lists of one tenant's chunks, fused with Reciprocal Rank Fusion (k = 60):

- vector: cosine distance to the query embedding (pgvector ``<=>``);
- keyword: the chunk's ``search`` tsvector against the query's content words OR-ed
  (``query_terms``), ranked by ``ts_rank``.

The keyword leg of a graph tenant (below) ranks only the chunks matching at least two of the
query's terms, and falls back to every chunk matching any term when fewer than ``n`` do: OR-ed
common words match thousands of a large tenant's chunks, each one a heap fetch and a
``ts_rank``. This returns what ranking them all would, for unweighted text: ``ts_rank`` (no
normalisation) gives a chunk matching one distinct term at D weight less than 0.1 however often
it occurs, and one matching two at least 2 x 0.1 / 1.645 = 0.12, so once ``n`` chunks match two
terms none matching only one can be among the top ``n``. (A term in a chunk's heading, weight
B, scores up to 0.4: such a one-term match is left out when ``n`` chunks match two terms.
Weights cannot narrow the GIN scan, every weighted match would need a recheck of the row.)

Tenant filtering must not lose results, and with pgvector 0.6 (no iterative index scans) a
filtered scan of a graph shared by many tenants does: it yields ``hnsw.ef_search`` candidates of
all tenants before the filter. So no graph is shared (migration 0011):

- **exact**: a tenant of at most ``exact_below`` chunks, or a search restricted to chosen
  documents, is answered from the tenant's own rows (found through its B-tree), sorted by
  distance; its keyword leg reads the same few rows.
- **graph**: a larger tenant has its own partial HNSW index (``WHERE tenant_id = '<tenant>' AND
  indexed``, built by ``PgVectorIndexer``) which the planner picks for the query's identical
  predicate. Every candidate the graph yields is the tenant's, so the list is full and recall is
  the graph's own (``hnsw.ef_search`` for this transaction only). Rows not yet in the graph
  (``NOT indexed``) are read exactly and merged in, so nothing is missed while promotion lags;
  with no graph built yet, the "graph" half is an exact sort as well. Its keyword leg uses the
  tenant's partial GIN index. (pgvector 0.8's iterative scans would rescue a filtered shared
  graph; a graph per tenant needs none, and works on the 0.6 the embedded server ships.)

A graph tenant's plans are forced custom for the transaction: a generic plan (psycopg prepares a
statement after a few executions) sees ``tenant_id = $1`` and could not match any tenant's
partial index. The exact path keeps generic plans (0.5 to 0.9 ms less per search, measured).

Rows the runtime role cannot see are invisible anyway (RLS); the explicit ``tenant_id`` filter
is what lets the planner use the tenant's indexes and is kept as a second wall.
"""

from __future__ import annotations

import enum
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

# Up to this size a tenant is searched exactly, both legs reading its rows (measured with
# ``python -m bench retrieval``: at about 2,000 chunks exact and graph cost the same); larger
# tenants get their own indexes.
EXACT_BELOW = 2_000
# Candidates the graph explores: recall@10 of the vector leg 0.98 to 1.00 on the benchmark's
# clustered data for tenants of 2,000 to 20,000 chunks (queries on the tenant's own topics);
# 40 gave 0.97 for 1 ms less, 100 no better recall for 1 ms more.
EF_SEARCH = 64
# Queries of up to this many content words get the two-term keyword tier (66 pairs at most).
PAIRED_TERMS_MAX = 12


class Leg(enum.StrEnum):
    VECTOR = "vector"
    KEYWORD = "keyword"


@dataclass(frozen=True, slots=True)
class SearchPlan:
    exact: bool


# One round trip: the tenant's size, and the transaction's planner settings (custom plans only
# for a tenant with its own indexes; the exact path's generic plan saves its planning time).
_PLAN = (
    "SELECT coalesce(sum(chunks), 0)::bigint AS size,"
    " set_config('hnsw.ef_search', %(ef)s, true) AS ef_search,"
    " set_config('plan_cache_mode', CASE WHEN coalesce(sum(chunks), 0) > %(exact_below)s"
    "  THEN 'force_custom_plan' ELSE 'auto' END, true) AS plan_cache_mode"
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
# The same list from the chunks matching two or more terms (``pairs``) when at least n do,
# else from all matching chunks; the count gates each half (a one-time filter: the other half
# is never scanned). The same ``ts_rank`` against the OR-ed terms orders both.
_KEYWORD_TIERED = """
    SELECT id, row_number() OVER (ORDER BY score DESC, id) AS rank FROM (
        WITH strong AS MATERIALIZED (
            SELECT id, ts_rank(search, query) AS score
            FROM knowledge_chunks, to_tsquery('simple', %(terms)s) AS query
            WHERE tenant_id = %(tenant)s AND search @@ to_tsquery('simple', %(pairs)s)
            ORDER BY score DESC, id LIMIT %(n)s)
        SELECT id, score FROM strong WHERE (SELECT count(*) FROM strong) >= %(n)s
        UNION ALL (
            SELECT id, ts_rank(search, query) AS score
            FROM knowledge_chunks, to_tsquery('simple', %(terms)s) AS query
            WHERE tenant_id = %(tenant)s AND search @@ query
                AND (SELECT count(*) FROM strong) < %(n)s
            ORDER BY score DESC, id LIMIT %(n)s)) AS matching"""
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


def _lexeme(term: str) -> str:
    return "'" + term.replace("'", "''").replace("\\", "") + "'"


def _tsquery(terms: Sequence[str]) -> str | None:
    """OR of quoted lexemes; None (matches nothing) when the query has no content word."""
    return " | ".join(_lexeme(t) for t in terms) or None


def _pairs(terms: Sequence[str]) -> str | None:
    """Chunks holding at least two of ``terms`` (an OR of every pair); None for fewer than two
    terms, or more than ``PAIRED_TERMS_MAX`` (the query grows with the square of its terms)."""
    if not 2 <= len(terms) <= PAIRED_TERMS_MAX:
        return None
    lexemes = [_lexeme(t) for t in terms]
    return " | ".join(f"{a} & {b}" for i, a in enumerate(lexemes) for b in lexemes[i + 1 :])


class PgKnowledgeSearch:
    def __init__(
        self,
        db: Database,
        embedder: Embedder,
        *,
        candidates: int = 40,
        exact_below: int = EXACT_BELOW,
        ef_search: int = EF_SEARCH,
    ) -> None:
        if embedder.dimensions != EMBEDDING_DIMENSIONS:
            raise ValueError(f"the knowledge index holds {EMBEDDING_DIMENSIONS}-d vectors")
        self._db, self._embedder = db, embedder
        self._candidates, self._exact_below = candidates, exact_below
        self._ef_search = ef_search

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
        terms = query_terms(query)
        params = {
            "tenant": tenant_id,
            "vector": Vector(list(vector)),
            "terms": _tsquery(terms),
            "pairs": _pairs(terms),
            "documents": list(document_ids) if document_ids is not None else None,
            "n": n,
            "k": k,
        }
        docs = _DOCS if document_ids is not None else ""
        async with self._db.tenant(tenant_id) as conn:
            plan = await self.plan(conn, tenant_id, n)
            if force_exact or document_ids is not None:
                plan = SearchPlan(exact=True)
            # An exact tenant's keyword leg reads its few rows once; tiers would read them twice.
            keyword = _KEYWORD.format(docs=docs)
            if plan.exact:
                nearest = _EXACT.format(docs=docs, pending="")
            else:
                pending = _EXACT.format(docs="", pending="AND NOT indexed")
                nearest = f"({_GRAPH}) UNION ALL ({pending})"
                if params["pairs"] is not None:
                    keyword = _KEYWORD_TIERED
            parts = {
                Leg.VECTOR: _VECTOR.format(nearest=f"SELECT * FROM ({nearest}) AS candidates"),
                Leg.KEYWORD: keyword,
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
        """Exact or through the tenant's graph, for a vector list of ``n``; sets ``ef_search``
        (at least ``n``) and custom plans for the rest of ``conn``'s transaction."""
        params = {
            "tenant": tenant_id,
            "ef": str(max(self._ef_search, n)),
            "exact_below": self._exact_below,
        }
        row = await fetch_one(conn, _PLAN, params)  # type: ignore[arg-type]
        return SearchPlan(exact=row is None or row["size"] <= self._exact_below)
