"""What a chat turn tells its consumer, in order: the events mirror the SSE contract of API.md.

``ChatTurn.execute`` yields::

    SessionStarted            once, first             SSE ``session``
    Routed                    once                    SSE ``routing``
    Token | ToolCalled | ToolReturned | Cited         SSE ``token`` / ``tool_call`` /
                              zero or more              ``tool_result`` / ``citation``
    Done | Failed             exactly one, last       SSE ``done`` / ``error``

``event`` on each class is its SSE event name. ``collect_result`` folds a stream into the
``ChatResult`` the non-streaming endpoint answers (or raises the ``Failed`` error).
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from itl_core.errors import DomainError
from itl_core.tools.ports import Citation


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionStarted:
    """The session of this turn (new or continued) and the id of the assistant message."""

    event: ClassVar[str] = "session"
    session_id: str
    message_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Routed:
    """The supervisor's decision; ``method`` is one of rule/similarity/llm/sticky/fallback."""

    event: ClassVar[str] = "routing"
    agent_id: str
    agent_name: str
    method: str
    confidence: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Token:
    """A piece of answer text, as the model streamed it (never batched)."""

    event: ClassVar[str] = "token"
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolCalled:
    event: ClassVar[str] = "tool_call"
    id: str
    name: str
    arguments: Mapping[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolReturned:
    """``ok`` is False when the tool failed, timed out or was unknown (the model saw why)."""

    event: ClassVar[str] = "tool_result"
    id: str
    name: str
    ok: bool
    latency_ms: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Cited:
    event: ClassVar[str] = "citation"
    citation: Citation


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatResult:
    """The JSON answer of the chat endpoint.

    ``agent`` is the answering agent's name (``agent_id`` its id). ``metadata`` holds
    ``routing {agent, agent_id, method, confidence}``, ``tools [{id, name, ok, latency_ms}]``,
    ``citations [{document_id, title, chunk_id}]``, ``usage {input_tokens, output_tokens,
    cost_usd}`` (cost None when the model's price is unknown), ``latency_ms``, ``provider``,
    ``model``, and when they apply ``stopped`` (a ``Stopped`` value) and ``handoff: true``.
    It is also what the assistant message stores as its metadata.
    """

    response: str
    agent: str
    agent_id: str
    session_id: str
    message_id: str
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The API.md response body (plain JSON types)."""
        return {
            "response": self.response,
            "agent": self.agent,
            "session_id": self.session_id,
            "message_id": self.message_id,
            "metadata": dict(self.metadata),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Done:
    event: ClassVar[str] = "done"
    result: ChatResult


@dataclass(frozen=True, slots=True, kw_only=True)
class Failed:
    """The turn failed after it started; ``retryable`` tells the client whether to try again."""

    event: ClassVar[str] = "error"
    error: DomainError
    retryable: bool


ChatEvent = SessionStarted | Routed | Token | ToolCalled | ToolReturned | Cited | Done | Failed


async def collect_result(events: AsyncIterable[ChatEvent]) -> ChatResult:
    """The ``ChatResult`` of a turn's events; raises the error of a ``Failed`` event."""
    async for event in events:
        if isinstance(event, Done):
            return event.result
        if isinstance(event, Failed):
            raise event.error
    raise RuntimeError("a chat turn ended without Done or Failed")  # a bug in the producer
