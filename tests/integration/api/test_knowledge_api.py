"""The knowledge API: uploads of every format to searchable chunks, refusals with nothing
half-written, dedupe, roles, and tenant isolation of documents and search."""

from __future__ import annotations

import pytest
from itl_core.access import Role

from tests.integration.api.conftest import Api, assert_problem
from tests.support.documents import SAMPLE_FILES, SAMPLE_WORDS

DOCS = "/api/admin/knowledge/documents"
SEARCH = "/api/admin/knowledge/search"


async def upload(api: Api, headers: dict[str, str], filename: str, content: bytes, **params: str):
    return await api.client.post(
        DOCS,
        headers=headers,
        files={"file": (filename, content)},
        data={"title": f"T {filename}"},
        params=params,
    )


async def document_count(api: Api, headers: dict[str, str]) -> int:
    response = await api.client.get(DOCS, headers=headers, params={"limit": 200})
    assert response.status_code == 200, response.text
    return len(response.json()["items"])


async def test_a_file_of_each_format_is_uploaded_and_found_by_search(api: Api) -> None:
    for filename, content in SAMPLE_FILES.items():
        response = await upload(api, api.other_admin, filename, content)
        assert response.status_code == 201, response.text
        doc = response.json()
        assert doc["status"] == "ready" and doc["chunks"] >= 1 and doc["title"] == f"T {filename}"
        assert doc["bytes"] == len(content)
        found = await api.client.post(
            SEARCH, headers=api.other_admin, json={"query": SAMPLE_WORDS[filename], "k": 3}
        )
        assert found.status_code == 200, found.text
        top = found.json()["items"][0]
        assert top["document_id"] == doc["id"] and SAMPLE_WORDS[filename] in top["text"]
        assert {"chunk_id", "title", "score"} <= top.keys()
    fetched = await api.client.get(f"{DOCS}/{doc['id']}", headers=api.other_admin)
    assert fetched.status_code == 200 and fetched.json() == doc


async def test_json_text_uploads_and_the_same_content_again_is_not_duplicated(api: Api) -> None:
    body = {"title": "Opening hours", "text": "# Hours\n\nThe depot opens at 07:00 on weekdays."}
    first = await api.client.post(DOCS, headers=api.other_admin, json=body)
    assert first.status_code == 201, first.text
    again = await api.client.post(DOCS, headers=api.other_admin, json=body)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert await document_count(api, api.other_admin) == 1


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("empty.txt", b""),
        ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
        ("broken.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog"),
        ("setup.exe", b"MZ\x90\x00"),
    ],
)
async def test_unusable_files_answer_422_with_the_reason_and_leave_nothing(
    api: Api, filename: str, content: bytes
) -> None:
    response = await upload(api, api.other_admin, filename, content)
    problem = assert_problem(response, 422)
    assert problem["errors"][0]["field"] == "file"
    assert await document_count(api, api.other_admin) == 0


async def test_a_50_mb_upload_answers_413_and_leaves_nothing(api: Api) -> None:
    response = await upload(api, api.other_admin, "big.txt", b"freight " * (50 * 1024 * 1024 // 8))
    assert_problem(response, 413)
    assert await document_count(api, api.other_admin) == 0


async def test_other_bodies_are_refused_cleanly(api: Api) -> None:
    as_form = await api.client.post(DOCS, headers=api.other_admin, data={"title": "no file"})
    assert_problem(as_form, 415)
    no_file = await api.client.post(DOCS, headers=api.other_admin, files={"other": ("a.txt", b"x")})
    assert_problem(no_file, 422)
    bad_json = await api.client.post(
        DOCS, headers={**api.other_admin, "content-type": "application/json"}, content=b"{"
    )
    assert_problem(bad_json, 400)
    nul = await api.client.post(
        DOCS, headers=api.other_admin, json={"title": "x", "text": "a\x00b"}
    )
    assert_problem(nul, 422)
    assert_problem(
        await api.client.post(SEARCH, headers=api.other_admin, json={"query": "", "k": 3}), 400
    )
    assert_problem(
        await api.client.post(SEARCH, headers=api.other_admin, json={"query": "x", "k": 500}), 400
    )


async def test_documents_and_search_never_cross_tenants(api: Api) -> None:
    demo_docs = (await api.client.get(DOCS, headers=api.demo_admin)).json()["items"]
    assert {d["title"] for d in demo_docs} >= {
        "Incoterms 2020 overview",
        "Customs documents checklist",
    }
    demo_doc = demo_docs[0]["id"]
    for method in ("get", "delete"):
        assert_problem(
            await getattr(api.client, method)(f"{DOCS}/{demo_doc}", headers=api.other_admin), 404
        )
    assert await document_count(api, api.other_admin) == 0
    found = await api.client.post(
        SEARCH, headers=api.other_admin, json={"query": "Incoterms DDP customs", "k": 10}
    )
    assert found.status_code == 200 and found.json()["items"] == []
    assert_problem(
        await api.client.post(
            SEARCH, headers=api.other_admin, params={"tenant_id": "demo"}, json={"query": "DDP"}
        ),
        404,
    )
    demo = await api.client.post(
        SEARCH,
        headers=api.demo_admin,
        json={"query": "what documents do I need for customs?", "k": 3},
    )
    assert demo.json()["items"][0]["title"] == "Customs documents checklist"


async def test_roles_operators_read_and_search_members_do_neither_platform_names_the_tenant(
    api: Api,
) -> None:
    assert_problem(await upload(api, api.other_operator, "a.txt", b"hello"), 403)
    assert (await api.client.get(DOCS, headers=api.other_operator)).status_code == 200
    assert (
        await api.client.post(SEARCH, headers=api.other_operator, json={"query": "x"})
    ).status_code == 200
    assert_problem(await api.client.get(DOCS, headers=api.other_member), 403)
    assert_problem(await api.client.get(DOCS, headers=api.platform), 422)
    created = await upload(api, api.platform, "a.txt", b"platform upload", tenant_id="other")
    assert created.status_code == 201
    deleted = await api.client.delete(
        f"{DOCS}/{created.json()['id']}", headers=api.platform, params={"tenant_id": "other"}
    )
    assert deleted.status_code == 204
    assert (
        await document_count(api, api.bearer(api.other.admin_id, "other", Role.TENANT_ADMIN)) == 0
    )
