"""Knowledge retrieval port."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchHit:
    document_id: str
    chunk_id: str
    title: str
    text: str
    score: float
    heading_path: tuple[str, ...] = ()


class KnowledgeSearch(Protocol):
    """Hybrid search over one tenant's chunks (never another's), best first, at most ``k``."""

    async def search(
        self, tenant_id: str, query: str, k: int, *, document_ids: Sequence[str] | None = None
    ) -> list[SearchHit]: ...
