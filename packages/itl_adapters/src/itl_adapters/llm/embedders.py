"""The embedding models tenants may choose for their knowledge (``EmbeddingModels``).

Every model here must produce vectors of the knowledge index's width (384): the index holds one
width, and a model of another width could never be switched to without mixing. The offline
models need no key and no network; ``offline`` is every tenant's default and also the routing
embedder. A provider's model plugs in as one more entry whose embedder yields 384-d vectors
(OpenAI's text-embedding-3 models and Google's text-embedding-004 take an output size).
"""

from __future__ import annotations

from collections.abc import Sequence

from itl_core.errors import NotFound
from itl_core.knowledge.embedding import DEFAULT_EMBEDDING_MODEL, EmbeddingModel
from itl_core.llm.ports import Embedder

__all__ = ["EmbeddingCatalog", "default_embedding_catalog"]


class EmbeddingCatalog:
    def __init__(
        self, models: Sequence[tuple[EmbeddingModel, Embedder]], *, index_dimensions: int
    ) -> None:
        for model, embedder in models:
            if model.dimensions != index_dimensions or embedder.dimensions != index_dimensions:
                raise ValueError(f"{model.name}: the knowledge index holds {index_dimensions}-d")
        self._models = {model.name: (model, embedder) for model, embedder in models}

    def available(self) -> Sequence[EmbeddingModel]:
        return [model for model, _ in self._models.values()]

    def embedder(self, name: str) -> Embedder:
        try:
            return self._models[name][1]
        except KeyError:
            raise NotFound(f"No embedding model is named {name!r}.") from None


def default_embedding_catalog(
    offline: Embedder, offline_words: Embedder, *, index_dimensions: int
) -> EmbeddingCatalog:
    """The offline models: ``offline`` is the default (and routing) embedder,
    ``offline_words`` an ``OfflineEmbedder`` without character trigrams."""
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
        index_dimensions=index_dimensions,
    )
