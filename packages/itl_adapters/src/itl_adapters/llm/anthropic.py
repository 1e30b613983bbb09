"""``ChatModel`` over Anthropic's Messages API (official SDK).

System messages become the ``system`` parameter; tool calls are ``tool_use`` blocks on the
assistant turn and tool results ``tool_result`` blocks on the following user turn (consecutive
user-side messages are merged into one turn, as the API expects). SDK retries are off
(``max_retries=0``); ``timeout`` bounds connecting and each read.

The 2.x SDK's Messages API takes no ``temperature``, so ``ChatRequest.temperature`` is not sent;
``max_tokens`` is required by the API, hence ``default_max_tokens``.

Stream: ``message_start`` (input tokens), ``content_block_start`` / ``content_block_delta``
(``text_delta``, ``input_json_delta``) / ``content_block_stop``, ``message_delta`` (stop reason,
output tokens), ``message_stop``. An ``error`` event inside the 200 stream is raised by the SDK
as a status error carrying the HTTP status 200 and the error's ``type``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import anthropic
from itl_core.errors import UpstreamUnavailable
from itl_core.llm.model import (
    ChatMessage,
    ChatRequest,
    ChatResponse,
    Finished,
    FinishReason,
    Role,
    StreamEvent,
    TextDelta,
    ToolCall,
    ToolCallComplete,
    ToolCallDelta,
    Usage,
)

from itl_adapters.llm import _errors

_PROVIDER = "Anthropic"

_FINISH_REASONS = {
    "end_turn": FinishReason.STOP,
    "stop_sequence": FinishReason.STOP,
    "tool_use": FinishReason.TOOL_CALLS,
    "max_tokens": FinishReason.LENGTH,
    "model_context_window_exceeded": FinishReason.LENGTH,
    "refusal": FinishReason.CONTENT_FILTER,
}

# Error types in a 200 stream that a later attempt may not meet.
_TRANSIENT_STREAM_ERRORS = frozenset({"overloaded_error", "api_error", "rate_limit_error"})


class AnthropicChatModel:
    """Claude through the Messages API."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None = None,
        timeout: float = 60.0,
        default_max_tokens: int = 1024,
    ) -> None:
        self._client = anthropic.AsyncAnthropic(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=0,
            # The SDK's aiohttp transport: HTTP parsed in C (see the OpenAI adapter's figures).
            http_client=anthropic.DefaultAioHttpClient(),
        )
        self._default_max_tokens = default_max_tokens

    async def aclose(self) -> None:
        await self._client.close()

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        try:
            events = await self._client.messages.create(**self._arguments(request), stream=True)
            async with events:
                async for event in _events(events):
                    yield event
        except (anthropic.AnthropicError, *_errors.TRANSPORT_ERRORS, json.JSONDecodeError) as e:
            raise _translate(e) from e

    async def complete(self, request: ChatRequest) -> ChatResponse:
        try:
            message = await self._client.messages.create(**self._arguments(request))
        except (anthropic.AnthropicError, *_errors.TRANSPORT_ERRORS, json.JSONDecodeError) as e:
            raise _translate(e) from e
        text = "".join(block.text for block in message.content if block.type == "text")
        calls = tuple(
            ToolCall(id=block.id, name=block.name, arguments=dict(block.input))
            for block in message.content
            if block.type == "tool_use"
        )
        return ChatResponse(
            text=text,
            tool_calls=calls,
            usage=Usage(
                input_tokens=message.usage.input_tokens, output_tokens=message.usage.output_tokens
            ),
            finish_reason=_FINISH_REASONS.get(message.stop_reason or "", FinishReason.OTHER),
        )

    def _arguments(self, request: ChatRequest) -> dict[str, Any]:
        system = "\n\n".join(m.content for m in request.messages if m.role is Role.SYSTEM)
        arguments: dict[str, Any] = {
            "model": request.model,
            "max_tokens": request.max_tokens or self._default_max_tokens,
            "messages": _messages(request.messages),
        }
        if system:
            arguments["system"] = system
        if request.tools:
            arguments["tools"] = [
                {
                    "name": tool.name,
                    "description": tool.description,
                    "input_schema": dict(tool.parameters),
                }
                for tool in request.tools
            ]
        return arguments


def _messages(messages: tuple[ChatMessage, ...]) -> list[dict[str, Any]]:
    turns: list[dict[str, Any]] = []
    for message in messages:
        if message.role is Role.SYSTEM:
            continue
        role = "assistant" if message.role is Role.ASSISTANT else "user"
        blocks = _blocks(message)
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"].extend(blocks)
        else:
            turns.append({"role": role, "content": blocks})
    return turns


def _blocks(message: ChatMessage) -> list[dict[str, Any]]:
    if message.tool_result is not None:
        result = message.tool_result
        return [
            {
                "type": "tool_result",
                "tool_use_id": result.tool_call_id,
                "content": result.content,
                "is_error": result.is_error,
            }
        ]
    blocks: list[dict[str, Any]] = []
    if message.content:
        blocks.append({"type": "text", "text": message.content})
    blocks.extend(
        {"type": "tool_use", "id": call.id, "name": call.name, "input": dict(call.arguments)}
        for call in message.tool_calls
    )
    return blocks


async def _events(events: AsyncIterator[Any]) -> AsyncIterator[StreamEvent]:
    input_tokens = output_tokens = 0
    reason = FinishReason.OTHER
    calls: dict[int, tuple[str, str, list[str]]] = {}  # block index -> (id, name, fragments)
    async for event in events:
        match event.type:
            case "message_start":
                input_tokens = event.message.usage.input_tokens
            case "content_block_start" if event.content_block.type == "tool_use":
                calls[event.index] = (event.content_block.id, event.content_block.name, [])
            case "content_block_delta" if event.delta.type == "text_delta":
                yield TextDelta(text=event.delta.text)
            case "content_block_delta" if event.delta.type == "input_json_delta":
                if event.index not in calls:
                    raise _errors.malformed(_PROVIDER)
                call_id, name, fragments = calls[event.index]
                fragments.append(event.delta.partial_json)
                yield ToolCallDelta(
                    index=event.index,
                    id=call_id,
                    name=name,
                    arguments_fragment=event.delta.partial_json,
                )
            case "content_block_stop" if event.index in calls:
                call_id, name, fragments = calls.pop(event.index)
                arguments = _errors.parse_arguments(_PROVIDER, "".join(fragments))
                yield ToolCallComplete(id=call_id, name=name, arguments=arguments)
            case "message_delta":
                output_tokens = event.usage.output_tokens
                if event.delta.stop_reason:
                    reason = _FINISH_REASONS.get(event.delta.stop_reason, FinishReason.OTHER)
            case "message_stop":
                yield Usage(input_tokens=input_tokens, output_tokens=output_tokens)
                yield Finished(reason=reason)
                return
    raise _errors.stream_cut(_PROVIDER)


def _translate(error: Exception) -> UpstreamUnavailable:
    """The one place Anthropic SDK and transport errors become domain errors."""
    if isinstance(error, anthropic.APIStatusError):
        if error.status_code == 200:  # an ``error`` event inside the stream
            retryable = error.type in _TRANSIENT_STREAM_ERRORS
            return _errors.stream_error(_PROVIDER, retryable=retryable)
        return _errors.from_status(_PROVIDER, error.status_code, error.response.headers)
    if isinstance(error, (anthropic.APIConnectionError, *_errors.TRANSPORT_ERRORS)):
        return _errors.transport_failed(_PROVIDER, error)
    return _errors.malformed(_PROVIDER)
