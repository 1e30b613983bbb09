"""``itl ingest PATH... --tenant T``: load files and folders into a tenant's knowledge base.

Folders are walked recursively for the supported types (hidden entries skipped). Each file
goes through the same ingestion use case as an upload (dedupe by content hash, the same limits),
acting as the platform. Progress goes to stderr (a bar on a terminal, one line per file
otherwise), the summary to stdout; the exit status is 1 when any file was refused or failed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from itl_adapters.containers import resolve
from itl_adapters.knowledge.parsers import FORMATS
from itl_adapters.seed import SYSTEM
from itl_adapters.settings import Settings
from itl_core.errors import DomainError
from itl_core.knowledge.ingest import IngestDocumentRequest
from itl_core.knowledge.model import DocumentStatus

from itl_cli.admin import _container

BAR_WIDTH = 30


@dataclass
class IngestSummary:
    created: int = 0
    unchanged: int = 0
    chunks: int = 0
    problems: list[tuple[Path, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        head = (
            f"ingested {self.created} new document(s) ({self.chunks} chunks), "
            f"{self.unchanged} already present, {len(self.problems)} refused or failed"
        )
        return [head, *(f"  {path}: {reason}" for path, reason in self.problems)]


def collect(paths: Iterable[Path]) -> list[Path]:
    """The files to ingest, in a stable order; unsupported files inside folders are skipped,
    but a file named explicitly is kept (the use case then says why it is refused)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in FORMATS
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def _progress(out: TextIO, done: int, total: int, label: str) -> None:
    if out.isatty():
        filled = BAR_WIDTH * done // max(total, 1)
        out.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} {label[:40]:<40}")
        if done == total:
            out.write("\n")
    else:
        out.write(f"{done}/{total} {label}\n")
    out.flush()


async def ingest(
    settings: Settings, paths: Sequence[Path], tenant: str, *, err: TextIO = sys.stderr
) -> IngestSummary:
    files = collect(paths)
    summary = IngestSummary()
    async with _container(settings) as container:
        use_case = await resolve(container.use_cases.ingest_document)
        for index, path in enumerate(files, start=1):
            try:
                result = await use_case.execute(
                    IngestDocumentRequest(
                        principal=SYSTEM,
                        tenant_id=tenant,
                        filename=path.name,
                        content=path.read_bytes(),
                    )
                )
            except (OSError, DomainError) as e:
                summary.problems.append((path, getattr(e, "message", None) or str(e)))
            else:
                document = result.document
                if document.status is DocumentStatus.FAILED:
                    summary.problems.append((path, document.failure_reason or "failed"))
                elif result.created:
                    summary.created += 1
                    summary.chunks += document.chunks
                else:
                    summary.unchanged += 1
            _progress(err, index, len(files), path.name)
    return summary
