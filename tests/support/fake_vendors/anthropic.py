"""Anthropic Messages on the wire: message objects and named SSE events."""

from __future__ import annotations

import json
from typing import Any

from itl_adapters.llm.anthropic import AnthropicChatModel

from tests.support.fake_vendors.server import JsonReply, SseReply

MODEL = "claude-test"
PATH = "/v1/messages"


def chat_model(url: str, *, timeout: float = 5.0) -> AnthropicChatModel:
    return AnthropicChatModel(api_key="sk-ant-test-secret", base_url=url, timeout=timeout)


def _event(name: str, data: dict[str, Any]) -> bytes:
    return f"event: {name}\ndata: {json.dumps({'type': name, **data})}\n\n".encode()


def _start(input_tokens: int) -> bytes:
    return _event(
        "message_start",
        {
            "message": {
                "id": "msg_1",
                "type": "message",
                "role": "assistant",
                "model": MODEL,
                "content": [],
                "stop_reason": None,
                "stop_sequence": None,
                "usage": {"input_tokens": input_tokens, "output_tokens": 1},
            }
        },
    )


def _finish(stop_reason: str, output_tokens: int) -> tuple[bytes, ...]:
    return (
        _event(
            "message_delta",
            {
                "delta": {"stop_reason": stop_reason, "stop_sequence": None},
                "usage": {"output_tokens": output_tokens},
            },
        ),
        _event("message_stop", {}),
    )


def text(answer: str) -> JsonReply:
    return JsonReply(
        status=200,
        body={
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": MODEL,
            "content": [{"type": "text", "text": answer}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 12, "output_tokens": 3},
        },
    )


def text_stream(pieces: list[str]) -> SseReply:
    deltas = [
        _event("content_block_delta", {"index": 0, "delta": {"type": "text_delta", "text": p}})
        for p in pieces
    ]
    return SseReply(
        events=(
            _start(12),
            _event(
                "content_block_start", {"index": 0, "content_block": {"type": "text", "text": ""}}
            ),
            _event("ping", {}),
            *deltas,
            _event("content_block_stop", {"index": 0}),
            *_finish("end_turn", 3),
        )
    )


def tool_stream(call_id: str, name: str, fragments: list[str]) -> SseReply:
    deltas = [
        _event(
            "content_block_delta",
            {"index": 0, "delta": {"type": "input_json_delta", "partial_json": fragment}},
        )
        for fragment in fragments
    ]
    block = {"type": "tool_use", "id": call_id, "name": name, "input": {}}
    return SseReply(
        events=(
            _start(20),
            _event("content_block_start", {"index": 0, "content_block": block}),
            *deltas,
            _event("content_block_stop", {"index": 0}),
            *_finish("tool_use", 9),
        )
    )


def error_in_stream() -> SseReply:
    return SseReply(
        events=(
            _start(12),
            _event(
                "content_block_start", {"index": 0, "content_block": {"type": "text", "text": ""}}
            ),
            _event(
                "content_block_delta", {"index": 0, "delta": {"type": "text_delta", "text": "Par"}}
            ),
            _event("error", {"error": {"type": "overloaded_error", "message": "Overloaded"}}),
        )
    )


def _error(status: int, kind: str, message: str, headers: dict[str, str] | None = None):
    body = {"type": "error", "error": {"type": kind, "message": message}}
    return JsonReply(status=status, body=body, headers=headers or {})


def rate_limited(retry_after: str) -> JsonReply:
    return _error(429, "rate_limit_error", "Rate limited", {"retry-after": retry_after})


def server_error() -> JsonReply:
    return _error(500, "api_error", "Internal server error")


def unauthorized() -> JsonReply:
    return _error(401, "authentication_error", "invalid x-api-key")
