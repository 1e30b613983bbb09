"""OpenAI Chat Completions on the wire: completion objects, ``chat.completion.chunk`` SSE."""

from __future__ import annotations

import json
from typing import Any

from itl_adapters.llm.openai import OpenAIChatModel, OpenAIEmbedder

from tests.support.fake_vendors.server import JsonReply, SseReply

MODEL = "gpt-test"
PATH = "/v1/chat/completions"


def chat_model(url: str, *, timeout: float = 5.0) -> OpenAIChatModel:
    return OpenAIChatModel(api_key="sk-test-secret", base_url=f"{url}/v1", timeout=timeout)


def _chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": MODEL,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
    }


def _usage_chunk(prompt: int, completion: int) -> dict[str, Any]:
    usage = {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": MODEL,
        "choices": [],
        "usage": usage,
    }


def _sse(*payloads: dict[str, Any]) -> tuple[bytes, ...]:
    frames = tuple(f"data: {json.dumps(p)}\n\n".encode() for p in payloads)
    return (*frames, b"data: [DONE]\n\n")


def text(answer: str) -> JsonReply:
    return JsonReply(
        status=200,
        body={
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1700000000,
            "model": MODEL,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": answer, "refusal": None},
                    "finish_reason": "stop",
                    "logprobs": None,
                }
            ],
            "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15},
        },
    )


def text_stream(pieces: list[str]) -> SseReply:
    first = _chunk({"role": "assistant", "content": ""})
    deltas = [_chunk({"content": piece}) for piece in pieces]
    return SseReply(events=_sse(first, *deltas, _chunk({}, "stop"), _usage_chunk(12, 3)))


def tool_stream(call_id: str, name: str, fragments: list[str]) -> SseReply:
    opening = _chunk(
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "index": 0,
                    "id": call_id,
                    "type": "function",
                    "function": {"name": name, "arguments": ""},
                }
            ],
        }
    )
    pieces = [
        _chunk({"tool_calls": [{"index": 0, "function": {"arguments": fragment}}]})
        for fragment in fragments
    ]
    return SseReply(events=_sse(opening, *pieces, _chunk({}, "tool_calls"), _usage_chunk(20, 9)))


def error_in_stream() -> SseReply:
    error = {
        "error": {
            "message": "The server had an error",
            "type": "server_error",
            "param": None,
            "code": None,
        }
    }
    return SseReply(events=_sse(_chunk({"role": "assistant", "content": "Par"}), error))


def rate_limited(retry_after: str) -> JsonReply:
    return JsonReply(
        status=429,
        headers={"Retry-After": retry_after},
        body={
            "error": {
                "message": "Rate limit reached",
                "type": "requests",
                "param": None,
                "code": "rate_limit_exceeded",
            }
        },
    )


def server_error() -> JsonReply:
    return JsonReply(
        status=500,
        body={
            "error": {
                "message": "The server had an error",
                "type": "server_error",
                "param": None,
                "code": None,
            }
        },
    )


def unauthorized() -> JsonReply:
    return JsonReply(
        status=401,
        body={
            "error": {
                "message": "Incorrect API key provided",
                "type": "invalid_request_error",
                "param": None,
                "code": "invalid_api_key",
            }
        },
    )


def embedder(
    url: str, api_key: str = "sk-test-secret", model: str = "text-embedding-3-small"
) -> OpenAIEmbedder:
    return OpenAIEmbedder(api_key=api_key, model=model, dimensions=384, base_url=f"{url}/v1")


def embeddings(vectors: list[list[float]], *, shuffled: bool = False) -> JsonReply:
    """An embeddings answer; ``shuffled`` lists the rows out of order (the index says which)."""
    rows = [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)]
    return JsonReply(
        status=200,
        body={
            "object": "list",
            "data": rows[::-1] if shuffled else rows,
            "model": "text-embedding-3-small",
            "usage": {"prompt_tokens": len(vectors), "total_tokens": len(vectors)},
        },
    )
