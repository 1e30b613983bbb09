"""Contract: KnowledgeSearch (hybrid, tenant-scoped, at most k, optional document filter),
run against the in-memory search and PostgreSQL over the same ingested files."""

from __future__ import annotations

from typing import Any

import pytest
from itl_adapters.knowledge.parsers import FileParser
from itl_adapters.llm.offline import OfflineEmbedder
from itl_adapters.memory.content_repositories import MemoryDocumentRepository
from itl_adapters.memory.knowledge_search import MemoryKnowledgeSearch
from itl_adapters.postgres.knowledge_search import PgKnowledgeSearch
from itl_adapters.system import SystemClock, UuidGenerator
from itl_core.access import Principal, Role
from itl_core.knowledge.embedding import OneEmbedder
from itl_core.knowledge.ingest import IngestDocument, IngestDocumentRequest

from tests.contract.conftest import Repositories
from tests.support.documents import SAMPLE_FILES, SAMPLE_WORDS

SYSTEM = Principal(user_id="test", tenant_id=None, role=Role.PLATFORM_ADMIN)
EMBEDDER = OfflineEmbedder()


@pytest.fixture
def search(repos: Repositories, request: pytest.FixtureRequest) -> Any:
    if isinstance(repos.documents, MemoryDocumentRepository):
        return MemoryKnowledgeSearch(repos.documents._store, EMBEDDER)
    return PgKnowledgeSearch(request.getfixturevalue("database"), EMBEDDER)


async def ingest_all(repos: Repositories, tenant_id: str, names: list[str]) -> dict[str, str]:
    ingest = IngestDocument(
        repos.documents, FileParser(), OneEmbedder(EMBEDDER), SystemClock(), UuidGenerator()
    )
    ids = {}
    for name in names:
        result = await ingest.execute(
            IngestDocumentRequest(
                principal=SYSTEM, tenant_id=tenant_id, filename=name, content=SAMPLE_FILES[name]
            )
        )
        ids[name] = result.document.id
    return ids


async def test_the_distinctive_passage_ranks_first_and_k_bounds_the_answer(
    repos: Repositories, search: Any, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    ids = await ingest_all(repos, a, sorted(SAMPLE_FILES))
    for name, word in SAMPLE_WORDS.items():
        hits = await search.search(a, word, 2)
        assert len(hits) == 2 and hits[0].document_id == ids[name] and word in hits[0].text
        assert hits[0].score >= hits[1].score
    chunks = sum([(await repos.documents.get(a, i)).chunks for i in ids.values()])
    assert len(await search.search(a, "freight", 50)) == chunks


async def test_another_tenant_and_other_documents_are_never_returned(
    repos: Repositories, search: Any, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    ids = await ingest_all(repos, a, ["reefer.txt", "warehouse.md"])
    assert await search.search(b, "zanzibarite quokkafruit", 10) == []
    only = await search.search(a, "quokkafruit warehouse", 10, document_ids=[ids["reefer.txt"]])
    assert {h.document_id for h in only} == {ids["reefer.txt"]}
    assert await search.search(a, "anything", 10, document_ids=[]) == []
