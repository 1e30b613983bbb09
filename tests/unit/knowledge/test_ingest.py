"""Ingestion rules, through the real container over in-memory fakes."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from dependency_injector import providers
from itl_adapters.containers import Application
from itl_adapters.memory.store import MemoryStore
from itl_core.access import Principal
from itl_core.errors import NotFound, PermissionDenied, UpstreamUnavailable, ValidationFailed
from itl_core.knowledge.ingest import IngestDocumentRequest
from itl_core.knowledge.model import DocumentStatus
from itl_core.knowledge.use_cases import SearchKnowledgeRequest
from itl_core.pagination import PageRequest
from itl_core.tenants.model import Tenant

from tests.support.documents import SAMPLE_FILES, SAMPLE_WORDS
from tests.support.platform import Platform


class DownEmbedder:
    """An embedding provider that is unavailable."""

    dimensions = 384

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        raise UpstreamUnavailable("the embedding provider is down")


class WrongSizeEmbedder:
    dimensions = 384

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return [[0.1] * 768 for _ in texts]


async def ingest(
    platform: Platform, who: Principal, filename: str, content: bytes, tenant: str | None = None
):
    use_case = await platform.use("ingest_document")
    return await use_case.execute(
        IngestDocumentRequest(principal=who, tenant_id=tenant, filename=filename, content=content)
    )


@pytest.mark.parametrize("filename", sorted(SAMPLE_FILES))
async def test_a_file_of_each_format_becomes_searchable_chunks(
    platform: Platform, acme_admin: Principal, filename: str
) -> None:
    result = await ingest(platform, acme_admin, filename, SAMPLE_FILES[filename])
    assert result.created and result.document.status is DocumentStatus.READY
    assert result.document.chunks >= 1
    search = await platform.use("search_knowledge")
    hits = await search.execute(
        SearchKnowledgeRequest(
            principal=acme_admin, tenant_id=None, query=SAMPLE_WORDS[filename], k=3
        )
    )
    assert hits[0].document_id == result.document.id
    assert SAMPLE_WORDS[filename] in hits[0].text


async def test_the_same_content_again_returns_the_existing_document(
    platform: Platform, acme_admin: Principal, store: MemoryStore
) -> None:
    first = await ingest(platform, acme_admin, "a.md", SAMPLE_FILES["warehouse.md"])
    again = await ingest(platform, acme_admin, "renamed.md", SAMPLE_FILES["warehouse.md"])
    assert not again.created and again.document == first.document
    assert len(store.documents) == 1
    assert len(store.chunks) == first.document.chunks


@pytest.mark.parametrize(
    ("filename", "content", "field"),
    [
        ("empty.txt", b"", "file"),
        ("huge.txt", b"a" * (20 * 1024 * 1024 + 1), "file"),
        ("photo.txt", bytes(range(256)) * 4, "file"),
        ("broken.pdf", b"%PDF-1.7 not a pdf at all", "file"),
        ("archive.zip", b"PK\x03\x04", "file"),
        ("blank.md", b"\n\n   \n", "file"),
    ],
)
async def test_unusable_uploads_are_refused_and_nothing_is_written(
    platform: Platform,
    acme_admin: Principal,
    store: MemoryStore,
    filename: str,
    content: bytes,
    field: str,
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        await ingest(platform, acme_admin, filename, content)
    assert refused.value.errors[0].field == field
    assert store.documents == {} and store.chunks == {}


async def test_an_embedding_failure_leaves_a_failed_document_with_its_reason_and_no_chunk(
    container: Application, platform: Platform, acme_admin: Principal, store: MemoryStore
) -> None:
    container.infra.embedder.override(providers.Object(DownEmbedder()))
    result = await ingest(platform, acme_admin, "a.txt", SAMPLE_FILES["reefer.txt"])
    assert result.document.status is DocumentStatus.FAILED
    assert result.document.failure_reason == "the embedding provider is down"
    assert store.chunks == {} and store.documents[result.document.id] == result.document
    # A retry of the same content replaces the failed attempt.
    container.infra.embedder.reset_override()
    retry = await ingest(platform, acme_admin, "a.txt", SAMPLE_FILES["reefer.txt"])
    assert retry.created and retry.document.status is DocumentStatus.READY
    assert list(store.documents) == [retry.document.id]


async def test_vectors_of_the_wrong_dimension_are_never_stored(
    container: Application, platform: Platform, acme_admin: Principal, store: MemoryStore
) -> None:
    container.infra.embedder.override(providers.Object(WrongSizeEmbedder()))
    result = await ingest(platform, acme_admin, "a.txt", SAMPLE_FILES["reefer.txt"])
    assert result.document.status is DocumentStatus.FAILED
    assert "384" in (result.document.failure_reason or "")
    assert store.chunks == {}


async def test_roles_and_tenants(
    platform: Platform,
    acme: Tenant,
    acme_admin: Principal,
    acme_operator: Principal,
    acme_member: Principal,
    globex_admin: Principal,
    root: Principal,
) -> None:
    doc = (await ingest(platform, acme_admin, "a.md", SAMPLE_FILES["warehouse.md"])).document
    with pytest.raises(PermissionDenied):
        await ingest(platform, acme_operator, "b.txt", SAMPLE_FILES["reefer.txt"])
    with pytest.raises(ValidationFailed):
        await ingest(platform, root, "b.txt", SAMPLE_FILES["reefer.txt"])  # must name the tenant
    by_root = await ingest(platform, root, "b.txt", SAMPLE_FILES["reefer.txt"], tenant=acme.id)
    assert by_root.document.tenant_id == acme.id
    get, listing = await platform.use("get_document"), await platform.use("list_documents")
    assert (await get.execute(acme_operator, doc.id)).id == doc.id
    with pytest.raises(PermissionDenied):
        await get.execute(acme_member, doc.id)
    with pytest.raises(NotFound):
        await get.execute(globex_admin, doc.id)
    assert (await listing.execute(globex_admin, PageRequest())).items == []
    delete = await platform.use("delete_document")
    with pytest.raises(NotFound):
        await delete.execute(globex_admin, doc.id)
    with pytest.raises(PermissionDenied):
        await delete.execute(acme_operator, doc.id)
    await delete.execute(acme_admin, doc.id)
    with pytest.raises(NotFound):
        await get.execute(acme_admin, doc.id)
