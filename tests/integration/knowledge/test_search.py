"""Hybrid search in PostgreSQL: tenant isolation, document filters, and full k for a tiny
tenant that shares the HNSW index with a big one."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime

from itl_adapters.postgres import PgDocumentRepository
from itl_adapters.postgres.knowledge_search import Leg, PgKnowledgeSearch
from itl_adapters.postgres.vector_index import PgVectorIndexer, tenant_index_names
from itl_core.knowledge.model import Chunk, Document, DocumentStatus
from itl_core.tools.model import ToolKind, ToolSpec
from itl_core.tools.ports import ToolContext
from itl_core.tools.rag import RagTool
from pgvector import Vector

from tests.integration.knowledge.conftest import EMBEDDER, Knowledge
from tests.support.documents import SAMPLE_FILES, SAMPLE_WORDS

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def unit_vector(rng: random.Random) -> tuple[float, ...]:
    v = [rng.gauss(0, 1) for _ in range(384)]
    norm = sum(x * x for x in v) ** 0.5
    return tuple(x / norm for x in v)


async def add_random_chunks(
    knowledge: Knowledge, tenant_id: str, count: int, rng: random.Random
) -> None:
    doc = Document(
        id=str(uuid.uuid4()), tenant_id=tenant_id, title=f"{tenant_id} notes",
        content_hash=uuid.uuid4().hex,
        status=DocumentStatus.READY, bytes=1, chunks=count, created_at=NOW,
    )  # fmt: skip
    chunks = [
        Chunk(
            id=str(uuid.uuid4()),
            tenant_id=tenant_id,
            document_id=doc.id,
            position=i,
            text=f"note {i} of {tenant_id}",
            embedding=unit_vector(rng),
        )
        for i in range(count)
    ]
    await PgDocumentRepository(knowledge.db).add(doc, chunks)


async def plan_text(knowledge: Knowledge, search: PgKnowledgeSearch, tenant: str, sql: str) -> str:
    """EXPLAIN of ``sql`` as the runtime role, in a search's transaction (its plan settings)."""
    async with knowledge.db.tenant(tenant) as conn:
        await search.plan(conn, tenant, 40)
        cur = await conn.execute(
            f"EXPLAIN {sql}", [tenant, Vector(list(unit_vector(random.Random(1))))]
        )
        return "\n".join(row[0] for row in await cur.fetchall())


async def test_a_tiny_tenant_among_a_big_one_gets_its_full_k(
    knowledge: Knowledge, pg_admin_url: str
) -> None:
    rng = random.Random(7)
    big, tiny = await knowledge.tenant("big"), await knowledge.tenant("tiny")
    await add_random_chunks(knowledge, big, 800, rng)
    await add_random_chunks(knowledge, tiny, 12, rng)
    indexer = PgVectorIndexer(knowledge.db, pg_admin_url, exact_below=50)
    try:
        assert not await indexer.ensure_tenant_index(tiny)  # small tenants never need a graph
        assert await indexer.ensure_tenant_index(big)  # its 800 chunks, built in bulk
        assert not await indexer.ensure_tenant_index(big)  # nothing left to do
        await add_random_chunks(knowledge, big, 100, rng)  # uploaded later: outside the graph
        assert await indexer.index_tenant(tiny) == 0  # no graph, nothing to promote into
        assert await indexer.index_tenant(big, max_rows=60) == 60  # 40 left pending
        search = PgKnowledgeSearch(knowledge.db, EMBEDDER, exact_below=50)
        query = unit_vector(rng)

        # The tiny tenant is searched exactly: all of its nearest chunks, none of big's.
        hits = await search.search_embedded(tiny, "", query, 10, legs=(Leg.VECTOR,))
        assert len(hits) == 10 and all(h.title == "tiny notes" for h in hits)

        # The big one through its own partial HNSW index (which the planner picks under RLS),
        # plus an exact look at its 40 pending rows: the same top 10 as an exact scan.
        hnsw, gin = tenant_index_names(big)
        graph_sql = (
            "SELECT id FROM knowledge_chunks WHERE tenant_id = %s AND indexed"
            " ORDER BY embedding <=> %s LIMIT 40"
        )
        assert hnsw in await plan_text(knowledge, search, big, graph_sql)
        assert hnsw not in await plan_text(knowledge, search, tiny, graph_sql)
        approximate = await search.search_embedded(big, "", query, 10, legs=(Leg.VECTOR,))
        exact = await search.search_embedded(
            big, "", query, 10, legs=(Leg.VECTOR,), force_exact=True
        )
        assert len(approximate) == 10 and all(h.title == "big notes" for h in approximate)
        assert len({h.chunk_id for h in approximate} & {h.chunk_id for h in exact}) >= 9

        # Keywords: the big tenant's GIN index serves its full-text condition under RLS once
        # the match operator is leakproof (migration 0011, when migrated as a superuser).
        async with knowledge.db.tenant(big) as conn:
            cur = await conn.execute(
                "SELECT proleakproof FROM pg_proc WHERE oid = 'ts_match_vq'::regproc"
            )
            leakproof = (await cur.fetchone())[0]  # type: ignore[index]
        keyword_sql = (
            "SELECT id FROM knowledge_chunks WHERE tenant_id = %s"
            " AND search @@ to_tsquery('simple', '17') AND %s::vector IS NOT NULL"
        )
        assert (gin in await plan_text(knowledge, search, big, keyword_sql)) == leakproof
        keyword_hits = await search.search_embedded(big, "17", query, 10, legs=(Leg.KEYWORD,))
        assert sorted(h.text for h in keyword_hits) == ["note 17 of big"] * 2  # both documents

        # Most of the tenant outside its graph again (a big upload, or a re-embedding switch):
        # the graph is rebuilt in bulk rather than fed row by row.
        await add_random_chunks(knowledge, big, 1_000, rng)
        assert await indexer.ensure_tenant_index(big)
        assert await indexer.index_tenant(big) == 0  # every row is in the new graph
        assert hnsw in await plan_text(knowledge, search, big, graph_sql)
    finally:
        await indexer.drop_tenant_index(big)
        await indexer.drop_tenant_index(tiny)


async def test_search_never_crosses_tenants_and_honours_document_filters(
    knowledge: Knowledge,
) -> None:
    a, b = await knowledge.tenant("tenant-a"), await knowledge.tenant("tenant-b")
    docs = {
        name: await knowledge.ingest(a, name, content) for name, content in SAMPLE_FILES.items()
    }
    await knowledge.ingest(b, "warehouse.md", SAMPLE_FILES["warehouse.md"])
    for name, word in SAMPLE_WORDS.items():
        hits = await knowledge.search.search(a, word, 3)
        assert hits[0].document_id == docs[name].id
    b_hits = await knowledge.search.search(b, "zanzibarite reefer jabberwocky customs", 20)
    assert b_hits and {h.title for h in b_hits} == {"Warehouse hours"}
    only = await knowledge.search.search(a, "quokkafruit", 10, document_ids=[docs["reefer.txt"].id])
    assert {h.document_id for h in only} == {docs["reefer.txt"].id}
    assert await knowledge.search.search(a, "the of and", 5)  # no keyword terms: vectors answer


async def test_the_rag_tool_over_postgres_sees_only_its_tenant(knowledge: Knowledge) -> None:
    a, b = await knowledge.tenant("tenant-a"), await knowledge.tenant("tenant-b")
    secret = await knowledge.ingest(a, "customs.pdf", SAMPLE_FILES["customs.pdf"])
    await knowledge.ingest(b, "rates.csv", SAMPLE_FILES["rates.csv"])
    spec = ToolSpec(
        id="t", tenant_id=b, name="kb", kind=ToolKind.RAG, created_at=NOW, updated_at=NOW
    )
    outcome = await RagTool(spec, knowledge.search).run(
        {"query": "jabberwocky customs brokers"},
        ToolContext(tenant_id=b, session_id="s", agent_id="x"),
    )
    assert "jabberwocky" not in outcome.content
    assert all(c.document_id != secret.id for c in outcome.citations)


async def test_a_large_tenants_keyword_tier_returns_what_ranking_every_match_would(
    knowledge: Knowledge,
) -> None:
    """A graph tenant's keyword leg ranks only chunks holding two or more query terms when 40
    do; the list must be the one ranking every chunk holding any term gives (the exact path's
    single ranking), both when the tier is full and when it falls back."""
    rng = random.Random(11)
    tenant = await knowledge.tenant("words")
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]
    texts = [" ".join(rng.choices(words, k=rng.randint(1, 4))) + f" filler{i}" for i in range(600)]
    doc = Document(
        id=str(uuid.uuid4()), tenant_id=tenant, title="words", content_hash=uuid.uuid4().hex,
        status=DocumentStatus.READY, bytes=1, chunks=len(texts), created_at=NOW,
    )  # fmt: skip
    chunks = [
        Chunk(
            id=str(uuid.uuid4()),
            tenant_id=tenant,
            document_id=doc.id,
            position=i,
            text=text,
            embedding=unit_vector(rng),
        )
        for i, text in enumerate(texts)
    ]
    await PgDocumentRepository(knowledge.db).add(doc, chunks)
    assert sum("alpha" in t and "bravo" in t for t in texts) >= 40  # the tier is full for these
    # Five chunks hold "charlie" and their own filler word: a tier of five, so a fallback.
    fillers = [t.split()[-1] for t in texts if "charlie" in t.split()[:-1]][:5]
    tiered = PgKnowledgeSearch(knowledge.db, EMBEDDER, exact_below=0)
    single = PgKnowledgeSearch(knowledge.db, EMBEDDER)
    vector = unit_vector(rng)
    for query in [
        "alpha bravo",
        "alpha bravo charlie delta",
        "echo foxtrot zulu",
        " ".join(["charlie", *fillers]),
        "zulu yankee",
    ]:
        got = await tiered.search_embedded(tenant, query, vector, 40, legs=(Leg.KEYWORD,))
        expected = await single.search_embedded(tenant, query, vector, 40, legs=(Leg.KEYWORD,))
        assert [h.chunk_id for h in got] == [h.chunk_id for h in expected], query
        assert len(got) == (40 if query != "zulu yankee" else 0)
