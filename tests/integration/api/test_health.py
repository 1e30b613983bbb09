"""Liveness, readiness, metrics and the published OpenAPI schema."""

from __future__ import annotations

from tests.integration.api.conftest import Api

# Every route of API.md's sections Health, Auth, tenants, users and agents.
DOCUMENTED_ROUTES = {
    ("get", "/health"),
    ("get", "/ready"),
    ("get", "/metrics"),
    ("post", "/api/auth/login"),
    ("post", "/api/auth/refresh"),
    ("post", "/api/auth/logout"),
    ("get", "/api/auth/me"),
    ("get", "/.well-known/jwks.json"),
    ("get", "/api/admin/tenants"),
    ("post", "/api/admin/tenants"),
    ("get", "/api/admin/tenants/{tenant_id}"),
    ("patch", "/api/admin/tenants/{tenant_id}"),
    ("delete", "/api/admin/tenants/{tenant_id}"),
    ("get", "/api/admin/users"),
    ("post", "/api/admin/users"),
    ("get", "/api/admin/users/{user_id}"),
    ("patch", "/api/admin/users/{user_id}"),
    ("delete", "/api/admin/users/{user_id}"),
    ("get", "/api/admin/agents"),
    ("post", "/api/admin/agents"),
    ("get", "/api/admin/agents/{agent_id}"),
    ("put", "/api/admin/agents/{agent_id}"),
    ("patch", "/api/admin/agents/{agent_id}"),
    ("delete", "/api/admin/agents/{agent_id}"),
}


async def test_health_answers_ok_while_the_process_runs(api: Api) -> None:
    response = await api.client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_reports_postgres_and_redis_ok(api: Api) -> None:
    response = await api.client.get("/ready")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"postgres": "ok", "redis": "ok"}


async def test_metrics_expose_a_request_histogram_after_a_request(api: Api) -> None:
    await api.client.get("/health")
    response = await api.client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert "# TYPE itl_api_request_duration_seconds histogram" in text, text[:2000]
    assert "itl_api_request_duration_seconds_bucket{" in text
    assert 'path="/health"' in text


async def test_openapi_schema_lists_every_documented_route(api: Api) -> None:
    response = await api.client.get("/schema/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    published = {(method, path) for path, item in paths.items() for method in item}
    missing = DOCUMENTED_ROUTES - published
    assert not missing, sorted(missing)


async def test_openapi_operations_have_unique_operation_ids(api: Api) -> None:
    paths = (await api.client.get("/schema/openapi.json")).json()["paths"]
    ids = [
        op["operationId"]
        for item in paths.values()
        for method, op in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert len(ids) == len(set(ids)), sorted(ids)
