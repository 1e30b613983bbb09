"""The Gemini API on the wire: ``GenerateContentResponse`` JSON and ``alt=sse`` streams."""

from __future__ import annotations

import json
from typing import Any

from itl_adapters.llm.google import GoogleChatModel

from tests.support.fake_vendors.server import JsonReply, SseReply

MODEL = "gemini-test"
PATH = f"/v1/models/{MODEL}:generateContent"
STREAM_PATH = f"/v1/models/{MODEL}:streamGenerateContent?alt=sse"


def chat_model(url: str, *, timeout: float = 5.0) -> GoogleChatModel:
    return GoogleChatModel(api_key="AIza-test-secret", base_url=url, timeout=timeout)


def _response(
    parts: list[dict[str, Any]], finish: str | None = None, usage: tuple[int, int] | None = None
) -> dict[str, Any]:
    candidate: dict[str, Any] = {"content": {"role": "model", "parts": parts}, "index": 0}
    if finish:
        candidate["finishReason"] = finish
    body: dict[str, Any] = {
        "candidates": [candidate],
        "modelVersion": MODEL,
        "responseId": "resp-1",
    }
    if usage:
        body["usageMetadata"] = {
            "promptTokenCount": usage[0],
            "candidatesTokenCount": usage[1],
            "totalTokenCount": sum(usage),
        }
    return body


def _sse(*payloads: dict[str, Any]) -> tuple[bytes, ...]:
    return tuple(f"data: {json.dumps(p)}\r\n\r\n".encode() for p in payloads)


def text(answer: str) -> JsonReply:
    return JsonReply(status=200, body=_response([{"text": answer}], "STOP", (12, 3)))


def text_stream(pieces: list[str]) -> SseReply:
    chunks = [_response([{"text": piece}]) for piece in pieces[:-1]]
    last = _response([{"text": pieces[-1]}], "STOP", (12, 3))
    return SseReply(events=_sse(*chunks, last))


def tool_stream(call_id: str, name: str, fragments: list[str]) -> SseReply:
    """Gemini sends a function call whole; the fragments are joined into its ``args``."""
    call = {
        "functionCall": {"id": call_id, "name": name, "args": json.loads("".join(fragments))},
        "thoughtSignature": "c2lnbmF0dXJl",
    }
    return SseReply(events=_sse(_response([call], "STOP", (20, 9))))


def error_in_stream() -> SseReply:
    error = {"error": {"code": 503, "message": "The model is overloaded.", "status": "UNAVAILABLE"}}
    return SseReply(events=_sse(_response([{"text": "Par"}]), error))


def _error(
    code: int,
    status: str,
    message: str,
    *,
    details: list[Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JsonReply:
    body = {"error": {"code": code, "message": message, "status": status, "details": details or []}}
    return JsonReply(status=code, body=body, headers=headers or {})


def rate_limited(retry_after: str) -> JsonReply:
    return _error(429, "RESOURCE_EXHAUSTED", "Quota exceeded", headers={"Retry-After": retry_after})


def rate_limited_with_retry_info(delay: str) -> JsonReply:
    info = {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": delay}
    return _error(429, "RESOURCE_EXHAUSTED", "Quota exceeded", details=[info])


def server_error() -> JsonReply:
    return _error(500, "INTERNAL", "An internal error has occurred.")


def unauthorized() -> JsonReply:
    return _error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.")
