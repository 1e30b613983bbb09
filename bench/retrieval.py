"""Retrieval benchmark: 100,000 chunks (384-d) over 100 tenants of skewed (Zipf) sizes in the
embedded PostgreSQL, as the runtime role (RLS on), through ``PgKnowledgeSearch``.

Measures:

- ingestion throughput of chunks with precomputed embeddings (``PgDocumentRepository.add``:
  binary COPY into a staging table, INSERT ... SELECT under RLS, B-tree + GIN maintenance);
- promotion into the HNSW graph: the bulk path (index built once over the large tenants' rows,
  as after an initial load) and the incremental path (``PgVectorIndexer``, rows/s);
- p50/p99 latency of hybrid top-10 and recall@10 of its vector leg against an exact scan, for
  the largest tenant, the smallest, and the smallest tenant served by the graph.

Vectors are clustered (200 random centres plus noise) so nearest neighbours mean something,
and chunk texts draw words from per-cluster vocabularies so the keyword leg has work to do.
Run with ``python -m bench retrieval``.
"""

from __future__ import annotations

import asyncio
import random
import shutil
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from itl_adapters.embedded import EmbeddedPostgres
from itl_adapters.llm.offline import OfflineEmbedder
from itl_adapters.postgres import (
    Database,
    PgDocumentRepository,
    PgTenantRepository,
    ensure_runtime_login,
    migrate,
    open_database,
)
from itl_adapters.postgres.knowledge_search import EXACT_BELOW, Leg, PgKnowledgeSearch
from itl_adapters.postgres.vector_index import PgVectorIndexer
from itl_core.knowledge.model import Chunk, Document, DocumentStatus
from itl_core.tenants.model import Tenant
from psycopg.conninfo import make_conninfo

TOTAL = 100_000
TENANTS = 100
DIMS = 384
CLUSTERS = 200
DOC_CHUNKS = 1_000
QUERIES = 200
NOW = datetime(2025, 1, 1, tzinfo=UTC)


def tenant_sizes() -> list[int]:
    weights = [1 / (rank + 1) for rank in range(TENANTS)]
    sizes = [max(1, int(TOTAL * w / sum(weights))) for w in weights]
    sizes[0] += TOTAL - sum(sizes)
    return sizes


class Corpus:
    def __init__(self, seed: int = 42) -> None:
        rng = self.rng = random.Random(seed)
        self.centres = [_normalise([rng.gauss(0, 1) for _ in range(DIMS)]) for _ in range(CLUSTERS)]
        self.noise = [[rng.gauss(0, 0.045) for _ in range(DIMS)] for _ in range(512)]
        self.words = [[f"w{c}x{i}" for i in range(30)] for c in range(CLUSTERS)]
        self.common = [f"common{i}" for i in range(300)]

    def vector(self, cluster: int) -> tuple[float, ...]:
        a, b = self.rng.choice(self.noise), self.rng.choice(self.noise)
        centre = self.centres[cluster]
        return tuple(_normalise([c + x + y for c, x, y in zip(centre, a, b, strict=True)]))

    def text(self, cluster: int, n: int = 24) -> str:
        own = self.rng.choices(self.words[cluster], k=n // 2)
        return " ".join(own + self.rng.choices(self.common, k=n - n // 2))


def _normalise(v: list[float]) -> list[float]:
    norm = sum(x * x for x in v) ** 0.5
    return [x / norm for x in v]


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


async def load(db: Database, corpus: Corpus, sizes: list[int]) -> tuple[float, list[str]]:
    """Add every tenant's chunks; answer the seconds spent in the repository and tenant ids."""
    tenants = PgTenantRepository(db)
    documents = PgDocumentRepository(db)
    spent, ids = 0.0, []
    for rank, size in enumerate(sizes):
        tenant_id = f"t{rank:03d}"
        ids.append(tenant_id)
        await tenants.add(
            Tenant(id=tenant_id, name=tenant_id, settings={}, created_at=NOW, updated_at=NOW)
        )
        home = corpus.rng.sample(range(CLUSTERS), 8)  # a tenant's topics: a few clusters
        for start in range(0, size, DOC_CHUNKS):
            count = min(DOC_CHUNKS, size - start)
            doc = Document(
                id=str(uuid.uuid4()), tenant_id=tenant_id, title=f"{tenant_id} doc {start}",
                content_hash=uuid.uuid4().hex, status=DocumentStatus.READY, bytes=count * 200,
                chunks=count, created_at=NOW,
            )  # fmt: skip
            chunks = []
            for position in range(count):
                cluster = corpus.rng.choice(home)
                chunks.append(
                    Chunk(
                        id=str(uuid.uuid4()),
                        tenant_id=tenant_id,
                        document_id=doc.id,
                        position=position,
                        text=corpus.text(cluster),
                        embedding=corpus.vector(cluster),
                    )
                )
            started = time.perf_counter()
            await documents.add(doc, chunks)
            spent += time.perf_counter() - started
    return spent, ids


async def bulk_index(admin_url: str, tenant_ids: list[str]) -> float:
    """As the owner: mark the large tenants' rows indexed and build the graph once."""
    async with await psycopg.AsyncConnection.connect(admin_url, autocommit=True) as conn:
        await conn.execute("DROP INDEX knowledge_chunks_embedding_idx")
        await conn.execute(
            "UPDATE knowledge_chunks SET indexed = true WHERE tenant_id = ANY(%s)", [tenant_ids]
        )
        await conn.execute("SET maintenance_work_mem = '512MB'")
        started = time.perf_counter()
        await conn.execute(
            "CREATE INDEX knowledge_chunks_embedding_idx ON knowledge_chunks"
            " USING hnsw (embedding vector_cosine_ops) WHERE indexed"
        )
        elapsed = time.perf_counter() - started
        await conn.execute("VACUUM ANALYZE knowledge_chunks")
        return elapsed


async def measure(search: PgKnowledgeSearch, corpus: Corpus, tenant_id: str, label: str) -> None:
    latencies, vector_only, overlap = [], [], 0
    for _ in range(QUERIES):
        cluster = corpus.rng.randrange(CLUSTERS)
        vector, text = corpus.vector(cluster), corpus.text(cluster, 4)
        started = time.perf_counter()
        await search.search_embedded(tenant_id, text, vector, 10)
        latencies.append(time.perf_counter() - started)
        started = time.perf_counter()
        approximate = await search.search_embedded(tenant_id, text, vector, 10, legs=(Leg.VECTOR,))
        vector_only.append(time.perf_counter() - started)
        exact = await search.search_embedded(
            tenant_id, text, vector, 10, legs=(Leg.VECTOR,), force_exact=True
        )
        overlap += len({h.chunk_id for h in approximate} & {h.chunk_id for h in exact})
    ms = [s * 1000 for s in latencies]
    print(
        f"hybrid top-10, {label:<34} p50 {statistics.median(ms):6.2f} ms"
        f"   p99 {percentile(ms, 0.99):6.2f} ms"
        f"   (vector leg alone p50 {statistics.median(vector_only) * 1000:6.2f} ms)"
        f"   recall@10 {overlap / (10 * QUERIES):.3f}"
    )


async def run() -> None:
    root = Path(tempfile.mkdtemp(prefix="itl-bench-pg-"))
    server = EmbeddedPostgres(root / "data")
    try:
        admin_url = await asyncio.to_thread(server.start)
        await migrate(admin_url)
        await ensure_runtime_login(admin_url, "itl_bench", "bench-password-1")
        db = await open_database(
            make_conninfo(admin_url, user="itl_bench", password="bench-password-1"),
            max_size=2, statement_timeout_ms=600_000,
        )  # fmt: skip
        corpus, sizes = Corpus(), tenant_sizes()
        spent, ids = await load(db, corpus, sizes)
        print(
            f"ingestion (precomputed 384-d embeddings)        {TOTAL / spent:8.0f} chunks/s"
            f"   ({TOTAL} chunks, {TENANTS} tenants, sizes {sizes[0]}..{sizes[-1]})"
        )
        large = [t for t, s in zip(ids, sizes, strict=True) if s > EXACT_BELOW]
        rows = sum(s for s in sizes if s > EXACT_BELOW)
        build = await bulk_index(admin_url, large)
        print(
            f"HNSW bulk build, {len(large)} tenants above {EXACT_BELOW} chunks"
            f"   {rows / build:8.0f} rows/s   ({rows} rows in {build:.1f} s)"
        )
        extra = 1_000
        doc = Document(
            id=str(uuid.uuid4()), tenant_id=ids[0], title="late", content_hash=uuid.uuid4().hex,
            status=DocumentStatus.READY, bytes=1, chunks=extra, created_at=NOW,
        )  # fmt: skip
        await PgDocumentRepository(db).add(
            doc,
            [
                Chunk(
                    id=str(uuid.uuid4()),
                    tenant_id=ids[0],
                    document_id=doc.id,
                    position=i,
                    text=corpus.text(i % CLUSTERS),
                    embedding=corpus.vector(i % CLUSTERS),
                )
                for i in range(extra)
            ],
        )
        started = time.perf_counter()
        promoted = await PgVectorIndexer(db).index_tenant(ids[0], max_rows=extra // 2)
        print(
            f"HNSW incremental promotion (PgVectorIndexer)"
            f"   {promoted / (time.perf_counter() - started):8.0f} rows/s"
            f"   ({extra - promoted} rows left pending for the exact side)"
        )
        search = PgKnowledgeSearch(db, OfflineEmbedder())
        await measure(search, corpus, ids[0], f"largest tenant ({sizes[0] + extra} chunks, graph)")
        smallest_graph = max(i for i, s in enumerate(sizes) if s > EXACT_BELOW)
        await measure(
            search, corpus, ids[smallest_graph], f"smallest graph tenant ({sizes[smallest_graph]})"
        )
        largest_exact = min(i for i, s in enumerate(sizes) if s <= EXACT_BELOW)
        await measure(
            search, corpus, ids[largest_exact], f"largest exact tenant ({sizes[largest_exact]})"
        )
        await measure(search, corpus, ids[-1], f"smallest tenant ({sizes[-1]} chunks, exact)")
        await db.close()
    finally:
        await asyncio.to_thread(server.stop)
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()
