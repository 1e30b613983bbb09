"""The demo tenant's knowledge base: short, accurate texts a freight forwarder's customers ask
about (shipping FAQ, Incoterms 2020, packaging, customs documents, dangerous goods, claims).

``ensure_demo_knowledge`` ingests them through the normal ingestion use case, so the content
hash makes a restart a no-op (and an edited text a new document next to the old one).
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from itl_core.access import Principal
from itl_core.knowledge.ingest import IngestDocumentRequest

if TYPE_CHECKING:
    from itl_adapters.containers import Application

__all__ = ["DEMO_KNOWLEDGE_TOOL", "demo_documents", "ensure_demo_knowledge"]

DEMO_KNOWLEDGE_TOOL = (
    "Search the company knowledge base: shipping FAQ, Incoterms 2020, packaging and labelling "
    "rules, customs documents, dangerous goods, cargo claims and insurance."
)


def demo_documents() -> list[tuple[str, bytes]]:
    """(file name, content) of every demo text, by name."""
    folder = resources.files(__name__)
    return sorted(
        (entry.name, entry.read_bytes()) for entry in folder.iterdir() if entry.name.endswith(".md")
    )


async def ensure_demo_knowledge(container: Application, tenant_id: str, actor: Principal) -> int:
    """Ingest the texts the tenant does not hold yet; answer how many were new."""
    from itl_adapters.containers import resolve

    ingest = await resolve(container.use_cases.ingest_document)
    created = 0
    for filename, content in demo_documents():
        result = await ingest.execute(
            IngestDocumentRequest(
                principal=actor, tenant_id=tenant_id, filename=filename, content=content
            )
        )
        created += result.created
    return created
