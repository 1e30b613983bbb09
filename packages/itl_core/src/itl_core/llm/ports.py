"""Ports of the LLM layer: chat models, their per-tenant resolution, and embedders.

Adapters live in ``itl_adapters.llm``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from itl_core.agents.model import Agent
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


@dataclass(frozen=True, slots=True, kw_only=True)
class ResolvedModel:
    """The model an agent talks to this turn, and what to report about it."""

    chat_model: ChatModel
    provider: str
    model: str


class ChatModelResolver(Protocol):
    """Picks the ChatModel for a tenant's agent: its provider with the tenant's own key (decrypted
    only inside the adapter, retried by our policy, failing over to the tenant's fallback), or the
    offline model when the tenant has no key for that provider."""

    async def for_agent(self, tenant_id: str, agent: Agent) -> ResolvedModel: ...
