"""The API serves the built web app at ``/`` (unified deployment), without shadowing the API.

Built on a stand-in ``dist`` (what ``vite build`` writes: ``index.html``, a top-level file,
hashed bundles under ``assets/``). The app is never started: these routes need no resource,
so requests go straight through the ASGI app without its lifespan.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from http_api.app import create_app
from itl_adapters.containers import Application
from itl_adapters.settings import Settings
from litestar.testing import AsyncTestClient

INDEX = "<!doctype html><title>ITL</title><div id=root></div>"


def offline_settings(tmp_path: Path, web_dist: Path | None) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url="postgresql://unused",
        redis_url="redis://unused",
        migrate_on_start=False,
        rate_limits=False,  # the app is never started: nothing may need Redis or the database
        web_dist=web_dist,
    )


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("web") / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(INDEX)
    (root / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (root / "assets" / "index-Ab12Cd34.js").write_text("console.log('app')")
    return root


@pytest.fixture(scope="module")
def client(dist: Path) -> AsyncTestClient[Any]:
    settings = offline_settings(dist.parent, dist)
    return AsyncTestClient(app=create_app(Application(settings=settings)))


@pytest.mark.parametrize("path", ["/", "/agents", "/admin/tenants", "/sign-in?next=%2Fagents"])
async def test_app_routes_load_the_app_and_are_revalidated(
    client: AsyncTestClient[Any], path: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp


async def test_hashed_assets_are_cached_for_a_year(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/assets/index-Ab12Cd34.js")
    assert response.status_code == 200
    assert response.text == "console.log('app')"
    assert "max-age=31536000" in response.headers["cache-control"]
    assert "immutable" in response.headers["cache-control"]


async def test_top_level_files_are_served_as_themselves(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/favicon.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")


@pytest.mark.parametrize(
    "path",
    [
        "/assets/missing-0000.js",
        "/api/nothing-here",
        "/api",
        "/.well-known/nothing",
        "/../pyproject.toml",
    ],
)
async def test_missing_assets_and_api_paths_are_404_not_the_app(
    client: AsyncTestClient[Any], path: str
) -> None:
    response = await client.get(path)
    if path.startswith("/.."):  # normalised by the client to /pyproject.toml: the app, not a file
        assert response.text == INDEX
        return
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_the_api_schema_is_untouched_by_the_web_app(client: AsyncTestClient[Any]) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    assert "/" not in schema["paths"] and "/{path}" not in schema["paths"]
    assert "/api/auth/login" in schema["paths"]


async def test_without_a_build_the_api_serves_no_app(tmp_path: Path) -> None:
    settings = offline_settings(tmp_path, tmp_path / "never-built")
    client = AsyncTestClient(app=create_app(Application(settings=settings)))
    assert (await client.get("/")).status_code == 404
    assert (await client.get("/agents")).status_code == 404


def test_web_dist_defaults_to_the_checkout_build_and_follows_the_environment(
    tmp_path: Path,
) -> None:
    from itl_adapters.settings import REPO_WEB_DIST

    default = Settings.from_env({})
    assert default.web_dist == (REPO_WEB_DIST if REPO_WEB_DIST.is_dir() else None)
    chosen = Settings.from_env({"ITL_WEB_DIST": str(tmp_path)})
    assert chosen.web_dist == tmp_path
    assert dataclasses.replace(chosen, web_dist=None).web_dist is None
