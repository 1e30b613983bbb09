"""``itl ingest``: files and folders into a tenant, progress on stderr, a summary, dedupe."""

from __future__ import annotations

import io
from pathlib import Path

from itl_adapters.postgres import Database
from itl_adapters.settings import Settings
from itl_cli.ingest import collect, ingest

from tests.integration.knowledge.conftest import Knowledge
from tests.support.documents import SAMPLE_FILES


async def test_a_folder_is_ingested_with_progress_and_a_summary(
    knowledge: Knowledge, database: Database, pg_runtime_url: str, tmp_path: Path
) -> None:
    tenant = await knowledge.tenant("cli-tenant")
    folder = tmp_path / "kb"
    (folder / "nested").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    for name, content in SAMPLE_FILES.items():
        (folder / "nested" / name).write_bytes(content)
    (folder / ".hidden" / "secret.md").write_bytes(b"# not this")
    (folder / "logo.png").write_bytes(b"\x89PNG")
    (tmp_path / "empty.txt").write_bytes(b"")
    paths = [folder, tmp_path / "empty.txt"]
    assert len(collect(paths)) == len(SAMPLE_FILES) + 1
    settings = Settings(
        data_dir=tmp_path / "data", database_url=pg_runtime_url, migrate_on_start=False
    )
    progress = io.StringIO()
    summary = await ingest(settings, paths, tenant, err=progress)
    assert (summary.created, summary.unchanged) == (len(SAMPLE_FILES), 0)
    assert [(p.name, reason) for p, reason in summary.problems] == [("empty.txt", "file: is empty")]
    assert (
        progress.getvalue().splitlines()[-1]
        == f"{len(SAMPLE_FILES) + 1}/{len(SAMPLE_FILES) + 1} empty.txt"
    )
    assert summary.lines()[0].startswith(f"ingested {len(SAMPLE_FILES)} new document(s)")
    again = await ingest(settings, [folder], tenant, err=io.StringIO())
    assert (again.created, again.unchanged, again.problems) == (0, len(SAMPLE_FILES), [])
