"""Changing a tenant's embedding model re-embeds its knowledge in a background job, through the
real container over in-memory fakes: who may change it, what the job does, and that searches
use exactly one model's vectors at every moment."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta

import pytest
from dependency_injector import providers
from itl_adapters.containers import Application
from itl_adapters.llm.embedders import ProviderEmbedders
from itl_adapters.llm.offline import OfflineEmbedder
from itl_adapters.memory.knowledge_search import MemoryKnowledgeSearch
from itl_adapters.memory.store import MemoryStore
from itl_core.access import Principal
from itl_core.errors import NotFound, PermissionDenied, ValidationFailed
from itl_core.jobs.model import Job, JobStatus
from itl_core.jobs.runner import Progress
from itl_core.knowledge.embedding import (
    DEFAULT_EMBEDDING_MODEL,
    REEMBED,
    ChangeEmbeddingModelRequest,
    ReembedTenant,
)
from itl_core.knowledge.ingest import IngestDocumentRequest
from itl_core.knowledge.model import DocumentStatus
from itl_core.knowledge.use_cases import SearchKnowledgeRequest
from itl_core.pagination import PageRequest
from itl_core.provider_keys.use_cases import PutProviderKeyRequest
from itl_core.tenants.model import Tenant
from itl_core.tenants.use_cases import UpdateTenantRequest

from tests.support.documents import SAMPLE_FILES
from tests.support.fake_vendors import openai as wire
from tests.support.fake_vendors.server import FakeVendor
from tests.support.platform import Platform

NEW = "offline-words"
OPENAI = "openai:text-embedding-3-small"
WORDS = OfflineEmbedder(char_trigrams=False)
QUERY = "refrigerated container temperature"
LEASE = timedelta(seconds=60)


async def handler(container: Application, **kw: object) -> ReembedTenant:
    """The job's handler as the container builds it, with a smaller batch or another pause."""
    built = container.use_cases.reembed_tenant(**kw)
    return await built if inspect.isawaitable(built) else built


async def claim(container: Application) -> Job:
    job = await container.repositories.jobs().claim(container.infra.clock().now(), LEASE)
    assert job is not None
    return job


class Watching(Progress):
    """Progress that runs a check before each report (the job's state between its batches)."""

    def __init__(
        self, container: Application, job: Job, check: Callable[[int, int], Awaitable[None]]
    ):
        super().__init__(container.repositories.jobs(), job, container.infra.clock(), LEASE)
        self.check, self.seen = check, list[tuple[int, int]]()

    async def report(self, done: int, total: int) -> None:
        self.seen.append((done, total))
        await self.check(done, total)
        await super().report(done, total)


async def ingest_samples(platform: Platform, who: Principal, names: list[str]) -> int:
    ingest = await platform.use("ingest_document")
    chunks = 0
    for name in names:
        result = await ingest.execute(
            IngestDocumentRequest(
                principal=who, tenant_id=None, filename=name, content=SAMPLE_FILES[name]
            )
        )
        chunks += result.document.chunks
    return chunks


async def change(platform: Platform, who: Principal, model: str, tenant: str | None = None):
    use_case = await platform.use("change_embedding_model")
    return await use_case.execute(
        ChangeEmbeddingModelRequest(principal=who, tenant_id=tenant, model=model)
    )


async def search(platform: Platform, who: Principal) -> list[tuple[str, float]]:
    use_case = await platform.use("search_knowledge")
    hits = await use_case.execute(
        SearchKnowledgeRequest(principal=who, tenant_id=None, query=QUERY, k=5)
    )
    return [(h.chunk_id, h.score) for h in hits]


async def expected_hits(store: MemoryStore, embedder: OfflineEmbedder) -> list[tuple[str, float]]:
    hits = await MemoryKnowledgeSearch(store, embedder).search("acme", QUERY, 5)
    return [(h.chunk_id, h.score) for h in hits]


async def vectors_match(store: MemoryStore, embedder: OfflineEmbedder) -> bool:
    for c in store.chunks.values():
        text = " / ".join((*c.heading_path, c.text)) if c.heading_path else c.text
        [want] = await embedder.embed([text])
        if c.embedding != pytest.approx(want):
            return False
    return True


async def test_a_tenant_admin_changes_the_model_and_a_job_switches_every_vector(
    platform: Platform, acme_admin: Principal, store: MemoryStore
) -> None:
    chunks = await ingest_samples(platform, acme_admin, ["reefer.txt", "warehouse.md"])
    old_hits = await search(platform, acme_admin)
    assert old_hits == await expected_hits(store, OfflineEmbedder())

    settings = await change(platform, acme_admin, NEW)
    assert (settings.active_model, settings.requested_model) == (DEFAULT_EMBEDDING_MODEL, NEW)
    assert settings.job is not None and settings.job.kind == REEMBED
    assert settings.job.status is JobStatus.QUEUED and settings.job.payload == {"model": NEW}
    assert await search(platform, acme_admin) == old_hits  # nothing switched yet

    runner = await platform.use("job_runner")
    ran = await runner.run_next()
    assert ran is not None and ran.id == settings.job.id
    get_job = await platform.use("get_job")
    job = await get_job.execute(acme_admin, ran.id)
    assert job.status is JobStatus.SUCCEEDED and job.done == job.total == chunks

    current = await (await platform.use("get_embedding_settings")).execute(acme_admin)
    assert (current.active_model, current.requested_model) == (NEW, NEW)
    assert await vectors_match(store, WORDS)
    assert await search(platform, acme_admin) == await expected_hits(store, WORDS)


async def test_the_old_model_serves_searches_until_the_switch(
    platform: Platform, container: Application, acme_admin: Principal, store: MemoryStore
) -> None:
    chunks = await ingest_samples(platform, acme_admin, ["reefer.txt", "warehouse.md", "rates.csv"])
    before = await search(platform, acme_admin)
    await change(platform, acme_admin, NEW)

    async def unmixed(done: int, total: int) -> None:
        if done < total:
            assert await search(platform, acme_admin) == before
            assert await vectors_match(store, OfflineEmbedder())

    job = await claim(container)
    progress = Watching(container, job, unmixed)
    await (await handler(container, batch=1)).run(job, progress)
    assert progress.seen[0] == (0, chunks) and progress.seen[-1] == (chunks, chunks)
    assert len(progress.seen) == chunks + 1
    assert await vectors_match(store, WORDS)
    assert await search(platform, acme_admin) == await expected_hits(store, WORDS)


async def test_documents_ingested_during_the_job_are_re_embedded_before_the_switch(
    platform: Platform, container: Application, acme_admin: Principal, store: MemoryStore
) -> None:
    first = await ingest_samples(platform, acme_admin, ["reefer.txt"])
    await change(platform, acme_admin, NEW)
    added: list[int] = []

    async def upload_once(done: int, total: int) -> None:
        if not added:
            added.append(await ingest_samples(platform, acme_admin, ["warehouse.md"]))

    job = await claim(container)
    progress = Watching(container, job, upload_once)
    await (await handler(container, batch=1)).run(job, progress)
    assert progress.seen[-1] == (first + added[0], first + added[0])
    assert await vectors_match(store, WORDS)


async def test_a_document_still_being_ingested_holds_the_switch_until_it_settles(
    platform: Platform, container: Application, acme_admin: Principal, store: MemoryStore
) -> None:
    await ingest_samples(platform, acme_admin, ["reefer.txt"])
    [doc] = store.documents.values()
    store.documents[doc.id] = replace(doc, status=DocumentStatus.PROCESSING)  # an upload midway
    await change(platform, acme_admin, NEW)
    pauses: list[float] = []

    async def settle_upload(seconds: float) -> None:
        pauses.append(seconds)
        assert (await container.repositories.embeddings().active_model("acme")) != NEW
        store.documents[doc.id] = replace(doc, status=DocumentStatus.READY)

    job = await claim(container)
    reembed = await handler(container, pause=settle_upload)
    await reembed.run(job, Watching(container, job, nothing))
    assert len(pauses) == 1
    assert await container.repositories.embeddings().active_model("acme") == NEW
    assert await vectors_match(store, WORDS)


async def test_changing_back_mid_way_drops_the_staged_vectors_and_switches_nothing(
    platform: Platform, container: Application, acme_admin: Principal, store: MemoryStore
) -> None:
    chunks = await ingest_samples(platform, acme_admin, ["reefer.txt", "warehouse.md"])
    await change(platform, acme_admin, NEW)
    embeddings = container.repositories.embeddings()

    async def change_back_after_one(done: int, total: int) -> None:
        if done == 1:
            settings = await change(platform, acme_admin, DEFAULT_EMBEDDING_MODEL)
            assert settings.job is None  # the requested model is the active one again

    job = await claim(container)
    progress = Watching(container, job, change_back_after_one)
    await (await handler(container, batch=1)).run(job, progress)
    assert progress.seen[-1] == (1, chunks)  # stopped at the change
    assert await embeddings.progress("acme", NEW) == (0, chunks)  # staged vectors dropped
    assert await embeddings.active_model("acme") == DEFAULT_EMBEDDING_MODEL
    assert await vectors_match(store, OfflineEmbedder())


async def test_only_known_models_are_accepted_and_only_from_writers_of_the_tenant(
    platform: Platform, acme_admin: Principal, acme_operator: Principal, globex_admin: Principal
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        await change(platform, acme_admin, "text-embedding-ada-002")
    assert refused.value.errors[0].field == "model"
    assert "offline-words" in refused.value.errors[0].message
    with pytest.raises(PermissionDenied):
        await change(platform, acme_operator, NEW)
    with pytest.raises(NotFound):
        await change(platform, globex_admin, NEW, tenant="acme")
    reader = await platform.use("get_embedding_settings")
    seen = await reader.execute(acme_operator)  # operators may look
    assert [m.name for m in seen.models][:2] == [DEFAULT_EMBEDDING_MODEL, NEW]
    assert {m.provider for m in seen.models} == {None, "openai"}
    assert all(m.dimensions == 384 for m in seen.models)


async def test_a_provider_model_needs_the_tenants_key_then_embeds_through_it(
    platform: Platform, container: Application, acme_admin: Principal, store: MemoryStore
) -> None:
    await ingest_samples(platform, acme_admin, ["reefer.txt"])
    with pytest.raises(ValidationFailed) as refused:
        await change(platform, acme_admin, OPENAI)
    assert refused.value.errors[0].message == "needs the tenant's openai provider key"
    put_key = await platform.use("put_provider_key")
    await put_key.execute(
        PutProviderKeyRequest(
            principal=acme_admin, tenant_id=None, provider="openai", api_key="sk-acme-secret"
        )
    )
    [chunk] = store.chunks.values()
    async with FakeVendor() as vendor:
        embedders = ProviderEmbedders(
            keys=container.repositories.provider_keys(),
            box=container.infra.secret_box(),
            builders={"openai": lambda key, model: wire.embedder(vendor.url, key, model)},
        )
        container.repositories.provider_embedders.override(providers.Object(embedders))
        vendor.reply(wire.embeddings([[0.5] * 384]), wire.embeddings([[0.5] * 384]))
        settings = await change(platform, acme_admin, OPENAI)
        assert settings.job is not None
        await (await platform.use("job_runner")).run_next()
        assert store.chunks[chunk.id].embedding == (0.5,) * 384
        hits = await search(platform, acme_admin)  # the query is embedded by the provider too
        await embedders.aclose()
    assert [h[0] for h in hits] == [chunk.id]
    job_request, query_request = vendor.requests
    assert job_request.path == "/v1/embeddings"
    assert job_request.headers["authorization"] == "Bearer sk-acme-secret"
    assert job_request.body["model"] == "text-embedding-3-small"
    assert job_request.body["dimensions"] == 384
    assert query_request.body["input"] == [QUERY]


async def test_setting_the_same_model_again_queues_nothing(
    platform: Platform, acme_admin: Principal
) -> None:
    assert (await change(platform, acme_admin, DEFAULT_EMBEDDING_MODEL)).job is None
    first = await change(platform, acme_admin, NEW)
    again = await change(platform, acme_admin, NEW)
    assert first.job is not None and again.job == first.job  # one queued job per tenant


async def test_platform_admins_set_the_model_in_tenant_settings_with_the_same_rules(
    platform: Platform, root: Principal, acme: Tenant
) -> None:
    update = await platform.use("update_tenant")
    with pytest.raises(ValidationFailed) as refused:
        await update.execute(
            UpdateTenantRequest(principal=root, tenant_id=acme.id, settings={"embedding_model": 42})
        )
    assert refused.value.errors[0].field == "settings.embedding_model"
    await update.execute(
        UpdateTenantRequest(principal=root, tenant_id=acme.id, settings={"embedding_model": NEW})
    )
    jobs = await (await platform.use("list_jobs")).execute(root, PageRequest(), acme.id)
    assert [(j.kind, j.payload) for j in jobs.items] == [(REEMBED, {"model": NEW})]


async def nothing(done: int, total: int) -> None:
    return None
