"""Contract: DocumentRepository (dedupe by content hash, chunks stored with the document)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from itl_core.errors import Conflict, NotFound, ValidationFailed
from itl_core.knowledge.model import DocumentStatus
from itl_core.pagination import PageRequest

from tests.contract.builders import all_pages, at, chunk, document
from tests.contract.conftest import Repositories


async def test_a_document_reads_back_equal_by_id_and_by_hash(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    doc = document(a, status=DocumentStatus.FAILED, failure_reason="unreadable", chunks=2)
    await repos.documents.add(doc, [chunk(doc, 0), chunk(doc, 1, embedding=None)])
    assert await repos.documents.get(a, doc.id) == doc
    assert await repos.documents.find_by_hash(a, doc.content_hash) == doc


async def test_the_same_content_twice_in_one_tenant_conflicts(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    doc = document(a)
    await repos.documents.add(doc, [chunk(doc, 0)])
    twin = document(a, content_hash=doc.content_hash)
    with pytest.raises(Conflict):
        await repos.documents.add(twin, [chunk(twin, 0)])
    assert await repos.documents.get(a, twin.id) is None
    await repos.documents.add(document(b, content_hash=doc.content_hash), [])


async def test_another_tenant_cannot_find_read_list_or_delete_a_document(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    doc = document(a)
    await repos.documents.add(doc, [])
    assert await repos.documents.get(b, doc.id) is None
    assert await repos.documents.find_by_hash(b, doc.content_hash) is None
    assert (await repos.documents.list(b, PageRequest())).items == []
    assert await repos.documents.delete(b, doc.id) is False
    assert await repos.documents.get(a, doc.id) == doc


async def test_a_document_of_an_unknown_tenant_is_refused(repos: Repositories) -> None:
    with pytest.raises(ValidationFailed):
        await repos.documents.add(document("no-such-tenant"), [])


async def test_documents_delete_once_and_page_in_order(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    docs = [document(a, created_at=at(i // 3)) for i in range(6)]
    for d in docs:
        await repos.documents.add(d, [chunk(d, 0)])
    assert await repos.documents.delete(a, docs[2].id) is True
    assert await repos.documents.delete(a, docs[2].id) is False
    expected = sorted([d for d in docs if d is not docs[2]], key=lambda d: (d.created_at, d.id))
    assert await all_pages(lambda p: repos.documents.list(a, p), limit=4) == expected


async def test_finish_settles_a_processing_document_with_its_chunks_all_or_nothing(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    doc = document(a, status=DocumentStatus.PROCESSING)
    await repos.documents.add(doc, [])
    bad = [chunk(doc, 0), chunk(doc, 1, embedding=(0.5,) * 768)]
    with pytest.raises(ValidationFailed):
        await repos.documents.finish(replace(doc, status=DocumentStatus.READY, chunks=2), bad)
    assert await repos.documents.get(a, doc.id) == doc  # still processing, no chunk
    ready = replace(doc, status=DocumentStatus.READY, chunks=2)
    await repos.documents.finish(ready, [chunk(doc, 0), chunk(doc, 1)])
    assert await repos.documents.get(a, doc.id) == ready
    with pytest.raises(NotFound):
        await repos.documents.finish(replace(ready, tenant_id=b), [])
    with pytest.raises(NotFound):
        await repos.documents.finish(document(a), [])
