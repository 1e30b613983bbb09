"""Ports of the LLM layer: chat models and embedders. Adapters live in ``itl_adapters.llm``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Protocol

from itl_core.llm.model import ChatRequest, ChatResponse, StreamEvent


class ChatModel(Protocol):
    """Answers a request, streamed or whole; faults raise ``UpstreamUnavailable`` (or subclass).

    ``stream`` returns an async generator honouring the stream contract of ``itl_core.llm.model``
    (``Finished`` last, or an exception); a consumer that stops early closes it (``aclose``).
    Implementations do not retry: ``itl_core.llm.retry`` holds the one retry policy.
    """

    def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]: ...

    async def complete(self, request: ChatRequest) -> ChatResponse: ...


class Embedder(Protocol):
    """Maps texts, in order, to vectors of ``dimensions`` floats; closer meaning, higher cosine."""

    @property
    def dimensions(self) -> int: ...

    async def embed(self, texts: Sequence[str]) -> list[list[float]]: ...
