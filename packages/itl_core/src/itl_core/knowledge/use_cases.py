"""Reading, deleting and searching a tenant's knowledge (ingestion is in ``ingest``).

Tenant admins write; operators read and search too. Platform admins name the tenant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from itl_core.access import Principal, Role, require_role, target_tenant
from itl_core.errors import FieldError, NotFound, ValidationFailed
from itl_core.knowledge.model import Document
from itl_core.knowledge.ports import DocumentRepository
from itl_core.knowledge.search import KnowledgeSearch, SearchHit
from itl_core.pagination import Page, PageRequest

READERS = (Role.PLATFORM_ADMIN, Role.TENANT_ADMIN, Role.OPERATOR)
WRITERS = (Role.PLATFORM_ADMIN, Role.TENANT_ADMIN)
MAX_K = 50
MAX_QUERY_CHARS = 2_000


class ListDocuments:
    def __init__(self, documents: DocumentRepository) -> None:
        self._documents = documents

    async def execute(
        self, principal: Principal, page: PageRequest, tenant_id: str | None = None
    ) -> Page[Document]:
        require_role(principal, *READERS)
        return await self._documents.list(target_tenant(principal, tenant_id), page)


class GetDocument:
    def __init__(self, documents: DocumentRepository) -> None:
        self._documents = documents

    async def execute(
        self, principal: Principal, document_id: str, tenant_id: str | None = None
    ) -> Document:
        require_role(principal, *READERS)
        document = await self._documents.get(target_tenant(principal, tenant_id), document_id)
        if document is None:
            raise NotFound("The document does not exist.")
        return document


class DeleteDocument:
    """Deletes the document and its chunks."""

    def __init__(self, documents: DocumentRepository) -> None:
        self._documents = documents

    async def execute(
        self, principal: Principal, document_id: str, tenant_id: str | None = None
    ) -> None:
        require_role(principal, *WRITERS)
        if not await self._documents.delete(target_tenant(principal, tenant_id), document_id):
            raise NotFound("The document does not exist.")


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchKnowledgeRequest:
    principal: Principal
    tenant_id: str | None
    query: str
    k: int = 5
    document_ids: Sequence[str] | None = None


def search_errors(query: str, k: int) -> list[FieldError]:
    """Bounds shared by every caller of the search (admin API, RAG tool)."""
    errors = []
    if not query.strip():
        errors.append(FieldError("query", "must not be empty"))
    elif len(query) > MAX_QUERY_CHARS:
        errors.append(FieldError("query", f"must be at most {MAX_QUERY_CHARS} characters"))
    if not 1 <= k <= MAX_K:
        errors.append(FieldError("k", f"must be between 1 and {MAX_K}"))
    return errors


class SearchKnowledge:
    def __init__(self, search: KnowledgeSearch) -> None:
        self._search = search

    async def execute(self, request: SearchKnowledgeRequest) -> list[SearchHit]:
        require_role(request.principal, *READERS)
        tenant_id = target_tenant(request.principal, request.tenant_id)
        if errors := search_errors(request.query, request.k):
            raise ValidationFailed(errors)
        return await self._search.search(
            tenant_id, request.query, request.k, document_ids=request.document_ids
        )
