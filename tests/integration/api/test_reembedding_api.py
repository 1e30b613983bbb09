"""Re-embedding end to end on PostgreSQL: upload documents, change the embedding model over the
API, let the job run, watch its progress, and check that searches use one model's vectors at
every moment (the old one until the switch, then the new one), never a mix."""

from __future__ import annotations

import inspect
from dataclasses import replace
from typing import Any

from itl_adapters.containers import resolve
from itl_adapters.llm.offline import OfflineEmbedder
from itl_adapters.postgres.knowledge_search import PgKnowledgeSearch
from itl_core.jobs.model import Job

from tests.integration.api.conftest import Api, assert_problem
from tests.support.documents import SAMPLE_FILES

DOCS = "/api/admin/knowledge/documents"
SEARCH = "/api/admin/knowledge/search"
EMBEDDING = "/api/admin/knowledge/embedding"
JOBS = "/api/admin/knowledge/jobs"
NEW = "offline-words"
QUERY = {"query": "refrigerated container temperature", "k": 5}


async def upload_samples(api: Api, names: list[str]) -> int:
    chunks = 0
    for name in names:
        response = await api.client.post(
            DOCS, headers=api.other_admin, files={"file": (name, SAMPLE_FILES[name])}
        )
        assert response.status_code == 201, response.text
        chunks += response.json()["chunks"]
    return chunks


async def search(api: Api) -> list[tuple[str, float]]:
    response = await api.client.post(SEARCH, headers=api.other_admin, json=QUERY)
    assert response.status_code == 200, response.text
    return [(h["chunk_id"], round(h["score"], 9)) for h in response.json()["items"]]


async def direct_search(api: Api, embedder: OfflineEmbedder) -> list[tuple[str, float]]:
    db = await resolve(api.container.infra.database)
    hits = await PgKnowledgeSearch(db, embedder).search(api.other.id, QUERY["query"], QUERY["k"])
    return [(h.chunk_id, round(h.score, 9)) for h in hits]


async def stored_vectors(api: Api) -> dict[str, tuple[int, list[float]]]:
    db = await resolve(api.container.infra.database)
    async with db.tenant(api.other.id) as conn:
        cur = await conn.execute(
            "SELECT id, vector_dims(embedding), embedding, text, heading_path FROM knowledge_chunks"
        )
        rows = await cur.fetchall()
    return {r[0]: (r[1], r[2].to_list(), " / ".join([*r[4], r[3]])) for r in rows}  # type: ignore[misc]


async def all_of_model(api: Api, embedder: OfflineEmbedder) -> bool:
    """Every stored vector is 384-d and exactly the given model's vector of its chunk."""
    for dims, vector, text in (await stored_vectors(api)).values():
        [want] = await embedder.embed([text])
        if dims != 384 or max(abs(a - b) for a, b in zip(vector, want, strict=True)) > 1e-6:
            return False
    return True


async def run_until_settled(api: Api, job_id: str) -> dict[str, Any]:
    """Drive the runner (the app's own worker may take the job first: claims never overlap)."""
    runner = await resolve(api.container.use_cases.job_runner)
    for _ in range(100):
        response = await api.client.get(f"{JOBS}/{job_id}", headers=api.other_admin)
        assert response.status_code == 200, response.text
        if response.json()["status"] in ("succeeded", "failed"):
            return response.json()
        await runner.run_next()
    raise AssertionError("the job never settled")


async def test_changing_the_model_re_embeds_every_chunk_and_searches_switch_at_once(
    api: Api,
) -> None:
    chunks = await upload_samples(api, ["reefer.txt", "warehouse.md", "rates.csv"])
    before = await search(api)
    assert before == await direct_search(api, OfflineEmbedder())
    shown = await api.client.get(EMBEDDING, headers=api.other_operator)
    assert shown.status_code == 200, shown.text
    assert shown.json()["active_model"] == shown.json()["requested_model"] == "offline"
    models = {m["name"]: m for m in shown.json()["models"]}
    assert {"offline", NEW, "openai:text-embedding-3-small"} <= models.keys()
    assert models["openai:text-embedding-3-small"]["provider"] == "openai"
    assert models[NEW]["provider"] is None and models[NEW]["dimensions"] == 384

    changed = await api.client.put(EMBEDDING, headers=api.other_admin, json={"model": NEW})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["active_model"], body["requested_model"]) == ("offline", NEW)
    job = body["job"]
    assert job["kind"] == "reembed" and job["status"] in ("queued", "running")
    listed = await api.client.get(JOBS, headers=api.other_operator)
    assert [j["id"] for j in listed.json()["items"]] == [job["id"]]

    settled = await run_until_settled(api, job["id"])
    assert settled["status"] == "succeeded", settled
    assert settled["done"] == settled["total"] == chunks and settled["error"] is None
    after = await api.client.get(EMBEDDING, headers=api.other_admin)
    assert after.json()["active_model"] == NEW
    assert await all_of_model(api, OfflineEmbedder(char_trigrams=False))
    assert await search(api) == await direct_search(api, OfflineEmbedder(char_trigrams=False))


async def test_the_old_model_serves_searches_until_the_switch(api: Api) -> None:
    chunks = await upload_samples(api, ["reefer.txt", "warehouse.md"])
    before = await search(api)
    # The requested model is set directly (no job queued, so the app's worker stays out of it)
    # and the job's handler is run here, one chunk per step, looking between every two.
    tenants = await resolve(api.container.repositories.tenants)
    tenant = await tenants.get(api.other.id)
    await tenants.update(replace(tenant, settings={**tenant.settings, "embedding_model": NEW}))
    seen: list[tuple[int, int]] = []

    class Watching:
        async def report(self, done: int, total: int) -> None:
            seen.append((done, total))
            if done < total:
                assert await search(api) == before
                assert await all_of_model(api, OfflineEmbedder())

    handler = api.container.use_cases.reembed_tenant(batch=1)
    if inspect.isawaitable(handler):
        handler = await handler
    now = api.container.infra.clock().now()
    job = Job(id="observed", tenant_id=api.other.id, kind="reembed", created_at=now, updated_at=now)
    await handler.run(job, Watching())  # type: ignore[arg-type] - a Progress without a queue
    assert seen[0] == (0, chunks) and seen[-1] == (chunks, chunks) and len(seen) == chunks + 1
    assert await all_of_model(api, OfflineEmbedder(char_trigrams=False))
    assert await search(api) == await direct_search(api, OfflineEmbedder(char_trigrams=False))


async def test_refusals_are_problems_and_jobs_stay_in_their_tenant(api: Api) -> None:
    unknown = await api.client.put(EMBEDDING, headers=api.other_admin, json={"model": "nope"})
    assert assert_problem(unknown, 422)["errors"][0]["field"] == "model"
    extra = await api.client.put(
        EMBEDDING, headers=api.other_admin, json={"model": NEW, "dimensions": 768}
    )
    assert 400 <= assert_problem(extra)["status"] < 500
    assert_problem(
        await api.client.put(EMBEDDING, headers=api.other_operator, json={"model": NEW}), 403
    )
    keyless = await api.client.put(
        EMBEDDING, headers=api.other_admin, json={"model": "openai:text-embedding-3-small"}
    )
    assert assert_problem(keyless, 422)["errors"] == [
        {"field": "model", "message": "needs the tenant's openai provider key"}
    ]
    assert_problem(await api.client.get(f"{JOBS}/no-such-job", headers=api.other_admin), 404)
    queued = await api.client.put(EMBEDDING, headers=api.other_admin, json={"model": NEW})
    job_id = queued.json()["job"]["id"]
    assert_problem(await api.client.get(f"{JOBS}/{job_id}", headers=api.demo_admin), 404)
    theirs = await api.client.get(JOBS, headers=api.demo_admin)
    assert theirs.status_code == 200 and theirs.json()["items"] == []
    platform = await api.client.get(
        f"{JOBS}/{job_id}", headers=api.platform, params={"tenant_id": api.other.id}
    )
    assert platform.status_code == 200 and platform.json()["id"] == job_id
    patched = await api.client.patch(
        f"/api/admin/tenants/{api.other.id}",
        headers=api.platform,
        json={"settings": {"embedding_model": "nope"}},
    )
    assert assert_problem(patched, 422)["errors"][0]["field"] == "settings.embedding_model"
