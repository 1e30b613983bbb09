"""Tool wire formats. Secrets are write-only: bodies carry ``secrets`` (header name -> value),
answers carry only ``secret_names``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from itl_core.tools.model import ToolKind, ToolSpec
from itl_core.tools.ports import ToolOutcome
from itl_core.tools.use_cases import ToolDraft

from http_api.dto.common import StrictIn, Text

ToolName = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
SecretValue = Annotated[str, msgspec.Meta(min_length=1, max_length=8_000)]
Secrets = Annotated[dict[str, SecretValue], msgspec.Meta(max_length=20)]
SecretChanges = Annotated[dict[str, SecretValue | None], msgspec.Meta(max_length=20)]
Config = Annotated[dict[str, Any], msgspec.Meta(max_length=50)]


class ToolIn(StrictIn):
    """Create (POST) and full replace (PUT). On PUT, leaving ``secrets`` out keeps them."""

    name: ToolName
    kind: ToolKind
    description: Text = ""
    config: Config = msgspec.field(default_factory=dict)
    secrets: Secrets | msgspec.UnsetType = msgspec.UNSET

    def to_draft(self) -> ToolDraft:
        return ToolDraft(
            name=self.name, kind=self.kind, description=self.description, config=self.config
        )

    def secret_values(self) -> dict[str, str] | None:
        return None if self.secrets is msgspec.UNSET else dict(self.secrets)


class ToolPatchIn(StrictIn):
    """Partial update; ``secrets`` merges, and a null value removes that secret."""

    name: ToolName | msgspec.UnsetType = msgspec.UNSET
    kind: ToolKind | msgspec.UnsetType = msgspec.UNSET
    description: Text | msgspec.UnsetType = msgspec.UNSET
    config: Config | msgspec.UnsetType = msgspec.UNSET
    secrets: SecretChanges = msgspec.field(default_factory=dict)

    def changes(self) -> dict[str, Any]:
        return {
            f: v
            for f in ("name", "kind", "description", "config")
            if (v := getattr(self, f)) is not msgspec.UNSET
        }


class ToolOut(msgspec.Struct, kw_only=True):
    id: str
    name: str
    kind: ToolKind
    description: str
    config: dict[str, Any]
    secret_names: list[str]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, spec: ToolSpec) -> ToolOut:
        return cls(
            id=spec.id,
            name=spec.name,
            kind=spec.kind,
            description=spec.description,
            config=dict(spec.config),
            secret_names=sorted(spec.sealed_secrets),
            created_at=spec.created_at,
            updated_at=spec.updated_at,
        )


class ToolPageOut(msgspec.Struct, kw_only=True):
    items: list[ToolOut]
    next_cursor: str | None


class ToolTestIn(StrictIn):
    arguments: Annotated[dict[str, Any], msgspec.Meta(max_length=100)] = msgspec.field(
        default_factory=dict
    )


class CitationOut(msgspec.Struct, kw_only=True):
    document_id: str
    title: str
    chunk_id: str


class ToolOutcomeOut(msgspec.Struct, kw_only=True):
    """What the model would have received (``content``), and whether the run failed."""

    content: str
    is_error: bool
    handoff: bool
    citations: list[CitationOut]
    data: dict[str, Any]

    @classmethod
    def of(cls, outcome: ToolOutcome) -> ToolOutcomeOut:
        return cls(
            content=outcome.content,
            is_error=outcome.is_error,
            handoff=outcome.handoff,
            citations=[
                CitationOut(document_id=c.document_id, title=c.title, chunk_id=c.chunk_id)
                for c in outcome.citations
            ],
            data=dict(outcome.data),
        )
