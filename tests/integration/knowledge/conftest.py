"""Knowledge over real PostgreSQL (runtime role, RLS): tenants, an ingester, the search."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from itl_adapters.knowledge.parsers import FileParser
from itl_adapters.llm.offline import OfflineEmbedder
from itl_adapters.postgres import Database, PgDocumentRepository, PgTenantRepository
from itl_adapters.postgres.knowledge_search import PgKnowledgeSearch
from itl_adapters.system import SystemClock, UuidGenerator
from itl_core.access import Principal, Role
from itl_core.knowledge.embedding import OneEmbedder
from itl_core.knowledge.ingest import IngestDocument, IngestDocumentRequest
from itl_core.knowledge.model import Document

from tests.contract.builders import tenant

SYSTEM = Principal(user_id="test", tenant_id=None, role=Role.PLATFORM_ADMIN)
EMBEDDER = OfflineEmbedder()  # one instance: its cache makes re-embedding the demo texts free


@dataclass
class Knowledge:
    db: Database
    search: PgKnowledgeSearch
    ingester: IngestDocument

    async def tenant(self, tenant_id: str) -> str:
        await PgTenantRepository(self.db).add(tenant(tenant_id))
        return tenant_id

    async def ingest(self, tenant_id: str, filename: str, content: bytes) -> Document:
        result = await self.ingester.execute(
            IngestDocumentRequest(
                principal=SYSTEM, tenant_id=tenant_id, filename=filename, content=content
            )
        )
        return result.document


@pytest.fixture
def knowledge(database: Database) -> Knowledge:
    return Knowledge(
        db=database,
        search=PgKnowledgeSearch(database, EMBEDDER),
        ingester=IngestDocument(
            documents=PgDocumentRepository(database),
            parser=FileParser(),
            embedders=OneEmbedder(EMBEDDER),
            clock=SystemClock(),
            ids=UuidGenerator(),
        ),
    )
