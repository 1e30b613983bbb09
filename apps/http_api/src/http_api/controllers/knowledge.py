"""The knowledge base: documents (upload, list, read, delete), search, the embedding model
(changing it queues re-embedding) and the background jobs' progress.

The tenant is the token's (platform admins add ``?tenant_id=``). An upload is multipart
(``file``, optional ``title``) or JSON ``{title, text}``; the handler reads the body itself
(``opt={"body": "raw"}`` skips the JSON-only guard), so it re-applies the guard's rules to the
JSON form: 415 for other media types, 400 for undecodable JSON, 422 for NUL characters. Bodies
over the upload limit answer 413 before anything is parsed. A new document answers 201; the
same content again answers 200 with the existing document.
"""

from __future__ import annotations

from typing import Any

import msgspec
from itl_core.access import Principal
from itl_core.errors import ValidationFailed
from itl_core.jobs.use_cases import GetJob, ListJobs
from itl_core.knowledge.embedding import (
    ChangeEmbeddingModel,
    ChangeEmbeddingModelRequest,
    GetEmbeddingSettings,
)
from itl_core.knowledge.ingest import IngestDocument, IngestDocumentRequest
from itl_core.knowledge.use_cases import (
    DeleteDocument,
    GetDocument,
    ListDocuments,
    SearchKnowledge,
    SearchKnowledgeRequest,
)
from itl_core.pagination import PageRequest
from litestar import Controller, Request, Response, delete, get, post, put
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery, JSONBody

from http_api.dto.common import TenantQuery
from http_api.dto.jobs import EmbeddingModelIn, EmbeddingSettingsOut, JobOut, JobPageOut
from http_api.dto.knowledge import (
    DocumentOut,
    DocumentPageOut,
    DocumentTextIn,
    SearchHitOut,
    SearchIn,
    SearchOut,
)

MULTIPART_OVERHEAD = 64 * 1024  # boundaries, part headers and a title field


def knowledge_controller(max_upload_bytes: int) -> type[Controller]:
    """The controller, with the upload limit of the settings on its upload route."""

    async def read_upload(request: Request[Any, Any, Any]) -> tuple[str, bytes, str | None]:
        media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media == "multipart/form-data":
            form = await request.form()
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise ValidationFailed.single(
                    "file", "send the document as the multipart field 'file'"
                )
            content = await upload.read()
            title = form.get("title")
            return (
                upload.filename or "upload.txt",
                content,
                title if isinstance(title, str) else None,
            )
        if media != "application/json":
            raise HTTPException(
                status_code=415, detail="Send a multipart/form-data upload or application/json."
            )
        try:
            body = msgspec.json.decode(await request.body(), type=DocumentTextIn)
        except msgspec.ValidationError as e:
            raise ValidationFailed.single("body", str(e)) from e
        except (msgspec.DecodeError, UnicodeDecodeError) as e:
            raise HTTPException(status_code=400, detail=f"The body is not valid JSON: {e}") from e
        if "\x00" in body.text or "\x00" in body.title:
            raise ValidationFailed.single("body", "must not contain NUL characters")
        return "document.md", body.text.encode("utf-8"), body.title

    class KnowledgeController(Controller):
        path = "/api/admin/knowledge"
        tags = ["knowledge"]
        security = [{"BearerToken": []}]

        @get("/documents", operation_id="listDocuments")
        async def list_documents(
            self,
            principal: NamedDependency[Principal],
            list_documents: NamedDependency[ListDocuments],
            tenant_id: TenantQuery = None,
            limit: FromQuery[int | None] = None,
            cursor: FromQuery[str | None] = None,
        ) -> DocumentPageOut:
            page = await list_documents.execute(
                principal, PageRequest.parse(limit, cursor), tenant_id
            )
            return DocumentPageOut(
                items=[DocumentOut.of(d) for d in page.items], next_cursor=page.next_cursor
            )

        @post(
            "/documents",
            operation_id="uploadDocument",
            opt={"body": "raw"},
            request_max_body_size=max_upload_bytes + MULTIPART_OVERHEAD,
            summary="Upload a document: multipart (file, title?) or JSON {title, text}",
        )
        async def upload_document(
            self,
            request: Request[Any, Any, Any],
            principal: NamedDependency[Principal],
            ingest_document: NamedDependency[IngestDocument],
            tenant_id: TenantQuery = None,
        ) -> Response[DocumentOut]:
            filename, content, title = await read_upload(request)
            if len(content) > max_upload_bytes:
                raise HTTPException(
                    status_code=413, detail=f"Documents are limited to {max_upload_bytes} bytes."
                )
            result = await ingest_document.execute(
                IngestDocumentRequest(
                    principal=principal,
                    tenant_id=tenant_id,
                    filename=filename,
                    content=content,
                    title=title,
                )
            )
            return Response(
                DocumentOut.of(result.document), status_code=201 if result.created else 200
            )

        @get("/documents/{document_id:str}", operation_id="getDocument")
        async def get_document(
            self,
            document_id: FromPath[str],
            principal: NamedDependency[Principal],
            get_document: NamedDependency[GetDocument],
            tenant_id: TenantQuery = None,
        ) -> DocumentOut:
            return DocumentOut.of(await get_document.execute(principal, document_id, tenant_id))

        @delete("/documents/{document_id:str}", operation_id="deleteDocument")
        async def delete_document(
            self,
            document_id: FromPath[str],
            principal: NamedDependency[Principal],
            delete_document: NamedDependency[DeleteDocument],
            tenant_id: TenantQuery = None,
        ) -> None:
            await delete_document.execute(principal, document_id, tenant_id)

        @post("/search", operation_id="searchKnowledge", status_code=200)
        async def search(
            self,
            data: JSONBody[SearchIn],
            principal: NamedDependency[Principal],
            search_knowledge: NamedDependency[SearchKnowledge],
            tenant_id: TenantQuery = None,
        ) -> SearchOut:
            hits = await search_knowledge.execute(
                SearchKnowledgeRequest(
                    principal=principal,
                    tenant_id=tenant_id,
                    query=data.query,
                    k=data.k,
                    document_ids=data.document_ids,
                )
            )
            return SearchOut(items=[SearchHitOut.of(h) for h in hits])

        @get("/embedding", operation_id="getEmbeddingSettings")
        async def get_embedding(
            self,
            principal: NamedDependency[Principal],
            get_embedding_settings: NamedDependency[GetEmbeddingSettings],
            tenant_id: TenantQuery = None,
        ) -> EmbeddingSettingsOut:
            return EmbeddingSettingsOut.of(
                await get_embedding_settings.execute(principal, tenant_id)
            )

        @put(
            "/embedding",
            operation_id="changeEmbeddingModel",
            summary="Choose the embedding model; a change queues re-embedding (see job)",
        )
        async def change_embedding(
            self,
            data: JSONBody[EmbeddingModelIn],
            principal: NamedDependency[Principal],
            change_embedding_model: NamedDependency[ChangeEmbeddingModel],
            tenant_id: TenantQuery = None,
        ) -> EmbeddingSettingsOut:
            settings = await change_embedding_model.execute(
                ChangeEmbeddingModelRequest(
                    principal=principal, tenant_id=tenant_id, model=data.model
                )
            )
            return EmbeddingSettingsOut.of(settings)

        @get("/jobs", operation_id="listJobs")
        async def list_jobs(
            self,
            principal: NamedDependency[Principal],
            list_jobs: NamedDependency[ListJobs],
            tenant_id: TenantQuery = None,
            limit: FromQuery[int | None] = None,
            cursor: FromQuery[str | None] = None,
        ) -> JobPageOut:
            page = await list_jobs.execute(principal, PageRequest.parse(limit, cursor), tenant_id)
            return JobPageOut(
                items=[JobOut.of(j) for j in page.items], next_cursor=page.next_cursor
            )

        @get("/jobs/{job_id:str}", operation_id="getJob")
        async def get_job(
            self,
            job_id: FromPath[str],
            principal: NamedDependency[Principal],
            get_job: NamedDependency[GetJob],
            tenant_id: TenantQuery = None,
        ) -> JobOut:
            return JobOut.of(await get_job.execute(principal, job_id, tenant_id))

    return KnowledgeController
