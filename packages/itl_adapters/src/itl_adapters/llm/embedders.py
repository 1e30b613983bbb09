"""The embedding models tenants may choose for their knowledge (``EmbeddingModels``).

Every model here must produce vectors of the knowledge index's width (384): the index holds one
width, and a model of another width could never be switched to without mixing. The offline
models need no key and no network; ``offline`` is every tenant's default and also the routing
embedder. Provider models use the tenant's own provider key (the same sealed keys as its chat
models, decrypted only here) and are asked for 384-d vectors: OpenAI's text-embedding-3 models
shorten their output server-side. Another provider's model is one more entry and builder.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from itl_core.errors import NotFound, ValidationFailed
from itl_core.knowledge.embedding import DEFAULT_EMBEDDING_MODEL, EmbeddingModel
from itl_core.llm.ports import Embedder
from itl_core.provider_keys.ports import ProviderKeyRepository
from itl_core.security.ports import SecretBox, secret_context

from itl_adapters.llm.openai import OpenAIEmbedder
from itl_adapters.settings import Settings

__all__ = [
    "EmbeddingCatalog",
    "ProviderEmbedders",
    "ProviderModel",
    "default_embedding_catalog",
    "provider_embedders_resource",
]


class ClosableEmbedder(Embedder, Protocol):
    async def aclose(self) -> None: ...


# (api key, the vendor's model id) -> an embedder of the index's width
Builder = Callable[[str, str], ClosableEmbedder]


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderModel:
    """A provider's embedding model: ``model.provider`` says whose key, ``vendor_id`` is the
    model's name at the vendor."""

    model: EmbeddingModel
    vendor_id: str


OPENAI_MODELS = (
    ProviderModel(
        model=EmbeddingModel(
            name="openai:text-embedding-3-small",
            dimensions=384,
            description="OpenAI text-embedding-3-small at 384 dimensions (the tenant's key).",
            provider="openai",
        ),
        vendor_id="text-embedding-3-small",
    ),
    ProviderModel(
        model=EmbeddingModel(
            name="openai:text-embedding-3-large",
            dimensions=384,
            description="OpenAI text-embedding-3-large at 384 dimensions (the tenant's key).",
            provider="openai",
        ),
        vendor_id="text-embedding-3-large",
    ),
)


class ProviderEmbedders:
    """Provider embedders built with the tenants' keys, kept per (tenant, model, key) so a
    client is reused until the key changes, and closed with the app."""

    def __init__(
        self,
        *,
        keys: ProviderKeyRepository,
        box: SecretBox,
        builders: Mapping[str, Builder],
        max_cached: int = 256,
    ) -> None:
        self._keys, self._box, self._builders, self._max_cached = keys, box, builders, max_cached
        self._cached: OrderedDict[tuple[str, str, str], ClosableEmbedder] = OrderedDict()

    async def get(self, tenant_id: str, provider: str, vendor_id: str) -> Embedder:
        stored = await self._keys.get(tenant_id, provider)
        if stored is None or provider not in self._builders:
            raise ValidationFailed.single("model", f"needs the tenant's {provider} provider key")
        slot = (tenant_id, vendor_id, hashlib.sha256(stored.sealed_key).hexdigest())
        embedder = self._cached.get(slot)
        if embedder is None:
            api_key = self._box.open(
                stored.sealed_key, context=secret_context(tenant_id, "provider_key", provider)
            )
            embedder = self._cached[slot] = self._builders[provider](api_key, vendor_id)
            while len(self._cached) > self._max_cached:
                self._cached.popitem(last=False)
        self._cached.move_to_end(slot)
        return embedder

    async def aclose(self) -> None:
        embedders, self._cached = list(self._cached.values()), OrderedDict()
        for embedder in embedders:
            await embedder.aclose()


async def provider_embedders_resource(
    settings: Settings, keys: ProviderKeyRepository, box: SecretBox
) -> AsyncIterator[ProviderEmbedders]:
    """The tenants' provider embedders; their clients close with the app."""

    def openai_embedder(api_key: str, vendor_id: str) -> ClosableEmbedder:
        return OpenAIEmbedder(
            api_key=api_key,
            model=vendor_id,
            dimensions=384,
            base_url=settings.openai_base_url,
            timeout=float(settings.model_timeout),
        )

    embedders = ProviderEmbedders(keys=keys, box=box, builders={"openai": openai_embedder})
    try:
        yield embedders
    finally:
        await embedders.aclose()


class EmbeddingCatalog:
    def __init__(
        self,
        fixed: Sequence[tuple[EmbeddingModel, Embedder]],
        keyed: Sequence[ProviderModel] = (),
        providers: ProviderEmbedders | None = None,
        *,
        index_dimensions: int,
    ) -> None:
        for model, embedder in fixed:
            if model.dimensions != index_dimensions or embedder.dimensions != index_dimensions:
                raise ValueError(f"{model.name}: the knowledge index holds {index_dimensions}-d")
        if any(entry.model.dimensions != index_dimensions for entry in keyed):
            raise ValueError(f"provider models must yield {index_dimensions}-d vectors")
        self._fixed = {model.name: (model, embedder) for model, embedder in fixed}
        self._keyed = {entry.model.name: entry for entry in keyed} if providers else {}
        self._providers = providers

    def available(self) -> Sequence[EmbeddingModel]:
        return [m for m, _ in self._fixed.values()] + [e.model for e in self._keyed.values()]

    async def embedder(self, tenant_id: str, name: str) -> Embedder:
        if name in self._fixed:
            return self._fixed[name][1]
        entry = self._keyed.get(name)
        if entry is None or self._providers is None or entry.model.provider is None:
            raise NotFound(f"No embedding model is named {name!r}.")
        return await self._providers.get(tenant_id, entry.model.provider, entry.vendor_id)


def default_embedding_catalog(
    offline: Embedder,
    offline_words: Embedder,
    providers: ProviderEmbedders | None = None,
    *,
    index_dimensions: int,
) -> EmbeddingCatalog:
    """The offline models (``offline`` is the default and routing embedder, ``offline_words``
    an ``OfflineEmbedder`` without character trigrams) and, given ``providers``, OpenAI's."""
    return EmbeddingCatalog(
        [
            (
                EmbeddingModel(
                    name=DEFAULT_EMBEDDING_MODEL,
                    dimensions=offline.dimensions,
                    description="Offline feature hashing of words, word pairs and word parts.",
                ),
                offline,
            ),
            (
                EmbeddingModel(
                    name="offline-words",
                    dimensions=index_dimensions,
                    description="Offline feature hashing of whole words and word pairs only.",
                ),
                offline_words,
            ),
        ],
        OPENAI_MODELS,
        providers,
        index_dimensions=index_dimensions,
    )
