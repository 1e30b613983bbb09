"""``itl embedding`` and ``itl jobs``: a tenant's model shown and changed, its jobs listed."""

from __future__ import annotations

from pathlib import Path

from itl_adapters.postgres import Database
from itl_adapters.settings import Settings
from itl_cli.jobs import embedding, jobs

from tests.integration.knowledge.conftest import Knowledge
from tests.support.documents import SAMPLE_FILES


async def test_the_model_is_shown_changed_and_the_queued_job_listed(
    knowledge: Knowledge, database: Database, pg_runtime_url: str, tmp_path: Path
) -> None:
    tenant = await knowledge.tenant("cli-jobs")
    await knowledge.ingest(tenant, "reefer.txt", SAMPLE_FILES["reefer.txt"])
    settings = Settings(
        data_dir=tmp_path / "data", database_url=pg_runtime_url, migrate_on_start=False
    )
    shown = await embedding(settings, tenant, None)
    assert shown[:2] == ["active model:    offline", "requested model: offline"]
    assert any(line.startswith("  available: offline-words (384-d)") for line in shown)
    assert await jobs(settings, tenant) == ["no jobs"]

    changed = await embedding(settings, tenant, "offline-words")
    assert changed[:2] == ["active model:    offline", "requested model: offline-words"]
    [queued] = [line for line in changed if line.startswith("re-embedding queued: ")]
    [listed] = await jobs(settings, tenant)
    assert queued.endswith(listed) and " reembed  queued    0/0" in listed
