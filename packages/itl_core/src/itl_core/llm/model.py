"""The provider-neutral message model every ``ChatModel`` speaks.

A conversation is a tuple of ``ChatMessage``s. An assistant message may carry ``ToolCall``s; each
call is answered by one ``tool`` message carrying a ``ToolResult`` with the call's id.

A streamed answer is a sequence of ``StreamEvent``s with this contract:

- ``TextDelta`` and ``ToolCallDelta`` in the order the provider produced them;
- one ``ToolCallComplete`` per tool call, with its arguments parsed, before ``Finished``;
- at most one ``Usage``, before ``Finished``;
- exactly one ``Finished``, always last. A stream that ends without it was cut, and the model
  raises instead (``UpstreamUnavailable``), so a consumer never mistakes a cut for an answer.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterable, Mapping
from dataclasses import dataclass, field
from typing import Any


class Role(enum.StrEnum):
    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolCall:
    """A model's request to run a tool.

    ``provider_state`` is an opaque token some providers need echoed back verbatim with the call
    in the next request (Gemini's thought signatures); only the adapter that set it reads it.
    """

    id: str
    name: str
    arguments: Mapping[str, Any] = field(default_factory=dict)
    provider_state: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolResult:
    """What a tool returned (or why it failed) for the call ``tool_call_id``; untrusted data."""

    tool_call_id: str
    content: str
    is_error: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatMessage:
    """One turn. ``tool_calls`` only on assistant messages; ``tool_result`` exactly on tool ones."""

    role: Role
    content: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    tool_result: ToolResult | None = None

    def __post_init__(self) -> None:
        if self.tool_calls and self.role is not Role.ASSISTANT:
            raise ValueError("only assistant messages carry tool calls")
        if (self.tool_result is not None) != (self.role is Role.TOOL):
            raise ValueError("a tool message carries exactly one tool result, and only it does")

    @classmethod
    def system(cls, content: str) -> ChatMessage:
        return cls(role=Role.SYSTEM, content=content)

    @classmethod
    def user(cls, content: str) -> ChatMessage:
        return cls(role=Role.USER, content=content)

    @classmethod
    def assistant(cls, content: str = "", tool_calls: tuple[ToolCall, ...] = ()) -> ChatMessage:
        return cls(role=Role.ASSISTANT, content=content, tool_calls=tool_calls)

    @classmethod
    def tool(cls, tool_call_id: str, content: str, *, is_error: bool = False) -> ChatMessage:
        result = ToolResult(tool_call_id=tool_call_id, content=content, is_error=is_error)
        return cls(role=Role.TOOL, content=content, tool_result=result)


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolDefinition:
    """A tool offered to the model; ``parameters`` is a JSON Schema of an object."""

    name: str
    description: str
    parameters: Mapping[str, Any] = field(
        default_factory=lambda: {"type": "object", "properties": {}}
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatRequest:
    """``model`` is the provider's model name; None for temperature/max_tokens: provider default."""

    model: str
    messages: tuple[ChatMessage, ...]
    tools: tuple[ToolDefinition, ...] = ()
    temperature: float | None = None
    max_tokens: int | None = None


class FinishReason(enum.StrEnum):
    STOP = "stop"
    TOOL_CALLS = "tool_calls"
    LENGTH = "length"
    CONTENT_FILTER = "content_filter"
    OTHER = "other"


@dataclass(frozen=True, slots=True, kw_only=True)
class TextDelta:
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolCallDelta:
    """A fragment of a tool call's JSON arguments as it streams; ``index`` orders the calls."""

    index: int
    id: str
    name: str
    arguments_fragment: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolCallComplete:
    """A whole tool call; the one event a tool loop acts on."""

    id: str
    name: str
    arguments: Mapping[str, Any]
    provider_state: str | None = None

    @property
    def call(self) -> ToolCall:
        return ToolCall(
            id=self.id,
            name=self.name,
            arguments=self.arguments,
            provider_state=self.provider_state,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Usage:
    input_tokens: int
    output_tokens: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Finished:
    reason: FinishReason


StreamEvent = TextDelta | ToolCallDelta | ToolCallComplete | Usage | Finished


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatResponse:
    """A whole answer: the text, the tool calls to run, and what it cost."""

    text: str
    tool_calls: tuple[ToolCall, ...] = ()
    usage: Usage | None = None
    finish_reason: FinishReason = FinishReason.STOP

    def as_message(self) -> ChatMessage:
        return ChatMessage.assistant(self.text, self.tool_calls)


async def collect(events: AsyncIterable[StreamEvent]) -> ChatResponse:
    """Fold a stream into the ``ChatResponse`` it amounts to."""
    text: list[str] = []
    calls: list[ToolCall] = []
    usage: Usage | None = None
    reason: FinishReason | None = None
    async for event in events:
        match event:
            case TextDelta():
                text.append(event.text)
            case ToolCallComplete():
                calls.append(event.call)
            case Usage():
                usage = event
            case Finished():
                reason = event.reason
    if reason is None:
        raise ValueError("the stream ended without a Finished event")
    return ChatResponse(
        text="".join(text), tool_calls=tuple(calls), usage=usage, finish_reason=reason
    )
