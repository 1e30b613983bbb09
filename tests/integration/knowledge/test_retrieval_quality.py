"""Retrieval quality over the demo knowledge base with the offline embedder.

Recall@5: the share of labelled questions whose answering document is among the top five
passages. Hybrid is asserted; the single legs are measured and printed for the README. The demo
tenant is small, so it is searched exactly; the same questions through the large-tenant path
(``exact_below=0``: the two-term keyword tier) are asserted and printed as well.
"""

from __future__ import annotations

from itl_adapters.demo_kb import demo_documents
from itl_adapters.postgres.knowledge_search import Leg, PgKnowledgeSearch

from tests.integration.knowledge.conftest import EMBEDDER, Knowledge
from tests.integration.knowledge.labelled_questions import QUESTIONS


async def recall_at_5(search: PgKnowledgeSearch, tenant: str, legs: tuple[Leg, ...]) -> float:
    found = 0
    vectors = await EMBEDDER.embed([q for q, _ in QUESTIONS])
    for (question, expected), vector in zip(QUESTIONS, vectors, strict=True):
        hits = await search.search_embedded(tenant, question, vector, 5, legs=legs)
        found += any(h.title == expected for h in hits)
    return found / len(QUESTIONS)


async def test_hybrid_recall_at_5_over_the_demo_knowledge_is_at_least_0_9(
    knowledge: Knowledge,
) -> None:
    tenant = await knowledge.tenant("demo")
    for filename, content in demo_documents():
        assert (await knowledge.ingest(tenant, filename, content)).chunks > 0
    assert len(QUESTIONS) >= 40
    hybrid = await recall_at_5(knowledge.search, tenant, (Leg.VECTOR, Leg.KEYWORD))
    vector = await recall_at_5(knowledge.search, tenant, (Leg.VECTOR,))
    keyword = await recall_at_5(knowledge.search, tenant, (Leg.KEYWORD,))
    large = PgKnowledgeSearch(knowledge.db, EMBEDDER, exact_below=0)
    large_hybrid = await recall_at_5(large, tenant, (Leg.VECTOR, Leg.KEYWORD))
    large_keyword = await recall_at_5(large, tenant, (Leg.KEYWORD,))
    print(
        f"\nrecall@5 over {len(QUESTIONS)} questions: hybrid {hybrid:.3f},"
        f" vector-only {vector:.3f}, full-text-only {keyword:.3f};"
        f" large-tenant path: hybrid {large_hybrid:.3f}, full-text-only {large_keyword:.3f}"
    )
    assert hybrid >= 0.9
    assert large_hybrid >= 0.9
