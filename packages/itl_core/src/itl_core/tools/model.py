"""Tool specifications as a tenant configures them."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class ToolKind(enum.StrEnum):
    HTTP = "http"
    RAG = "rag"
    HANDOFF = "handoff"


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolSpec:
    """``config`` holds no secrets: those live sealed in ``sealed_secrets`` (name -> ciphertext)."""

    id: str
    tenant_id: str
    name: str
    kind: ToolKind
    description: str = ""
    config: Mapping[str, Any] = field(default_factory=dict)
    sealed_secrets: Mapping[str, bytes] = field(default_factory=dict)
    created_at: datetime
    updated_at: datetime
