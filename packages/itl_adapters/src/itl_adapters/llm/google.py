"""``ChatModel`` over the Gemini API (official ``google-genai`` SDK).

System messages become ``system_instruction``; tool calls are ``function_call`` parts on a
``model`` turn and tool results ``function_response`` parts on the following user turn. The
SDK's retries are off by an explicit ``HttpRetryOptions(attempts=1)`` (leaving them unset would
also stop tenacity, but not the SDK's own hidden retry of aiohttp connection errors), automatic
function calling is disabled (our tool loop runs tools), and ``timeout`` bounds each request.

Gemini streams each function call whole (argument fragments are a Vertex-only feature), so a
call yields one ``ToolCallDelta`` and its ``ToolCallComplete`` together. Calls may come without
an id; they get a local one (``_LOCAL_ID_PREFIX``) that is never sent back. Gemini 3 models
return a thought signature with a call that must be echoed with it: it rides in
``ToolCall.provider_state`` (base64). A 429's wait comes from ``Retry-After`` or, as Gemini
sends it, from the ``RetryInfo.retryDelay`` in the error body.
"""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
from google import genai
from google.genai import errors as genai_errors
from google.genai import types
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

_PROVIDER = "Google"
_LOCAL_ID_PREFIX = "gemini-local-"

_FINISH_REASONS = {
    "STOP": FinishReason.STOP,
    "MAX_TOKENS": FinishReason.LENGTH,
    "SAFETY": FinishReason.CONTENT_FILTER,
    "RECITATION": FinishReason.CONTENT_FILTER,
    "BLOCKLIST": FinishReason.CONTENT_FILTER,
    "PROHIBITED_CONTENT": FinishReason.CONTENT_FILTER,
    "SPII": FinishReason.CONTENT_FILTER,
    "IMAGE_SAFETY": FinishReason.CONTENT_FILTER,
}

_SDK_ERRORS = (genai_errors.APIError, genai_errors.UnknownApiResponseError, json.JSONDecodeError)


class GoogleChatModel:
    """Gemini through ``generate_content`` / ``generate_content_stream``."""

    def __init__(self, *, api_key: str, base_url: str | None = None, timeout: float = 60.0) -> None:
        options = types.HttpOptions(
            base_url=base_url,
            timeout=int(timeout * 1000),  # the SDK counts milliseconds
            retry_options=types.HttpRetryOptions(attempts=1),
            # httpx, as tested: the SDK takes aiohttp whenever it is installed (it is, for the
            # OpenAI and Anthropic adapters), and its aiohttp path raises other errors for a
            # stalled or cut stream. A transport of our own keeps it on httpx.
            async_client_args={"transport": httpx.AsyncHTTPTransport()},
        )
        # vertexai=False: the environment must not silently switch the backend or credentials.
        self._client = genai.Client(vertexai=False, api_key=api_key, http_options=options)

    async def aclose(self) -> None:
        await self._client.aio.aclose()

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        try:
            chunks = await self._client.aio.models.generate_content_stream(**_arguments(request))
            # Close the SDK's generator here, not at garbage collection (it holds the response).
            async with contextlib.aclosing(chunks):
                async for event in _events(chunks):
                    yield event
        except (*_SDK_ERRORS, *_errors.TRANSPORT_ERRORS) as e:
            raise _translate(e) from e

    async def complete(self, request: ChatRequest) -> ChatResponse:
        try:
            response = await self._client.aio.models.generate_content(**_arguments(request))
        except (*_SDK_ERRORS, *_errors.TRANSPORT_ERRORS) as e:
            raise _translate(e) from e
        text: list[str] = []
        calls: list[ToolCall] = []
        reason = _reason(response)
        for part in _parts(response):
            if part.text and not part.thought:
                text.append(part.text)
            if part.function_call:
                calls.append(_tool_call(part, len(calls)))
        if reason is None:
            raise _errors.malformed(_PROVIDER)
        return ChatResponse(
            text="".join(text),
            tool_calls=tuple(calls),
            usage=_usage(response),
            finish_reason=FinishReason.TOOL_CALLS if calls else reason,
        )


def _arguments(request: ChatRequest) -> dict[str, Any]:
    system = "\n\n".join(m.content for m in request.messages if m.role is Role.SYSTEM)
    config = types.GenerateContentConfig(
        system_instruction=system or None,
        temperature=request.temperature,
        max_output_tokens=request.max_tokens,
        automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
        tools=[
            types.Tool(
                function_declarations=[
                    types.FunctionDeclaration(
                        name=tool.name,
                        description=tool.description,
                        parameters_json_schema=dict(tool.parameters),
                    )
                    for tool in request.tools
                ]
            )
        ]
        if request.tools
        else None,
    )
    return {"model": request.model, "contents": _contents(request.messages), "config": config}


def _contents(messages: tuple[ChatMessage, ...]) -> list[types.Content]:
    names = {call.id: call.name for m in messages for call in m.tool_calls}
    contents: list[types.Content] = []
    for message in messages:
        if message.role is Role.SYSTEM:
            continue
        role = "model" if message.role is Role.ASSISTANT else "user"
        parts = list(_message_parts(message, names))
        if contents and contents[-1].role == role and contents[-1].parts is not None:
            contents[-1].parts.extend(parts)
        else:
            contents.append(types.Content(role=role, parts=parts))
    return contents


def _message_parts(message: ChatMessage, names: dict[str, str]) -> Iterator[types.Part]:
    if message.tool_result is not None:
        result = message.tool_result
        yield types.Part(
            function_response=types.FunctionResponse(
                id=_sent_id(result.tool_call_id),
                name=names.get(result.tool_call_id, ""),
                response={"error" if result.is_error else "output": result.content},
            )
        )
        return
    if message.content:
        yield types.Part(text=message.content)
    for call in message.tool_calls:
        yield types.Part(
            function_call=types.FunctionCall(
                id=_sent_id(call.id), name=call.name, args=dict(call.arguments)
            ),
            thought_signature=base64.b64decode(call.provider_state)
            if call.provider_state
            else None,
        )


def _sent_id(call_id: str) -> str | None:
    return None if call_id.startswith(_LOCAL_ID_PREFIX) else call_id


async def _events(
    chunks: AsyncIterator[types.GenerateContentResponse],
) -> AsyncIterator[StreamEvent]:
    usage: Usage | None = None
    reason: FinishReason | None = None
    calls = 0
    async for chunk in chunks:
        usage = _usage(chunk) or usage
        reason = _reason(chunk) or reason
        for part in _parts(chunk):
            if part.text and not part.thought:
                yield TextDelta(text=part.text)
            if part.function_call:
                call = _tool_call(part, calls)
                yield ToolCallDelta(
                    index=calls,
                    id=call.id,
                    name=call.name,
                    arguments_fragment=json.dumps(dict(call.arguments)),
                )
                yield ToolCallComplete(
                    id=call.id,
                    name=call.name,
                    arguments=call.arguments,
                    provider_state=call.provider_state,
                )
                calls += 1
    if reason is None:
        raise _errors.stream_cut(_PROVIDER)
    if usage is not None:
        yield usage
    # Gemini says STOP when it stops to call functions; the neutral model says why.
    yield Finished(reason=FinishReason.TOOL_CALLS if calls else reason)


def _parts(response: types.GenerateContentResponse) -> list[types.Part]:
    if not response.candidates or response.candidates[0].content is None:
        return []
    return response.candidates[0].content.parts or []


def _reason(response: types.GenerateContentResponse) -> FinishReason | None:
    if response.prompt_feedback is not None and response.prompt_feedback.block_reason:
        return FinishReason.CONTENT_FILTER
    if not response.candidates or response.candidates[0].finish_reason is None:
        return None
    reason = response.candidates[0].finish_reason
    return _FINISH_REASONS.get(str(getattr(reason, "value", reason)), FinishReason.OTHER)


def _usage(response: types.GenerateContentResponse) -> Usage | None:
    metadata = response.usage_metadata
    if metadata is None or metadata.prompt_token_count is None:
        return None
    return Usage(
        input_tokens=metadata.prompt_token_count,
        output_tokens=metadata.candidates_token_count or 0,
    )


def _tool_call(part: types.Part, index: int) -> ToolCall:
    call = part.function_call
    assert call is not None  # callers check
    signature = part.thought_signature
    return ToolCall(
        id=call.id or f"{_LOCAL_ID_PREFIX}{index}",
        name=call.name or "",
        arguments=dict(call.args or {}),
        provider_state=base64.b64encode(signature).decode() if signature else None,
    )


def _translate(error: Exception) -> UpstreamUnavailable:
    """The one place google-genai SDK and transport errors become domain errors."""
    if isinstance(error, genai_errors.APIError):
        if isinstance(error.code, int) and error.code >= 400:
            headers = error.response.headers if error.response is not None else {}
            return _errors.from_status(
                _PROVIDER, error.code, headers, retry_after=_retry_delay(error.details)
            )
        return _errors.stream_error(_PROVIDER, retryable=True)
    if isinstance(error, _errors.TRANSPORT_ERRORS):
        return _errors.transport_failed(_PROVIDER, error)
    return _errors.malformed(_PROVIDER)


def _retry_delay(details: Any) -> float | None:
    """``RetryInfo.retryDelay`` ("12s" or "1.5s") from a Google RPC error body, if any."""
    error = details.get("error", details) if isinstance(details, dict) else {}
    for detail in error.get("details", ()) if isinstance(error, dict) else ():
        delay = detail.get("retryDelay") if isinstance(detail, dict) else None
        if isinstance(delay, str) and delay.endswith("s"):
            try:
                return max(0.0, float(delay[:-1]))
            except ValueError:
                return None
    return None
