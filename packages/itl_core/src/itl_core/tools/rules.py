"""Rules every tool spec obeys, and the per-kind rules of its ``config``.

``CONFIG_RULES`` maps a kind to the function that lists its config's field errors; a kind with
no entry accepts any JSON object (its owner adds its rules here, one line).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from itl_core.errors import FieldError
from itl_core.tools.http_config import http_config_errors, secret_header_errors
from itl_core.tools.model import ToolKind
from itl_core.tools.rag import rag_config_errors

# Function names models accept (OpenAI, Anthropic and Google share this shape).
NAME_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_DESCRIPTION = 2_000
MAX_SECRETS = 20
MAX_SECRET_LENGTH = 8_000

ConfigRule = Callable[[Mapping[str, Any], Sequence[str]], list[FieldError]]

CONFIG_RULES: dict[ToolKind, ConfigRule] = {
    ToolKind.HTTP: http_config_errors,
    ToolKind.RAG: rag_config_errors,
}

SECRET_NAME_RULES: dict[ToolKind, Callable[[Sequence[str]], list[FieldError]]] = {
    ToolKind.HTTP: secret_header_errors,
}


def tool_errors(
    *, name: str, kind: Any, description: str, config: Any, secret_names: Sequence[str]
) -> list[FieldError]:
    """Every rule a spec must satisfy on its own (name uniqueness is the store's)."""
    errors = []
    if not isinstance(kind, ToolKind):
        return [FieldError("kind", f"must be one of {', '.join(k.value for k in ToolKind)}")]
    if not NAME_RE.fullmatch(name):
        errors.append(FieldError("name", "must be 1 to 64 letters, digits, '_' or '-'"))
    if len(description) > MAX_DESCRIPTION:
        errors.append(FieldError("description", f"must be at most {MAX_DESCRIPTION} characters"))
    if len(secret_names) > MAX_SECRETS:
        errors.append(FieldError("secrets", f"must be at most {MAX_SECRETS}"))
    if not isinstance(config, Mapping):
        return [*errors, FieldError("config", "must be an object")]
    errors += SECRET_NAME_RULES.get(kind, lambda _: [])(secret_names)
    errors += CONFIG_RULES.get(kind, lambda _c, _s: [])(config, secret_names)
    return errors


def secret_value_errors(secrets: Mapping[str, str | None]) -> list[FieldError]:
    return [
        FieldError(f"secrets.{name}", f"must be 1 to {MAX_SECRET_LENGTH} characters on one line")
        for name, value in secrets.items()
        if value is not None
        and (not 0 < len(value) <= MAX_SECRET_LENGTH or "\r" in value or "\n" in value)
    ]
