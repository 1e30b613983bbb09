"""Which embedding model a tenant's knowledge uses, and re-embedding when it changes.

Two names matter per tenant:

- the **requested** model: ``settings["embedding_model"]`` on the tenant (unset: the offline
  default), chosen by a tenant admin (``ChangeEmbeddingModel``) or a platform admin (tenant
  settings), always one of the available models;
- the **active** model: the one that embedded the vectors search reads. Only a ``reembed`` job
  changes it, and only by an atomic switch once every chunk has a vector of the new model.

Vectors of two models never meet. The job writes the new model's vectors beside the active ones
(``EmbeddingStore.store``), so search and ingestion keep using the active model meanwhile; the
switch then replaces every vector and the active name in one transaction. Ingestion embeds with
the active model read after its document is recorded (``TenantEmbedders.for_tenant`` with
``writing``), and the switch refuses while a document is being ingested, so an upload racing a
switch is either re-embedded by the job or embedded with the new model, never stored stale.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from itl_core.access import Principal, Role, require_role, target_tenant
from itl_core.clock import Clock
from itl_core.errors import FieldError, NotFound, ValidationFailed
from itl_core.ids import IdGenerator
from itl_core.jobs.model import Job
from itl_core.jobs.ports import JobQueue
from itl_core.jobs.runner import Progress
from itl_core.knowledge.chunking import ChunkDraft
from itl_core.knowledge.indexing import IndexScheduler
from itl_core.knowledge.search import KnowledgeSearch, SearchHit
from itl_core.llm.ports import Embedder
from itl_core.tenants.model import Tenant
from itl_core.tenants.ports import TenantRepository

DEFAULT_EMBEDDING_MODEL = "offline"
SETTINGS_KEY = "embedding_model"
REEMBED = "reembed"  # the job kind
REEMBED_BATCH = 64
# A document still ``processing`` after this long was abandoned (its process died): it no longer
# holds back a switch. Ingesting even a maximal upload takes well under a minute.
INGEST_TIMEOUT = timedelta(minutes=10)
SWITCH_RETRY_SECONDS = 1.0

WRITERS = (Role.PLATFORM_ADMIN, Role.TENANT_ADMIN)
READERS = (Role.PLATFORM_ADMIN, Role.TENANT_ADMIN, Role.OPERATOR)


@dataclass(frozen=True, slots=True, kw_only=True)
class EmbeddingModel:
    """``provider`` names the vendor whose key the tenant needs for it (None: no key)."""

    name: str
    dimensions: int
    description: str
    provider: str | None = None


class EmbeddingModels(Protocol):
    """The embedding models tenants may choose, each usable by the knowledge index."""

    def available(self) -> Sequence[EmbeddingModel]: ...

    async def embedder(self, tenant_id: str, name: str) -> Embedder:
        """The model's embedder for the tenant (with its provider key, if the model needs
        one): NotFound for a name ``available`` does not list, ValidationFailed when the
        tenant has no key for the model's provider."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class PendingChunk:
    """A chunk still lacking a vector of the model being introduced."""

    id: str
    text: str
    heading_path: tuple[str, ...] = ()

    @property
    def indexed_text(self) -> str:
        """The text ingestion embedded for this chunk (heading path and passage)."""
        return ChunkDraft(position=0, text=self.text, heading_path=self.heading_path).indexed_text


class EmbeddingStore(Protocol):
    """A tenant's active model and the vectors of the model being introduced.

    - ``active_model``: the model of the searchable vectors (the default until a first switch);
      ``writing`` waits for a switch in progress to commit (ingestion reads it this way).
    - ``prepare``: record the active model explicitly, so a switch and the writers contend on it.
    - ``progress``: how many of the tenant's chunks have a vector of ``model``, of how many.
    - ``pending``: up to ``limit`` chunks lacking a vector of ``model``.
    - ``store``: keep vectors of ``model`` beside the active ones (chunks deleted meanwhile are
      skipped; ValidationFailed for a vector the index cannot hold).
    - ``switch``: in one transaction, make ``model`` active with its vectors, only if every chunk
      has one and no document started ingesting after ``ingesting_since`` is still processing;
      answers whether it switched.
    - ``discard``: drop the stored vectors of every model but ``keep``.
    """

    async def active_model(self, tenant_id: str, *, writing: bool = False) -> str: ...

    async def prepare(self, tenant_id: str) -> None: ...

    async def progress(self, tenant_id: str, model: str) -> tuple[int, int]: ...

    async def pending(self, tenant_id: str, model: str, limit: int) -> list[PendingChunk]: ...

    async def store(
        self, tenant_id: str, model: str, vectors: Mapping[str, Sequence[float]]
    ) -> None: ...

    async def switch(self, tenant_id: str, model: str, *, ingesting_since: datetime) -> bool: ...

    async def discard(self, tenant_id: str, *, keep: str | None) -> None: ...


class EmbedderSource(Protocol):
    """The embedder of a tenant's knowledge (see ``TenantEmbedders``)."""

    async def for_tenant(self, tenant_id: str, *, writing: bool = False) -> Embedder: ...


class TenantEmbedders:
    """Each tenant's active model, as an embedder: what ingestion and search embed with."""

    def __init__(self, store: EmbeddingStore, models: EmbeddingModels) -> None:
        self._store, self._models = store, models

    async def for_tenant(self, tenant_id: str, *, writing: bool = False) -> Embedder:
        model = await self._store.active_model(tenant_id, writing=writing)
        return await self._models.embedder(tenant_id, model)


class OneEmbedder:
    """One embedder for every tenant: for services and tests that use a single model."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder

    async def for_tenant(self, tenant_id: str, *, writing: bool = False) -> Embedder:
        return self._embedder


def requested_model(tenant: Tenant) -> str:
    model = tenant.settings.get(SETTINGS_KEY)
    return model if isinstance(model, str) else DEFAULT_EMBEDDING_MODEL


def embedding_model_errors(
    settings: Mapping[str, Any], models: Collection[str]
) -> list[FieldError]:
    """The field error of ``settings["embedding_model"]`` when set to an unavailable model."""
    if SETTINGS_KEY not in settings:
        return []
    model = settings[SETTINGS_KEY]
    if not isinstance(model, str) or model not in models:
        return [FieldError(f"settings.{SETTINGS_KEY}", f"must be one of: {', '.join(models)}")]
    return []


class ReembedScheduler:
    """Validates a tenant's requested model and queues the job that makes it active."""

    def __init__(
        self,
        models: EmbeddingModels,
        store: EmbeddingStore,
        jobs: JobQueue,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._models, self._store, self._jobs = models, store, jobs
        self._clock, self._ids = clock, ids

    def errors(self, settings: Mapping[str, Any]) -> list[FieldError]:
        return embedding_model_errors(settings, [m.name for m in self._models.available()])

    async def schedule(self, tenant: Tenant) -> Job | None:
        """Queue a ``reembed`` job when the requested model is not the active one."""
        if requested_model(tenant) == await self._store.active_model(tenant.id):
            return None
        now = self._clock.now()
        return await self._jobs.enqueue(
            Job(
                id=self._ids.new_id(),
                tenant_id=tenant.id,
                kind=REEMBED,
                payload={"model": requested_model(tenant)},
                created_at=now,
                updated_at=now,
            )
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class EmbeddingSettings:
    active_model: str
    requested_model: str
    models: Sequence[EmbeddingModel]
    job: Job | None = None


class GetEmbeddingSettings:
    def __init__(
        self, tenants: TenantRepository, store: EmbeddingStore, models: EmbeddingModels
    ) -> None:
        self._tenants, self._store, self._models = tenants, store, models

    async def execute(
        self, principal: Principal, tenant_id: str | None = None
    ) -> EmbeddingSettings:
        require_role(principal, *READERS)
        tenant = await _tenant(self._tenants, target_tenant(principal, tenant_id))
        return EmbeddingSettings(
            active_model=await self._store.active_model(tenant.id),
            requested_model=requested_model(tenant),
            models=self._models.available(),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeEmbeddingModelRequest:
    principal: Principal
    tenant_id: str | None
    model: str


class ChangeEmbeddingModel:
    """Records the requested model and queues re-embedding (the job is answered, if any)."""

    def __init__(
        self,
        tenants: TenantRepository,
        store: EmbeddingStore,
        models: EmbeddingModels,
        scheduler: ReembedScheduler,
        clock: Clock,
    ) -> None:
        self._tenants, self._store, self._models = tenants, store, models
        self._scheduler, self._clock = scheduler, clock

    async def execute(self, request: ChangeEmbeddingModelRequest) -> EmbeddingSettings:
        require_role(request.principal, *WRITERS)
        tenant = await _tenant(self._tenants, target_tenant(request.principal, request.tenant_id))
        if errors := self._scheduler.errors({SETTINGS_KEY: request.model}):
            raise ValidationFailed([FieldError("model", e.message) for e in errors])
        await self._models.embedder(tenant.id, request.model)  # refused without the key it needs
        if requested_model(tenant) != request.model:
            tenant = replace(
                tenant,
                settings={**tenant.settings, SETTINGS_KEY: request.model},
                updated_at=self._clock.now(),
            )
            await self._tenants.update(tenant)
        return EmbeddingSettings(
            active_model=await self._store.active_model(tenant.id),
            requested_model=request.model,
            models=self._models.available(),
            job=await self._scheduler.schedule(tenant),
        )


async def _tenant(tenants: TenantRepository, tenant_id: str) -> Tenant:
    tenant = await tenants.get(tenant_id)
    if tenant is None:
        raise NotFound(f"Tenant '{tenant_id}' does not exist.")
    return tenant


class ReembedTenant:
    """The ``reembed`` job: bring the tenant's active model to its requested model.

    It reads the requested model before every batch, so a model changed again mid-way restarts
    the work for the newest choice (dropping the vectors of the abandoned one), and a change
    back to the active model ends the job with nothing switched. A switch takes every chunk out
    of the tenant's vector graph, so it then queues the tenant's ``index`` job (``indexes``).
    """

    def __init__(
        self,
        tenants: TenantRepository,
        store: EmbeddingStore,
        models: EmbeddingModels,
        clock: Clock,
        *,
        batch: int = REEMBED_BATCH,
        indexes: IndexScheduler | None = None,
        pause: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._tenants, self._store, self._models, self._clock = tenants, store, models, clock
        self._batch, self._indexes, self._pause = batch, indexes, pause

    async def run(self, job: Job, progress: Progress) -> None:
        tenant_id = job.tenant_id
        await self._store.prepare(tenant_id)
        while True:
            tenant = await self._tenants.get(tenant_id)
            if tenant is None:
                return  # deleted meanwhile: its knowledge went with it
            target = requested_model(tenant)
            await self._store.discard(tenant_id, keep=target)
            if target == await self._store.active_model(tenant_id):
                return
            await self._step(tenant_id, target, progress)

    async def _step(self, tenant_id: str, target: str, progress: Progress) -> None:
        done, total = await self._store.progress(tenant_id, target)
        await progress.report(done, total)
        pending = await self._store.pending(tenant_id, target, self._batch)
        if pending:
            embedder = await self._models.embedder(tenant_id, target)
            vectors = await embedder.embed([c.indexed_text for c in pending])
            if len(vectors) != len(pending) or any(len(v) != embedder.dimensions for v in vectors):
                raise ValidationFailed.single(
                    "embedding", f"model {target!r} did not return {embedder.dimensions}-d vectors"
                )
            await self._store.store(
                tenant_id, target, {c.id: v for c, v in zip(pending, vectors, strict=True)}
            )
            return
        since = self._clock.now() - INGEST_TIMEOUT
        if await self._store.switch(tenant_id, target, ingesting_since=since):
            if self._indexes is not None:
                await self._indexes.schedule(tenant_id)
        else:  # an upload is being ingested: the switch waits for it to settle
            await self._pause(SWITCH_RETRY_SECONDS)


class ActiveModelSearch:
    """``KnowledgeSearch`` that embeds each query with its tenant's active model.

    ``build`` makes the search for one embedder (e.g. the PostgreSQL search over that model's
    vectors); one is kept per model.
    """

    def __init__(
        self, build: Callable[[Embedder], KnowledgeSearch], embedders: EmbedderSource
    ) -> None:
        self._build, self._embedders = build, embedders
        self._searches: dict[Embedder, KnowledgeSearch] = {}

    async def search(
        self, tenant_id: str, query: str, k: int, *, document_ids: Sequence[str] | None = None
    ) -> list[SearchHit]:
        embedder = await self._embedders.for_tenant(tenant_id)
        search = self._searches.get(embedder)
        if search is None:
            search = self._searches[embedder] = self._build(embedder)
        return await search.search(tenant_id, query, k, document_ids=document_ids)
