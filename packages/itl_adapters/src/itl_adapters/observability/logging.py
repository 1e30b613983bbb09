"""Structured logs: one JSON object per line, secrets masked, message bodies left out.

``configure_logging(level=..., fmt=..., log_bodies=...)`` is called once by whoever owns the
process (the ``itl`` command, ``asgi.py``); importing this module configures nothing. It routes
BOTH structlog loggers and the standard ``logging`` module (ours, uvicorn's, psycopg's) through
one processor chain, so every line gets the same shape and the same redaction:

- context bound with ``structlog.contextvars`` (``request_id``, ...) is merged in;
- ``redact`` masks, anywhere in the event (nested dicts and lists too): the values of keys that
  name a secret (password, token, secret, api key, authorization, cookie...), bearer tokens,
  JWTs and provider API keys inside any string, and (unless ``log_bodies``) the values of keys
  that carry message bodies (content, text, prompt, body, arguments...).

Why structlog: the standard library has no JSON formatter or context binding of its own, and
structlog's ``ProcessorFormatter`` gives both for stdlib loggers too, so existing
``logging.getLogger`` calls need no change.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import IO, Any

import structlog
from structlog.typing import EventDict, Processor

__all__ = ["REDACTED", "Redactor", "configure_logging"]

REDACTED = "[redacted]"
OMITTED = "[omitted]"

_SECRET_KEY = re.compile(
    r"pass(word|wd|phrase)?|secret|token|api[_-]?key|apikey|authorization|cookie|credential"
    r"|private[_-]?key|signature|jwks?$|fernet",
    re.IGNORECASE,
)
_BODY_KEYS = frozenset(
    {"content", "text", "prompt", "body", "arguments", "messages", "response", "welcome_message"}
)
# Secrets that can hide inside any string: bearer credentials, JWTs, vendor API keys,
# "password=..." pairs in URLs or DSNs.
_SECRET_PATTERNS = (
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), r"\1 " + REDACTED),
    (re.compile(r"\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), REDACTED),
    (re.compile(r"\b(sk|rk|pk)-(ant-|proj-|live-|test-)?[A-Za-z0-9_-]{8,}"), REDACTED),
    (re.compile(r"\bAIza[A-Za-z0-9_-]{20,}"), REDACTED),
    (re.compile(r"(?i)\b(password|passwd|pwd|secret|token|api_key)=([^\s&;]+)"), r"\1=" + REDACTED),
    (re.compile(r"(://[^/\s:@]+:)[^@\s/]+@"), r"\1" + REDACTED + "@"),
)


_CHATTY_CLIENTS = ("httpx", "httpx2", "httpcore", "httpcore2")


class Redactor:
    """A structlog processor (see module docstring); ``log_bodies`` keeps body keys."""

    def __init__(self, *, log_bodies: bool = False) -> None:
        self._log_bodies = log_bodies

    def __call__(self, _: Any, __: str, event: EventDict) -> EventDict:
        return {key: self._value(key, value) for key, value in event.items()}

    def _value(self, key: object, value: Any) -> Any:
        if isinstance(key, str) and key not in ("event", "logger", "level") and value:
            if _SECRET_KEY.search(key):
                return REDACTED
            if not self._log_bodies and key.lower() in _BODY_KEYS:
                return OMITTED
        return self.scrub(value)

    def scrub(self, value: Any) -> Any:
        if isinstance(value, str):
            for pattern, replacement in _SECRET_PATTERNS:
                value = pattern.sub(replacement, value)
            return value
        if isinstance(value, Mapping):
            return {k: self._value(k, v) for k, v in value.items()}
        if isinstance(value, list | tuple | set | frozenset):
            return [self.scrub(v) for v in value]
        if isinstance(value, bytes | bytearray):
            return f"<{len(value)} bytes>"
        return value


def _render_exception_then_redact(redactor: Redactor) -> list[Processor]:
    # Tracebacks are rendered to a string first, so the redactor also scrubs their text
    # (an exception message can quote a DSN or a header).
    return [structlog.processors.format_exc_info, redactor]


def configure_logging(
    *,
    level: str = "INFO",
    fmt: str = "json",
    log_bodies: bool = False,
    stream: IO[str] | None = None,
) -> None:
    """Route structlog and stdlib logging to ``stream`` (stderr) as JSON or console lines.

    Idempotent: a second call replaces the handler the first one installed.
    """
    redactor = Redactor(log_bodies=log_bodies)
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        *_render_exception_then_redact(redactor),
    ]
    renderer: Processor = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[structlog.stdlib.ExtraAdder(), *shared],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.set_name("itl")
    root = logging.getLogger()
    for existing in [h for h in root.handlers if h.get_name() == "itl"]:
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    # uvicorn's own access log duplicates ours (which has the request id, tenant and route).
    logging.getLogger("uvicorn.access").disabled = True
    # The HTTP clients under the vendor SDKs log every request at INFO: a line per model call
    # that our metrics and traces already cover, formatted and written on the request's path.
    # At DEBUG they speak again.
    for name in _CHATTY_CLIENTS:
        quiet = root.level > logging.DEBUG
        logging.getLogger(name).setLevel(logging.WARNING if quiet else logging.NOTSET)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
