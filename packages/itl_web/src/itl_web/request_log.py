"""One access-log line per request, with its request id, and the error counter.

``RequestLogMiddleware`` (an app-wide ASGI middleware, see ``app_config``):

- takes the client's ``X-Request-ID`` when it is a sane token (1-128 of ``A-Za-z0-9._:-``),
  else makes one; binds it to the log context (every line logged while the request runs
  carries ``request_id``) and echoes it in the response's ``X-Request-ID``;
- logs ``request`` with method, route (the path template, never the raw path: ids and tokens
  in paths stay out of logs), status, latency_ms, and what ``annotate`` added (tenant, user or
  visitor: ``itl_web.auth`` and the widget host's visitor dependency annotate);
- counts 4xx/5xx answers in ``itl_http_errors_total{app,status_class}``.

Bodies, headers and query strings are never logged here.
"""

from __future__ import annotations

import re
import time
import uuid
from contextvars import ContextVar
from typing import Any

import structlog
from itl_adapters.observability.metrics import platform_metrics
from itl_core.errors import DomainError
from litestar.exceptions import HTTPException
from litestar.middleware import DefineMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from itl_web.problems import domain_problem

__all__ = ["RequestLogMiddleware", "annotate", "request_log_middleware"]

HEADER = b"x-request-id"
_VALID_ID = re.compile(rb"[A-Za-z0-9._:-]{1,128}")
_fields: ContextVar[dict[str, Any] | None] = ContextVar("itl_request_fields", default=None)
log = structlog.get_logger("itl.http")


def annotate(**fields: Any) -> None:
    """Add fields (tenant, user, visitor) to the current request's access-log line."""
    current = _fields.get()
    if current is not None:
        current.update({k: v for k, v in fields.items() if v is not None})


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == HEADER and _VALID_ID.fullmatch(value):
            return value.decode("ascii")
    return uuid.uuid4().hex


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp, *, app_name: str) -> None:
        self._app, self._name = app, app_name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id(scope)
        fields: dict[str, Any] = {}
        status = 500  # what the client gets if nothing is sent (the server answers 500)
        token = _fields.set(fields)
        context = structlog.contextvars.bind_contextvars(request_id=request_id)

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != HEADER]
                message = {**message, "headers": [*headers, (HEADER, request_id.encode())]}  # type: ignore[typeddict-item]
            await send(message)

        try:
            await self._app(scope, receive, send_with_id)
        except Exception as exc:
            # Raised past us (e.g. by a middleware outside the route's own exception handling):
            # the app's outer handler answers it; log the status it will answer.
            status = _status_of(exc)
            raise
        finally:
            latency_ms = round((time.perf_counter() - started) * 1000, 2)
            if status >= 400:
                platform_metrics().http_errors.labels(
                    app=self._name, status_class=f"{status // 100}xx"
                ).inc()
            log.info(
                "request",
                app=self._name,
                method=scope.get("method"),
                route=scope.get("path_template") or "(unrouted)",
                status=status,
                latency_ms=latency_ms,
                **fields,
            )
            structlog.contextvars.reset_contextvars(**context)
            _fields.reset(token)


def _status_of(exc: Exception) -> int:
    if isinstance(exc, DomainError):
        return domain_problem(exc).status_code
    if isinstance(exc, HTTPException):
        return exc.status_code
    return 500


def request_log_middleware(app_name: str) -> Any:
    """The middleware as Litestar's ``middleware=[...]`` entry for the app named ``app_name``."""
    return DefineMiddleware(RequestLogMiddleware, app_name=app_name)
