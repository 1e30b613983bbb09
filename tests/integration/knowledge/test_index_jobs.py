"""The ``index`` job on PostgreSQL: an upload that takes a tenant past the exact-search size
queues it, the job builds the tenant's own indexes, and a re-embedding switch (which takes every
row out of the graph) queues it again to rebuild them; small tenants never get one."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from itl_adapters.background import job_handlers
from itl_adapters.knowledge.parsers import FileParser
from itl_adapters.llm.embedders import default_embedding_catalog
from itl_adapters.llm.offline import OfflineEmbedder
from itl_adapters.postgres import Database, PgDocumentRepository, PgTenantRepository
from itl_adapters.postgres.embeddings import PgEmbeddingStore
from itl_adapters.postgres.jobs import PgJobQueue
from itl_adapters.postgres.tenant_indexing import PgTenantIndexer
from itl_adapters.postgres.vector_index import PgVectorIndexer, tenant_index_names
from itl_adapters.system import SystemClock, UuidGenerator
from itl_core.jobs.model import JobStatus
from itl_core.jobs.runner import JobRunner
from itl_core.knowledge.embedding import (
    REEMBED,
    ReembedScheduler,
    ReembedTenant,
    TenantEmbedders,
)
from itl_core.knowledge.indexing import INDEX, IndexScheduler
from itl_core.knowledge.ingest import IngestDocument, IngestDocumentRequest
from itl_core.pagination import PageRequest

from tests.contract.builders import tenant
from tests.integration.knowledge.conftest import SYSTEM

EXACT_BELOW = 20  # small enough for a test document to outgrow it


class World:
    def __init__(self, db: Database, admin_url: str) -> None:
        clock, ids = SystemClock(), UuidGenerator()
        self.db, self.jobs = db, PgJobQueue(db)
        self.tenants, self.embeddings = PgTenantRepository(db), PgEmbeddingStore(db)
        models = default_embedding_catalog(
            OfflineEmbedder(), OfflineEmbedder(char_trigrams=False), index_dimensions=384
        )
        indexer = PgTenantIndexer(
            db, PgVectorIndexer(db, admin_url, exact_below=EXACT_BELOW), EXACT_BELOW
        )
        indexes = IndexScheduler(indexer, self.jobs, clock, ids)
        self.ingester = IngestDocument(
            PgDocumentRepository(db),
            FileParser(),
            TenantEmbedders(self.embeddings, models),
            clock,
            ids,
            indexes=indexes,
        )
        self.reembed = ReembedScheduler(models, self.embeddings, self.jobs, clock, ids)
        handler = ReembedTenant(self.tenants, self.embeddings, models, clock, indexes=indexes)
        self.runner = JobRunner(
            self.jobs, job_handlers(handler, indexer), clock, timedelta(seconds=60)
        )

    async def ingest(self, tenant_id: str, paragraphs: int) -> None:
        text = "\n\n".join(
            f"## Section {i}\n\nPallet {i} ships from dock {i % 7} with reefer set to {i} C."
            for i in range(paragraphs)
        )
        await self.ingester.execute(
            IngestDocumentRequest(
                principal=SYSTEM, tenant_id=tenant_id, filename="notes.md", content=text.encode()
            )
        )

    async def kinds(self, tenant_id: str) -> list[tuple[str, JobStatus]]:
        page = await self.jobs.list(tenant_id, PageRequest(limit=200))
        return [(j.kind, j.status) for j in page.items]

    async def run_all(self) -> int:
        ran = 0
        while await self.runner.run_next() is not None:
            ran += 1
        return ran

    async def graph(self, tenant_id: str) -> tuple[bool, int]:
        """Whether the tenant's HNSW index is valid, and how many of its rows wait outside."""
        hnsw, _ = tenant_index_names(tenant_id)
        async with self.db.tenant(tenant_id) as conn:
            cur = await conn.execute(
                "SELECT coalesce((SELECT indisvalid FROM pg_index"
                "  WHERE indexrelid = to_regclass(%s)), false),"
                " (SELECT count(*) FROM knowledge_chunks WHERE NOT indexed)",
                [hnsw],
            )
            row = await cur.fetchone()
        assert row is not None
        return row[0], row[1]


@pytest.fixture
async def world(database: Database, pg_admin_url: str) -> World:
    w = World(database, pg_admin_url)
    for t in ("small", "big"):
        await w.tenants.add(tenant(t))
    return w


async def test_an_upload_past_the_exact_size_queues_the_index_job_that_builds_the_graph(
    world: World,
) -> None:
    await world.ingest("small", 3)
    assert await world.kinds("small") == []  # small tenants are searched exactly, no job
    await world.ingest("big", 40)
    assert await world.kinds("big") == [(INDEX, JobStatus.QUEUED)]
    assert await world.graph("big") == (False, 40)
    assert await world.run_all() == 1
    assert await world.kinds("big") == [(INDEX, JobStatus.SUCCEEDED)]
    assert await world.graph("big") == (True, 0)


async def test_a_re_embedding_switch_queues_the_rebuild_of_the_graph(world: World) -> None:
    await world.ingest("big", 40)
    await world.run_all()
    big = await world.tenants.get("big")
    assert big is not None
    moved = replace(big, settings={"embedding_model": "offline-words"})
    await world.tenants.update(moved)
    assert (await world.reembed.schedule(moved)) is not None
    assert await world.run_all() == 2  # the re-embedding, then the index job it queued
    assert await world.kinds("big") == [
        (INDEX, JobStatus.SUCCEEDED),
        (REEMBED, JobStatus.SUCCEEDED),
        (INDEX, JobStatus.SUCCEEDED),
    ]
    assert await world.embeddings.active_model("big") == "offline-words"
    assert await world.graph("big") == (True, 0)  # rebuilt in bulk over the new vectors
