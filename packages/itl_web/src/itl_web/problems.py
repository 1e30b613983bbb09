"""RFC 9457 problem details: the one mapping from exceptions to HTTP answers.

Domain errors map by class (the most specific class in the table wins); Litestar's own HTTP
exceptions (404 route, 405, 413 ...) keep their status; anything else is our fault: logged with
its traceback, answered as a bare 500 problem that reveals nothing.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from itl_core.errors import (
    AuthenticationFailed,
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ProviderFailed,
    QuotaExceeded,
    RateLimited,
    UpstreamUnavailable,
    ValidationFailed,
)
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

log = logging.getLogger("itl.http")

PROBLEM_JSON = "application/problem+json"

STATUS: dict[type[DomainError], tuple[int, str]] = {
    NotFound: (404, "not_found"),
    Conflict: (409, "conflict"),
    AuthenticationFailed: (401, "unauthenticated"),
    PermissionDenied: (403, "forbidden"),
    ValidationFailed: (422, "validation_failed"),
    RateLimited: (429, "rate_limited"),
    QuotaExceeded: (429, "quota_exceeded"),
    ProviderFailed: (502, "provider_failed"),
    UpstreamUnavailable: (503, "upstream_unavailable"),
}

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def problem(
    status: int,
    detail: str,
    *,
    code: str | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": f"urn:itl:problem:{code}" if code else "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if code:
        body["code"] = code
    body.update(extensions)
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def retry_after_header(seconds: float) -> str:
    """Whole seconds, rounded up, at least 1 (a client must not retry at once)."""
    return str(max(1, math.ceil(seconds)))


def rate_limit_header_values(limit: int, remaining: int, reset_after: float) -> dict[str, str]:
    """``RateLimit-Limit``/``-Remaining``/``-Reset`` (whole seconds, rounded up)."""
    return {
        "RateLimit-Limit": str(limit),
        "RateLimit-Remaining": str(max(remaining, 0)),
        "RateLimit-Reset": str(math.ceil(reset_after)),
    }


def _domain_status(exc: DomainError) -> tuple[int, str | None]:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500, None


def domain_problem(exc: DomainError) -> Response[dict[str, Any]]:
    status, code = _domain_status(exc)
    headers: dict[str, str] = {}
    extensions: dict[str, Any] = {}
    if isinstance(exc, ValidationFailed):
        extensions["errors"] = [{"field": e.field, "message": e.message} for e in exc.errors]
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = retry_after_header(exc.retry_after)
        if exc.limit is not None and exc.reset_after is not None:
            headers.update(rate_limit_header_values(exc.limit, 0, exc.reset_after))
    if isinstance(exc, QuotaExceeded) and exc.retry_after is not None:
        headers["Retry-After"] = retry_after_header(exc.retry_after)
    if isinstance(exc, UpstreamUnavailable):
        extensions["retryable"] = exc.retryable
    if isinstance(exc, AuthenticationFailed):
        headers["WWW-Authenticate"] = 'Bearer realm="itl"'
    if status == 500:
        log.error("unmapped domain error", exc_info=exc)
        return problem(500, "An unexpected error occurred.")
    return problem(status, exc.message, code=code, headers=headers or None, **extensions)


def _validation_errors(exc: ValidationException) -> list[dict[str, str]]:
    extra = exc.extra if isinstance(exc.extra, list) else []
    return [
        {"field": str(e.get("key") or e.get("source") or "body"), "message": str(e.get("message"))}
        for e in extra
        if isinstance(e, dict)
    ]


def handle_exception(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """The single exception handler registered on every app."""
    if isinstance(exc, DomainError):
        return domain_problem(exc)
    if isinstance(exc, ValidationException):
        errors = _validation_errors(exc)
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or str(exc.detail)
        return problem(400, detail, code="bad_request", errors=errors)
    if isinstance(exc, HTTPException):
        detail = (
            exc.detail
            if exc.detail and exc.status_code < 500
            else TITLES.get(exc.status_code, "Error")
        )
        return problem(exc.status_code, str(detail), headers=exc.headers or None)
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(500, "An unexpected error occurred.")
