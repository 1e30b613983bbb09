"""Contract: EmbeddingStore (vectors of a new model staged beside the active ones, one atomic
switch, never a mix), against the in-memory fake and PostgreSQL as the runtime role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from itl_adapters.memory.content_repositories import MemoryDocumentRepository
from itl_adapters.memory.embeddings import MemoryEmbeddingStore
from itl_adapters.memory.repositories import MemoryTenantRepository
from itl_adapters.memory.store import MemoryStore
from itl_adapters.postgres import PgDocumentRepository, PgTenantRepository
from itl_adapters.postgres.embeddings import PgEmbeddingStore
from itl_core.errors import ValidationFailed
from itl_core.knowledge.embedding import DEFAULT_EMBEDDING_MODEL
from itl_core.knowledge.model import Chunk, Document, DocumentStatus

from tests.contract.builders import at, chunk, document, tenant

A, B = "tenant-a", "tenant-b"
NEW = "offline-words"
EARLY = at(-3600)  # "ingesting since": a processing document created after it blocks a switch


@dataclass(frozen=True)
class World:
    store: Any
    documents: Any
    tenants: Any
    read_chunks: Any  # tenant -> {chunk id: embedding}


@pytest.fixture(params=["memory", "postgres"])
def backend(request: pytest.FixtureRequest) -> World:
    if request.param == "memory":
        memory = MemoryStore()

        async def memory_chunks(tenant_id: str) -> dict[str, tuple[float, ...]]:
            return {c.id: c.embedding for c in memory.chunks.values() if c.tenant_id == tenant_id}  # type: ignore[misc]

        return World(
            store=MemoryEmbeddingStore(memory),
            documents=MemoryDocumentRepository(memory),
            tenants=MemoryTenantRepository(memory),
            read_chunks=memory_chunks,
        )
    db = request.getfixturevalue("database")

    async def pg_chunks(tenant_id: str) -> dict[str, tuple[float, ...]]:
        async with db.tenant(tenant_id) as conn:
            rows = await (
                await conn.execute("SELECT id, embedding FROM knowledge_chunks")
            ).fetchall()
        return {r[0]: tuple(float(x) for x in r[1].to_list()) for r in rows}

    return World(
        store=PgEmbeddingStore(db),
        documents=PgDocumentRepository(db),
        tenants=PgTenantRepository(db),
        read_chunks=pg_chunks,
    )


def vector(seed: int) -> list[float]:
    return [float((i * seed) % 5) / 5 for i in range(384)]


async def add_document(world: World, tenant_id: str, n: int, **kw: Any) -> list[Chunk]:
    doc: Document = document(tenant_id, **kw)
    chunks = [chunk(doc, i, text=f"passage {i}") for i in range(n)]
    await world.documents.add(doc, chunks)
    return chunks


@pytest.fixture
async def world(backend: World) -> World:
    await backend.tenants.add(tenant(A))
    await backend.tenants.add(tenant(B))
    return backend


async def test_every_tenant_starts_on_the_default_model(world: World) -> None:
    assert await world.store.active_model(A) == DEFAULT_EMBEDDING_MODEL
    await world.store.prepare(A)
    await world.store.prepare(A)  # idempotent
    assert await world.store.active_model(A, writing=True) == DEFAULT_EMBEDDING_MODEL


async def test_staged_vectors_count_as_progress_and_leave_the_active_ones_alone(
    world: World,
) -> None:
    chunks = await add_document(world, A, 3)
    await add_document(world, B, 2)
    before = await world.read_chunks(A)
    assert await world.store.progress(A, NEW) == (0, 3)
    pending = await world.store.pending(A, NEW, 2)
    assert [p.id for p in pending] == sorted(c.id for c in chunks)[:2]
    assert pending[0].indexed_text == "Policies / Returns / " + pending[0].text
    await world.store.store(A, NEW, {p.id: vector(1) for p in pending})
    assert await world.store.progress(A, NEW) == (2, 3)
    assert [p.id for p in await world.store.pending(A, NEW, 10)] == sorted(c.id for c in chunks)[2:]
    assert await world.read_chunks(A) == before  # search still reads the old vectors
    assert await world.store.progress(B, NEW) == (0, 2)  # another tenant's count


async def test_a_switch_needs_every_chunk_then_swaps_all_vectors_and_the_model_at_once(
    world: World,
) -> None:
    chunks = await add_document(world, A, 3)
    await world.store.prepare(A)
    await world.store.store(A, NEW, {c.id: vector(2) for c in chunks[:2]})
    assert not await world.store.switch(A, NEW, ingesting_since=EARLY)
    assert await world.store.active_model(A) == DEFAULT_EMBEDDING_MODEL
    await world.store.store(A, NEW, {chunks[2].id: vector(2)})
    assert await world.store.switch(A, NEW, ingesting_since=EARLY)
    assert await world.store.active_model(A) == NEW
    stored = await world.read_chunks(A)
    assert all(v == pytest.approx(vector(2)) for v in stored.values()) and len(stored) == 3
    assert await world.store.progress(A, NEW) == (0, 3)  # the staged copies are gone


async def test_a_document_being_ingested_holds_the_switch_back_until_it_is_stale(
    world: World,
) -> None:
    chunks = await add_document(world, A, 1)
    await add_document(world, A, 0, status=DocumentStatus.PROCESSING, created_at=at(0))
    await world.store.prepare(A)
    await world.store.store(A, NEW, {chunks[0].id: vector(3)})
    assert not await world.store.switch(A, NEW, ingesting_since=EARLY)
    # A document still processing long after it started was abandoned: it no longer blocks.
    assert await world.store.switch(A, NEW, ingesting_since=at(1))


async def test_discard_keeps_only_the_named_model_and_deleted_chunks_drop_out(
    world: World,
) -> None:
    chunks = await add_document(world, A, 2)
    await world.store.store(A, NEW, {chunks[0].id: vector(1)})
    await world.store.store(A, "other", {chunks[0].id: vector(1), chunks[1].id: vector(1)})
    await world.store.discard(A, keep=NEW)
    assert await world.store.progress(A, "other") == (0, 2)
    assert await world.store.progress(A, NEW) == (1, 2)
    await world.documents.delete(A, chunks[0].document_id)
    assert await world.store.progress(A, NEW) == (0, 0)
    await world.store.store(A, NEW, {chunks[1].id: vector(1)})  # deleted meanwhile: skipped
    assert await world.store.progress(A, NEW) == (0, 0)


async def test_vectors_of_another_tenant_or_width_are_refused_or_ignored(world: World) -> None:
    theirs = await add_document(world, B, 1)
    await world.store.store(A, NEW, {theirs[0].id: vector(1)})
    assert await world.store.progress(B, NEW) == (0, 1)
    mine = await add_document(world, A, 1)
    with pytest.raises(ValidationFailed):
        await world.store.store(A, NEW, {mine[0].id: [0.5] * 768})
