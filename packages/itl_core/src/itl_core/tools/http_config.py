"""The ``http`` tool kind: its configuration, the rules it obeys, and its URL template.

Config (``ToolSpec.config``; secrets never go here, they are sealed per header name)::

    {"method": "GET", "url": "https://api.example.com/track/{number}",
     "parameters": {"type": "object", "properties": {"number": {"type": "string"}},
                    "required": ["number"]},
     "headers": {"Accept": "application/json"},          # plain headers only
     "timeout_s": 10, "max_response_bytes": 262144,
     "response_fields": ["status", "events.0.location"],  # dotted paths; [] = whole body
     "allow_model_host": false}

The model fills ``{name}`` placeholders from its arguments; each value is percent-encoded as
one path segment or query value, so it can never change the host, the path's shape or add a
query. A placeholder in the scheme or host is refused unless ``allow_model_host`` is true.
Arguments the template does not use go to the query string (GET, DELETE) or the JSON body.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from itl_core.errors import FieldError
from itl_core.tools.json_schema import schema_errors

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
BODYLESS = ("GET", "DELETE")
MAX_TIMEOUT_S = 30.0
MAX_RESPONSE_BYTES = 5 * 1024 * 1024
MAX_FIELDS = 50
MAX_URL = 2_000
HEADER_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}")
# Headers the transport owns: letting a tenant set them would desynchronise what we checked.
RESERVED_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection"})
_HOST_VALUE = re.compile(r"[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?(?::[0-9]{1,5})?")


@dataclass(frozen=True, slots=True, kw_only=True)
class HttpToolConfig:
    method: str = "GET"
    url: str
    parameters: Mapping[str, Any] = field(
        default_factory=lambda: {"type": "object", "properties": {}}
    )
    headers: Mapping[str, str] = field(default_factory=dict)
    timeout_s: float = 10.0
    max_response_bytes: int = 256 * 1024
    response_fields: tuple[str, ...] = ()
    allow_model_host: bool = False

    @classmethod
    def parse(cls, config: Mapping[str, Any]) -> HttpToolConfig:
        """Build from a config ``http_config_errors`` accepted (assumed valid here)."""
        return cls(
            method=str(config.get("method", "GET")).upper(),
            url=config["url"],
            parameters=config.get("parameters") or {"type": "object", "properties": {}},
            headers=dict(config.get("headers") or {}),
            timeout_s=float(config.get("timeout_s", 10.0)),
            max_response_bytes=int(config.get("max_response_bytes", 256 * 1024)),
            response_fields=tuple(config.get("response_fields") or ()),
            allow_model_host=bool(config.get("allow_model_host", False)),
        )

    def render(self, arguments: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """(URL, unused arguments): placeholders filled, each value encoded where it lands.

        ValueError when an argument meant for the host is not a host name.
        """
        names = placeholders(self.url)
        head, authority, rest = split_authority(self.url)
        values = {}
        for name in names:
            raw = "" if arguments.get(name) is None else _text(arguments[name])
            if "{" + name + "}" in authority:
                if not _HOST_VALUE.fullmatch(raw.lower()):
                    raise ValueError(f"{name}: is not a host name")
                values[name] = raw.lower()
            else:
                values[name] = quote(raw, safe="")
        url = head + _fill(authority, values) + _fill(rest, values)
        unused = {k: v for k, v in arguments.items() if k not in names}
        if unused and self.method in BODYLESS:
            joiner = "&" if "?" in url else "?"
            url += joiner + urlencode({k: _text(v) for k, v in unused.items()})
            unused = {}
        return url, unused


def split_authority(url: str) -> tuple[str, str, str]:
    """(``scheme://``, authority, the rest from the first ``/``, ``?`` or ``#``)."""
    scheme, sep, tail = url.partition("://")
    end = min((i for i in (tail.find(c) for c in "/?#") if i >= 0), default=len(tail))
    return scheme + sep, tail[:end], tail[end:]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(template: str, values: Mapping[str, str]) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template


def placeholders(template: str) -> list[str]:
    """The ``{name}`` placeholders of a URL template, in order (ValueError if malformed)."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


def http_config_errors(
    config: Mapping[str, Any], secret_names: Sequence[str] = ()
) -> list[FieldError]:
    """Every rule an http tool's config must satisfy; ``secret_names`` are its sealed headers."""
    errors: list[FieldError] = []

    def bad(name: str, message: str) -> None:
        errors.append(FieldError(f"config.{name}", message))

    known = {f for f in HttpToolConfig.__dataclass_fields__}
    for key in config:
        if key not in known:
            bad(key, "is not an http tool setting")
    if str(config.get("method", "GET")).upper() not in METHODS:
        bad("method", f"must be one of {', '.join(METHODS)}")
    parameters = config.get("parameters") or {"type": "object", "properties": {}}
    problems = schema_errors(parameters)
    if isinstance(parameters, Mapping) and parameters.get("type", "object") != "object":
        problems.append("parameters: must be a schema of type object")
    errors += [FieldError("config." + p.split(": ", 1)[0], p.split(": ", 1)[1]) for p in problems]
    errors += _url_errors(config, parameters if not problems else {})
    headers = config.get("headers") or {}
    if not isinstance(headers, Mapping) or not all(isinstance(v, str) for v in headers.values()):
        bad("headers", "must map header names to strings")
    else:
        for name, value in headers.items():
            if not HEADER_NAME.fullmatch(name) or name.lower() in RESERVED_HEADERS:
                bad(f"headers.{name}", "is not a header a tool may set")
            elif "\r" in value or "\n" in value or len(value) > 4_000:
                bad(f"headers.{name}", "must be one line of at most 4000 characters")
            elif name.lower() in {s.lower() for s in secret_names}:
                bad(f"headers.{name}", "is also a secret header; set it in one place")
    timeout = config.get("timeout_s", 10.0)
    if type(timeout) not in (int, float) or not 0.1 <= timeout <= MAX_TIMEOUT_S:
        bad("timeout_s", f"must be between 0.1 and {MAX_TIMEOUT_S:g} seconds")
    size = config.get("max_response_bytes", 256 * 1024)
    if type(size) is not int or not 1 <= size <= MAX_RESPONSE_BYTES:
        bad("max_response_bytes", f"must be between 1 and {MAX_RESPONSE_BYTES}")
    fields_ = config.get("response_fields") or []
    if (
        not isinstance(fields_, list)
        or len(fields_) > MAX_FIELDS
        or not all(
            isinstance(f, str) and 0 < len(f) <= 200 and "" not in f.split(".") for f in fields_
        )
    ):
        bad("response_fields", f"must be at most {MAX_FIELDS} dotted paths like 'shipment.status'")
    if not isinstance(config.get("allow_model_host", False), bool):
        bad("allow_model_host", "must be true or false")
    return errors


def secret_header_errors(names: Sequence[str]) -> list[FieldError]:
    """Secrets of an http tool are header values: their names must be settable headers."""
    return [
        FieldError(f"secrets.{name}", "must be a header name a tool may set")
        for name in names
        if not HEADER_NAME.fullmatch(name) or name.lower() in RESERVED_HEADERS
    ]


def _url_errors(config: Mapping[str, Any], parameters: Mapping[str, Any]) -> list[FieldError]:
    url = config.get("url")
    if not isinstance(url, str) or not 0 < len(url) <= MAX_URL:
        return [
            FieldError("config.url", f"is required: an http(s) URL of at most {MAX_URL} characters")
        ]
    try:
        names = placeholders(url)
    except ValueError:
        return [FieldError("config.url", "has an unbalanced '{' or '}'")]
    head, authority, _ = split_authority(url)
    if head.lower() not in ("http://", "https://"):
        return [FieldError("config.url", "must start with http:// or https://")]
    if "@" in authority:
        return [FieldError("config.url", "must not carry credentials: use a secret header")]
    if "#" in url:
        return [FieldError("config.url", "must not have a fragment")]
    errors = []
    in_host = [n for n in names if "{" + n + "}" in authority]
    if in_host and not config.get("allow_model_host", False):
        errors.append(
            FieldError(
                "config.url", "puts a parameter in the host; set allow_model_host to allow it"
            )
        )
    if not authority or (authority.startswith(("{", ":")) and not in_host):
        errors.append(FieldError("config.url", "must name a host"))
    properties = parameters.get("properties", {}) if parameters else {}
    for name in names:
        if not name or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,63}", name):
            errors.append(
                FieldError("config.url", f"placeholder {{{name}}} is not a parameter name")
            )
        elif parameters and name not in properties:
            errors.append(
                FieldError("config.url", f"placeholder {{{name}}} is not in parameters.properties")
            )
        elif parameters and name not in parameters.get("required", []):
            errors.append(
                FieldError("config.url", f"placeholder {{{name}}} must be a required parameter")
            )
    return errors


def select_fields(document: Any, paths: Sequence[str]) -> dict[str, Any]:
    """``{path: value}`` for each dotted path found in ``document`` (list items by index)."""
    selected = {}
    for path in paths:
        node, found = document, True
        for key in path.split("."):
            if isinstance(node, Mapping) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                found = False
                break
        if found:
            selected[path] = node
    return selected
