"""Knowledge documents and chunks."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class DocumentStatus(enum.StrEnum):
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    id: str
    tenant_id: str
    title: str
    content_hash: str
    status: DocumentStatus
    bytes: int
    chunks: int = 0
    failure_reason: str | None = None
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Chunk:
    """A retrievable passage; ``heading_path`` is kept for citations."""

    id: str
    tenant_id: str
    document_id: str
    position: int
    text: str
    heading_path: tuple[str, ...] = ()
    embedding: tuple[float, ...] | None = None


class BlockKind(enum.StrEnum):
    """The structural units a parser reports; chunking never splits across a heading."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_ROW = "table_row"


@dataclass(frozen=True, slots=True, kw_only=True)
class Block:
    """One structural unit of a parsed document. ``level`` is a heading's depth (1 = top)."""

    kind: BlockKind
    text: str
    level: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedDocument:
    """What a parser extracted: blocks in reading order and a title if the file names one."""

    blocks: tuple[Block, ...]
    title: str | None = None
