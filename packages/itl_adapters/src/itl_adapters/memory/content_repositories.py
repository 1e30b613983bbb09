"""In-memory chat sessions, messages and knowledge documents.

Same contracts as ``itl_adapters.postgres.sessions`` and ``.knowledge``: a message needs its
session in the same tenant (NotFound otherwise), ``finish`` settles only assistant messages,
a document's content hash is unique per tenant, deleting a document deletes its chunks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from itl_core.errors import Conflict, NotFound, ValidationFailed
from itl_core.knowledge.model import Chunk, Document
from itl_core.pagination import Page, PageRequest
from itl_core.sessions.model import (
    ChatSession,
    Message,
    MessageRole,
    MessageStatus,
    SessionStatus,
)

from itl_adapters.memory.store import MemoryStore, owned, page_from, require_new_id

__all__ = ["MemoryDocumentRepository", "MemoryMessageRepository", "MemorySessionRepository"]

EMBEDDING_DIMENSIONS = 384  # the vector(384) column of the PostgreSQL schema


class MemorySessionRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def get(self, tenant_id: str, session_id: str) -> ChatSession | None:
        return owned(self._store.sessions, tenant_id, session_id)

    async def list(
        self,
        tenant_id: str,
        page: PageRequest,
        *,
        user_id: str | None = None,
        visitor_id: str | None = None,
        agent_id: str | None = None,
        status: SessionStatus | None = None,
        newest_first: bool = False,
    ) -> Page[ChatSession]:
        rows = [
            s
            for s in self._store.sessions.values()
            if s.tenant_id == tenant_id
            and (user_id is None or s.user_id == user_id)
            and (visitor_id is None or s.visitor_id == visitor_id)
            and (agent_id is None or s.agent_id == agent_id)
            and (status is None or s.status is status)
        ]
        return page_from(rows, page, descending=newest_first)

    async def add(self, session: ChatSession) -> None:
        self._store.require_tenant(session.tenant_id)
        require_new_id(self._store.sessions, session.id)
        self._store.sessions[session.id] = session

    async def update(self, session: ChatSession) -> None:
        old = owned(self._store.sessions, session.tenant_id, session.id)
        if old is None:
            raise NotFound("The session does not exist.")
        self._store.sessions[session.id] = replace(session, created_at=old.created_at)

    async def after_turn(
        self,
        tenant_id: str,
        session_id: str,
        *,
        agent_id: str | None,
        handoff: bool,
        at: datetime,
    ) -> None:
        session = owned(self._store.sessions, tenant_id, session_id)
        if session is None:
            return
        waits = handoff and session.status is SessionStatus.ACTIVE
        self._store.sessions[session_id] = replace(
            session,
            agent_id=agent_id or session.agent_id,
            status=SessionStatus.WAITING_FOR_HUMAN if waits else session.status,
            updated_at=at,
        )


class MemoryMessageRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def add(self, message: Message) -> None:
        self._store.require_tenant(message.tenant_id)
        if owned(self._store.sessions, message.tenant_id, message.session_id) is None:
            raise NotFound("The session does not exist.")
        require_new_id(self._store.messages, message.id)
        self._store.messages[message.id] = replace(message, metadata=dict(message.metadata))

    async def finish(
        self,
        tenant_id: str,
        message_id: str,
        *,
        status: MessageStatus,
        content: str,
        metadata: Mapping[str, Any],
        agent_id: str | None = None,
    ) -> None:
        if status is MessageStatus.PENDING:
            raise ValidationFailed.single("status", "a finished message cannot be pending")
        message = owned(self._store.messages, tenant_id, message_id)
        if message is None or message.role is not MessageRole.ASSISTANT:
            raise NotFound("The message does not exist.")
        self._store.messages[message_id] = replace(
            message,
            status=status,
            content=content,
            metadata=dict(metadata),
            agent_id=agent_id or message.agent_id,
        )

    async def list(self, tenant_id: str, session_id: str, page: PageRequest) -> Page[Message]:
        """Oldest first."""
        rows = (
            m
            for m in self._store.messages.values()
            if m.tenant_id == tenant_id and m.session_id == session_id
        )
        return page_from(rows, page)

    async def recent(self, tenant_id: str, session_id: str, limit: int) -> list[Message]:
        rows = sorted(
            (
                m
                for m in self._store.messages.values()
                if m.tenant_id == tenant_id and m.session_id == session_id
            ),
            key=lambda m: (m.created_at, m.id),
        )
        return rows[-limit:] if limit > 0 else []

    async def mark_pending_interrupted(self) -> int:
        pending = [m for m in self._store.messages.values() if m.status is MessageStatus.PENDING]
        for m in pending:
            self._store.messages[m.id] = replace(m, status=MessageStatus.INTERRUPTED)
        return len(pending)


class MemoryDocumentRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def get(self, tenant_id: str, document_id: str) -> Document | None:
        return owned(self._store.documents, tenant_id, document_id)

    async def find_by_hash(self, tenant_id: str, content_hash: str) -> Document | None:
        return self._by_hash(tenant_id, content_hash)

    async def list(self, tenant_id: str, page: PageRequest) -> Page[Document]:
        return page_from(
            (d for d in self._store.documents.values() if d.tenant_id == tenant_id), page
        )

    async def add(self, document: Document, chunks: Sequence[Chunk]) -> None:
        # Validate everything before writing anything: the SQL version is one transaction.
        self._store.require_tenant(document.tenant_id)
        require_new_id(self._store.documents, document.id)
        if self._by_hash(document.tenant_id, document.content_hash) is not None:
            raise Conflict("A document with the same content already exists.")
        self._check_chunks(document, chunks)
        self._store.documents[document.id] = document
        self._store.chunks.update((c.id, c) for c in chunks)

    def _check_chunks(self, document: Document, chunks: Sequence[Chunk]) -> None:
        for chunk in chunks:
            if chunk.tenant_id != document.tenant_id:
                # PostgreSQL's RLS WITH CHECK refuses this too; it can only be a caller's bug.
                raise ValueError("a chunk must belong to its document's tenant")
            require_new_id(self._store.chunks, chunk.id)
            if (
                chunk.document_id != document.id
                and owned(self._store.documents, chunk.tenant_id, chunk.document_id) is None
            ):
                raise NotFound("The document does not exist.")
        if len({c.id for c in chunks}) != len(chunks):
            raise Conflict("A record with this id already exists.")
        for chunk in chunks:
            if chunk.embedding is not None and len(chunk.embedding) != EMBEDDING_DIMENSIONS:
                raise ValidationFailed.single("embedding", "must have 384 dimensions")

    async def finish(self, document: Document, chunks: Sequence[Chunk]) -> None:
        old = owned(self._store.documents, document.tenant_id, document.id)
        if old is None:
            raise NotFound("The document does not exist.")
        self._check_chunks(document, chunks)
        self._store.documents[document.id] = replace(
            old,
            status=document.status,
            chunks=document.chunks,
            failure_reason=document.failure_reason,
        )
        self._store.chunks.update((c.id, c) for c in chunks)

    async def delete(self, tenant_id: str, document_id: str) -> bool:
        if owned(self._store.documents, tenant_id, document_id) is None:
            return False
        self._store.delete_document(document_id)
        return True

    def _by_hash(self, tenant_id: str, content_hash: str) -> Document | None:
        return next(
            (
                d
                for d in self._store.documents.values()
                if d.tenant_id == tenant_id and d.content_hash == content_hash
            ),
            None,
        )
