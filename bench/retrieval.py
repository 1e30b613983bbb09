"""Retrieval benchmark: 100,000 chunks (384-d) over 100 tenants of skewed (Zipf) sizes in the
embedded PostgreSQL, as the runtime role (RLS on), through ``PgKnowledgeSearch``.

Measures:

- ingestion throughput of chunks with precomputed embeddings (``PgDocumentRepository.add``:
  binary COPY into a staging table, INSERT ... SELECT under RLS, B-tree maintenance);
- the large tenants' own indexes: ``PgVectorIndexer.ensure_tenant_index`` for every tenant
  above the exact-search size (bulk build, rows/s), then ``index_tenant`` promoting rows
  uploaded afterwards (incremental, rows/s);
- p50/p99 latency of hybrid top-10 and recall@10 of its vector leg against an exact scan, for
  the largest tenant, the smallest graph tenant, the largest exact tenant and the smallest.

Latency is wall time and, because this machine is shared, also CPU time: the PostgreSQL
backend's (``/proc/<pid>/schedstat``) plus this process's, per query; on an idle machine the
wall time of a query is about its CPU time.

Vectors are clustered (200 random centres plus noise) so nearest neighbours mean something,
and chunk texts draw words from per-cluster vocabularies so the keyword leg has work to do.
Each tenant writes about 8 topics (clusters); queries ask about a tenant's own topics, as users
of a knowledge base do. Recall for off-topic queries (a random cluster, whose "nearest" chunks
are all far and near-tied) is printed too, for the largest tenant.
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


async def load(
    db: Database, corpus: Corpus, sizes: list[int]
) -> tuple[float, float, list[str], list[list[int]]]:
    """Add every tenant's chunks; answer the seconds spent in the repository (wall, and this
    process's CPU), the tenant ids and each tenant's topics (clusters)."""
    tenants = PgTenantRepository(db)
    documents = PgDocumentRepository(db)
    spent, client, ids, topics = 0.0, 0.0, [], []
    for rank, size in enumerate(sizes):
        tenant_id = f"t{rank:03d}"
        ids.append(tenant_id)
        await tenants.add(
            Tenant(id=tenant_id, name=tenant_id, settings={}, created_at=NOW, updated_at=NOW)
        )
        home = corpus.rng.sample(range(CLUSTERS), 8)  # a tenant's topics: a few clusters
        topics.append(home)
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
            started, cpu = time.perf_counter(), time.thread_time()
            await documents.add(doc, chunks)
            spent += time.perf_counter() - started
            client += time.thread_time() - cpu
    return spent, client, ids, topics


def cpu_ns(pid: int) -> int | None:
    """Nanoseconds process ``pid`` has run on a CPU (Linux), or None where unreadable."""
    try:
        with open(f"/proc/{pid}/schedstat") as f:
            return int(f.read().split()[0])
    except OSError:
        return None


async def backend_pid(db: Database) -> int:
    async with db.platform() as conn:
        return conn.info.backend_pid


async def measure(
    search: PgKnowledgeSearch, db: Database, corpus: Corpus, tenant_id: str, topics: list[int],
    label: str,
) -> None:  # fmt: skip
    """Hybrid latency (wall and CPU) and vector-leg recall@10 over on-topic queries.

    The exact scans that give recall its ground truth run after the timed queries: each reads
    the tenant's every row (80 MB for the largest, against 128 MB of shared buffers), which no
    search of a graph tenant does, and would evict the pages the next timed query reads."""
    pid = await backend_pid(db)
    wall, cpu, vector_only, overlap = [], [], [], 0
    queries = []
    for _ in range(QUERIES):
        cluster = corpus.rng.choice(topics)
        queries.append((corpus.vector(cluster), corpus.text(cluster, 4)))
    approximations = []
    for vector, text in queries:
        server, client = cpu_ns(pid), time.thread_time()
        started = time.perf_counter()
        await search.search_embedded(tenant_id, text, vector, 10)
        wall.append(time.perf_counter() - started)
        after = cpu_ns(pid)
        if server is not None and after is not None:
            cpu.append((after - server) / 1e9 + time.thread_time() - client)
        started = time.perf_counter()
        approximate = await search.search_embedded(tenant_id, text, vector, 10, legs=(Leg.VECTOR,))
        vector_only.append(time.perf_counter() - started)
        approximations.append({h.chunk_id for h in approximate})
    assert await backend_pid(db) == pid, "the pool replaced its connection mid-run"
    for (vector, text), approximate in zip(queries, approximations, strict=True):
        exact = await search.search_embedded(
            tenant_id, text, vector, 10, legs=(Leg.VECTOR,), force_exact=True
        )
        overlap += len(approximate & {h.chunk_id for h in exact})
    ms = [s * 1000 for s in wall]
    cpu_ms = [s * 1000 for s in cpu]
    print(
        f"hybrid top-10, {label:<34} p50 {statistics.median(ms):6.2f} ms"
        f"   p99 {percentile(ms, 0.99):6.2f} ms"
        + (
            f"   CPU p50 {statistics.median(cpu_ms):5.2f} ms p99 {percentile(cpu_ms, 0.99):5.2f} ms"
            if cpu_ms
            else ""
        )
        + f"   (vector leg alone p50 {statistics.median(vector_only) * 1000:6.2f} ms)"
        f"   recall@10 {overlap / (10 * QUERIES):.3f}"
    )


async def off_topic_recall(search: PgKnowledgeSearch, corpus: Corpus, tenant_id: str) -> float:
    """Vector-leg recall@10 for queries about clusters the tenant may not hold at all."""
    overlap = 0
    for _ in range(QUERIES):
        vector = corpus.vector(corpus.rng.randrange(CLUSTERS))
        approximate = await search.search_embedded(tenant_id, "", vector, 10, legs=(Leg.VECTOR,))
        exact = await search.search_embedded(
            tenant_id, "", vector, 10, legs=(Leg.VECTOR,), force_exact=True
        )
        overlap += len({h.chunk_id for h in approximate} & {h.chunk_id for h in exact})
    return overlap / (10 * QUERIES)


async def run() -> None:
    root = Path(tempfile.mkdtemp(prefix="itl-bench-pg-"))
    server = EmbeddedPostgres(root / "data")
    try:
        admin_url = await asyncio.to_thread(server.start)
        await migrate(admin_url)
        await ensure_runtime_login(admin_url, "itl_bench", "bench-password-1")
        runtime_url = make_conninfo(admin_url, user="itl_bench", password="bench-password-1")
        # One connection: its backend's CPU time is every statement's.
        db = await open_database(runtime_url, min_size=1, max_size=1, statement_timeout_ms=600_000)
        pid = await backend_pid(db)
        corpus, sizes = Corpus(), tenant_sizes()
        server_cpu = cpu_ns(pid)
        spent, client_cpu, ids, topics = await load(db, corpus, sizes)
        after = cpu_ns(pid)
        cpu = f"   CPU per chunk: client {client_cpu / TOTAL * 1e6:.0f} us" + (
            f", backend {(after - server_cpu) / TOTAL / 1000:.0f} us"
            if server_cpu is not None and after is not None
            else ""
        )
        print(
            f"ingestion (precomputed 384-d embeddings)        {TOTAL / spent:8.0f} chunks/s"
            f"   ({TOTAL} chunks, {TENANTS} tenants, sizes {sizes[0]}..{sizes[-1]}){cpu}"
        )
        async with await psycopg.AsyncConnection.connect(admin_url, autocommit=True) as conn:
            await conn.execute("VACUUM ANALYZE knowledge_chunks")  # as autovacuum would, later
        indexer = PgVectorIndexer(db, admin_url)
        large = [t for t, s in zip(ids, sizes, strict=True) if s > EXACT_BELOW]
        rows = sum(s for s in sizes if s > EXACT_BELOW)
        started = time.perf_counter()
        for tenant_id in large:
            assert await indexer.ensure_tenant_index(tenant_id)
        build = time.perf_counter() - started
        print(
            f"per-tenant HNSW + GIN builds (ensure_tenant_index), {len(large)} tenants above"
            f" {EXACT_BELOW} chunks   {rows / build:8.0f} rows/s   ({rows} rows in {build:.1f} s)"
        )
        extra = 1_000
        doc = Document(
            id=str(uuid.uuid4()), tenant_id=ids[0], title="late", content_hash=uuid.uuid4().hex,
            status=DocumentStatus.READY, bytes=1, chunks=extra, created_at=NOW,
        )  # fmt: skip
        late = []
        for i in range(extra):
            cluster = topics[0][i % len(topics[0])]
            late.append(
                Chunk(
                    id=str(uuid.uuid4()),
                    tenant_id=ids[0],
                    document_id=doc.id,
                    position=i,
                    text=corpus.text(cluster),
                    embedding=corpus.vector(cluster),
                )
            )
        await PgDocumentRepository(db).add(doc, late)
        started = time.perf_counter()
        promoted = await indexer.index_tenant(ids[0], max_rows=extra // 2)
        print(
            f"HNSW incremental promotion (index_tenant)"
            f"   {promoted / (time.perf_counter() - started):8.0f} rows/s"
            f"   ({extra - promoted} rows left pending for the exact side)"
        )
        search = PgKnowledgeSearch(db, OfflineEmbedder())
        for rank, label in [
            (0, f"largest tenant ({sizes[0] + extra} chunks, graph)"),
            (len(large) - 1, f"smallest graph tenant ({sizes[len(large) - 1]})"),
            (len(large), f"largest exact tenant ({sizes[len(large)]})"),
            (TENANTS - 1, f"smallest tenant ({sizes[-1]} chunks, exact)"),
        ]:
            await measure(search, db, corpus, ids[rank], topics[rank], label)
        print(
            f"vector recall@10, largest tenant, off-topic queries (random cluster)"
            f"   {await off_topic_recall(search, corpus, ids[0]):.3f}"
        )
        await db.close()
    finally:
        await asyncio.to_thread(server.stop)
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()
