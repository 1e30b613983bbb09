"""Guard for request bodies, run before every handler of both apps.

Litestar decodes JSON leniently about the envelope: it does not insist on the content type and
lets NUL characters through (PostgreSQL rejects them in text, which would surface as a 500).
So a write with a body must say ``application/json`` (415 otherwise; this also defeats
cross-site form posts), must be valid UTF-8 JSON (400), and may not contain NUL (400).
Handlers that accept another encoding (multipart uploads) opt out with ``opt={"body": "raw"}``.
"""

from __future__ import annotations

from typing import Any

import msgspec
from itl_core.errors import ValidationFailed
from litestar import Request
from litestar.exceptions import HTTPException

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


async def guard_json_body(request: Request[Any, Any, Any]) -> None:
    if request.method not in WRITE_METHODS or request.route_handler.opt.get("body") == "raw":
        return
    body = await request.body()
    if not body:
        return
    if not _is_json(request.headers.get("content-type", "")):
        raise HTTPException(status_code=415, detail="Send the body as application/json.")
    try:
        decoded = msgspec.json.decode(body)
    except (msgspec.DecodeError, UnicodeDecodeError) as e:
        raise HTTPException(status_code=400, detail=f"The body is not valid JSON: {e}") from e
    if _has_nul(decoded):
        raise ValidationFailed.single("body", "must not contain NUL characters")
