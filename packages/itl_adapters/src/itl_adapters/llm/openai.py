"""``ChatModel`` over OpenAI Chat Completions (official SDK), and any server that speaks it.

``base_url`` points it at OpenAI-compatible servers (Ollama, vLLM, llama.cpp); such servers often
ignore the key, so any placeholder does. The SDK's retries are off (``max_retries=0``): our retry
policy (``itl_core.llm.retry``) is the only one. ``timeout`` bounds connecting and each read, so
a stalled stream fails instead of hanging.

Streamed tool calls arrive as argument fragments keyed by ``index``; they are assembled here and
each is announced whole (``ToolCallComplete``) when the provider reports the finish reason.

The stream goes through the SDK's client (connection pool, headers, status errors, SSE decoding,
errors inside the stream, closing) as a request of its own (``client.post``, the SDK's way to
reach any endpoint) whose chunks come back as plain JSON objects: building the SDK's typed
models for every chunk, and type-transforming the already plain request, cost more CPU than the
rest of a chat turn's platform work. ``complete`` keeps the typed path. The SDK's client runs
on its aiohttp transport (the SDK's ``aiohttp`` option): aiohttp parses HTTP in C, and a
streamed call cost 0.69 instead of 1.05 ms of CPU (2,000 calls to the benchmark's fake server).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import openai
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

_PROVIDER = "OpenAI"

_FINISH_REASONS = {
    "stop": FinishReason.STOP,
    "tool_calls": FinishReason.TOOL_CALLS,
    "function_call": FinishReason.TOOL_CALLS,
    "length": FinishReason.LENGTH,
    "content_filter": FinishReason.CONTENT_FILTER,
}


class OpenAIChatModel:
    """OpenAI (or compatible) chat completions. ``legacy_max_tokens`` sends ``max_tokens``, for
    servers that predate ``max_completion_tokens``."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None = None,
        timeout: float = 60.0,
        legacy_max_tokens: bool = False,
    ) -> None:
        self._client = openai.AsyncOpenAI(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=0,
            http_client=openai.DefaultAioHttpClient(),  # see the module docstring
        )
        self._legacy_max_tokens = legacy_max_tokens

    async def aclose(self) -> None:
        await self._client.close()

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        body = {
            **self._arguments(request),
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        try:
            chunks = await self._client.post(
                "/chat/completions",
                body=body,
                cast_to=object,  # each chunk as the JSON object it is, no model built
                stream=True,
                stream_cls=openai.AsyncStream[object],
            )
            async with chunks:
                async for event in _events(chunks):
                    yield event
        except (openai.OpenAIError, *_errors.TRANSPORT_ERRORS, json.JSONDecodeError) as e:
            raise _translate(e) from e
        except (KeyError, TypeError, AttributeError) as e:  # a chunk not shaped as documented
            raise _errors.malformed(_PROVIDER) from e

    async def complete(self, request: ChatRequest) -> ChatResponse:
        try:
            completion = await self._client.chat.completions.create(**self._arguments(request))
        except (openai.OpenAIError, *_errors.TRANSPORT_ERRORS, json.JSONDecodeError) as e:
            raise _translate(e) from e
        if not completion.choices:
            raise _errors.malformed(_PROVIDER)
        choice = completion.choices[0]
        calls = tuple(
            ToolCall(
                id=call.id,
                name=call.function.name,
                arguments=_errors.parse_arguments(_PROVIDER, call.function.arguments),
            )
            for call in choice.message.tool_calls or ()
            if call.type == "function"
        )
        usage = completion.usage
        return ChatResponse(
            text=choice.message.content or "",
            tool_calls=calls,
            usage=Usage(input_tokens=usage.prompt_tokens, output_tokens=usage.completion_tokens)
            if usage
            else None,
            finish_reason=_FINISH_REASONS.get(choice.finish_reason, FinishReason.OTHER),
        )

    def _arguments(self, request: ChatRequest) -> dict[str, Any]:
        arguments: dict[str, Any] = {
            "model": request.model,
            "messages": [_message(m) for m in request.messages],
        }
        if request.tools:
            arguments["tools"] = [
                {
                    "type": "function",
                    "function": {
                        "name": tool.name,
                        "description": tool.description,
                        "parameters": dict(tool.parameters),
                    },
                }
                for tool in request.tools
            ]
        if request.temperature is not None:
            arguments["temperature"] = request.temperature
        if request.max_tokens is not None:
            key = "max_tokens" if self._legacy_max_tokens else "max_completion_tokens"
            arguments[key] = request.max_tokens
        return arguments


def _message(message: ChatMessage) -> dict[str, Any]:
    if message.role is Role.TOOL:
        assert message.tool_result is not None  # guaranteed by ChatMessage
        result = message.tool_result
        # Chat Completions has no error flag on tool results; say it in the content.
        content = f"Error: {result.content}" if result.is_error else result.content
        return {"role": "tool", "tool_call_id": result.tool_call_id, "content": content}
    if message.role is Role.ASSISTANT and message.tool_calls:
        return {
            "role": "assistant",
            "content": message.content or None,
            "tool_calls": [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": json.dumps(call.arguments)},
                }
                for call in message.tool_calls
            ],
        }
    return {"role": message.role.value, "content": message.content}


@dataclass(slots=True)
class _PartialCall:
    id: str = ""
    name: str = ""
    fragments: list[str] = field(default_factory=list)


async def _events(chunks: AsyncIterator[Any]) -> AsyncIterator[StreamEvent]:
    """The events of ``chat.completion.chunk`` objects (plain JSON, as the wire has them)."""
    calls: dict[int, _PartialCall] = {}
    usage: Usage | None = None
    reason: FinishReason | None = None
    async for chunk in chunks:
        if counted := chunk.get("usage"):
            usage = Usage(
                input_tokens=counted.get("prompt_tokens") or 0,
                output_tokens=counted.get("completion_tokens") or 0,
            )
        for choice in chunk.get("choices") or ():
            delta = choice.get("delta") or {}
            if text := delta.get("content"):
                yield TextDelta(text=text)
            for fragment in delta.get("tool_calls") or ():
                index = fragment["index"]
                call = calls.setdefault(index, _PartialCall())
                function = fragment.get("function") or {}
                call.id = fragment.get("id") or call.id
                call.name = function.get("name") or call.name
                piece = function.get("arguments") or ""
                call.fragments.append(piece)
                yield ToolCallDelta(
                    index=index, id=call.id, name=call.name, arguments_fragment=piece
                )
            if (finish := choice.get("finish_reason")) is not None:
                reason = _FINISH_REASONS.get(finish, FinishReason.OTHER)
                for index in sorted(calls):
                    call = calls.pop(index)
                    yield ToolCallComplete(
                        id=call.id,
                        name=call.name,
                        arguments=_errors.parse_arguments(_PROVIDER, "".join(call.fragments)),
                    )
    if reason is None:
        raise _errors.stream_cut(_PROVIDER)
    if usage is not None:
        yield usage
    yield Finished(reason=reason)


def _translate(error: Exception) -> UpstreamUnavailable:
    """The one place OpenAI SDK and transport errors become domain errors."""
    if isinstance(error, openai.APIStatusError):
        return _errors.from_status(_PROVIDER, error.status_code, error.response.headers)
    if isinstance(error, (openai.APIConnectionError, *_errors.TRANSPORT_ERRORS)):
        return _errors.transport_failed(_PROVIDER, error)
    if isinstance(error, openai.APIError):
        # An error object inside a 200 stream: only a refused request is worth not retrying.
        refused = error.type == "invalid_request_error"
        return _errors.stream_error(_PROVIDER, retryable=not refused)
    return _errors.malformed(_PROVIDER)


class OpenAIEmbedder:
    """OpenAI (or compatible) embeddings, shortened server-side to ``dimensions`` (the
    text-embedding-3 models take an output size) so they fit the knowledge index."""

    MAX_INPUTS = 2048  # the API's limit of inputs per request

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        dimensions: int,
        base_url: str | None = None,
        timeout: float = 60.0,
    ) -> None:
        self._client = openai.AsyncOpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=0
        )
        self._model, self._dimensions = model, dimensions

    @property
    def dimensions(self) -> int:
        return self._dimensions

    async def aclose(self) -> None:
        await self._client.close()

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self.MAX_INPUTS):
            vectors.extend(await self._embed(texts[start : start + self.MAX_INPUTS]))
        return vectors

    async def _embed(self, texts: Sequence[str]) -> list[list[float]]:
        body = {"model": self._model, "input": list(texts), "dimensions": self._dimensions}
        try:
            answer = await self._client.post("/embeddings", body=body, cast_to=object)
        except (openai.OpenAIError, *_errors.TRANSPORT_ERRORS, json.JSONDecodeError) as e:
            raise _translate(e) from e
        try:
            rows = sorted(answer["data"], key=lambda row: row["index"])  # type: ignore[index]
            vectors = [[float(x) for x in row["embedding"]] for row in rows]
        except (KeyError, TypeError, ValueError) as e:
            raise _errors.malformed(_PROVIDER) from e
        if len(vectors) != len(texts):
            raise _errors.malformed(_PROVIDER)
        return vectors
