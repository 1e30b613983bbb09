"""Production settings and the deployment files: what refuses to start, and a compose.yaml /
nginx.conf / Dockerfile that agree with the settings (Docker itself is not needed to check)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from itl_adapters.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "ITL_ENV": "production",
    "ITL_DATABASE_URL": "postgresql://itl_app:pw@db:5432/itl",
    "ITL_REDIS_URL": "redis://redis:6379/0",
    "ITL_JWT_KEYS": '{"keys": []}',
    "ITL_SECRET_KEYS": "a-fernet-key",
    "ITL_CORS_ORIGINS": "https://chat.example.com",
}


def test_production_with_every_secret_and_server_given_can_serve() -> None:
    Settings.from_env(PRODUCTION).check_can_serve()


@pytest.mark.parametrize(
    "missing", ["ITL_JWT_KEYS", "ITL_SECRET_KEYS", "ITL_DATABASE_URL", "ITL_REDIS_URL"]
)
def test_production_refuses_generated_secrets_and_embedded_servers(missing: str) -> None:
    settings = Settings.from_env({k: v for k, v in PRODUCTION.items() if k != missing})
    with pytest.raises(SettingsError, match=missing):
        settings.check_can_serve()


def test_development_may_generate_its_keys() -> None:
    Settings.from_env({}).check_can_serve()


def test_a_wildcard_cors_origin_is_refused_from_the_environment_and_in_production() -> None:
    with pytest.raises(SettingsError, match="CORS"):
        Settings.from_env({**PRODUCTION, "ITL_CORS_ORIGINS": "https://a.example.com,*"})
    built = Settings(**{**vars_of(Settings.from_env(PRODUCTION)), "cors_origins": ("*",)})
    with pytest.raises(SettingsError, match="wildcard"):
        built.check_can_serve()


def test_the_public_widget_url_is_read_validated_or_derived_from_host_and_port() -> None:
    given = Settings.from_env({"ITL_PUBLIC_WIDGET_URL": "https://widget.example.com/"})
    assert given.widget_url == "https://widget.example.com"  # a base: no trailing slash
    assert Settings.from_env({"ITL_WIDGET_PORT": "9001"}).widget_url == "http://127.0.0.1:9001"
    # A wildcard bind address is no address a browser can use.
    assert Settings.from_env({"ITL_HOST": "0.0.0.0"}).widget_url == "http://127.0.0.1:8001"
    for bad in ("widget.example.com", "ftp://widget.example.com", 'https://w.example/"x'):
        with pytest.raises(SettingsError, match="ITL_PUBLIC_WIDGET_URL"):
            Settings.from_env({"ITL_PUBLIC_WIDGET_URL": bad})


def test_operability_settings_are_read_and_validated() -> None:
    settings = Settings.from_env(
        {
            "ITL_CONFIG_CACHE_TTL": "60",
            "ITL_LOG_BODIES": "true",
            "ITL_LOG_FORMAT": "console",
            "ITL_SHUTDOWN_GRACE_SECONDS": "20",
            "ITL_DATABASE_CONNECT_TIMEOUT": "2",
        }
    )
    assert (settings.config_cache_ttl, settings.log_bodies, settings.log_format) == (
        60,
        True,
        "console",
    )
    assert (settings.shutdown_grace_seconds, settings.database_connect_timeout) == (20, 2)
    assert Settings.from_env({}).log_bodies is False  # bodies stay out of logs unless asked
    assert Settings.from_env({"ITL_SESSION_CACHE_TTL": "30"}).session_cache_ttl == 30
    assert Settings.from_env({}).session_cache_ttl == 60
    with pytest.raises(SettingsError, match="SESSION_CACHE_TTL"):
        Settings.from_env({"ITL_SESSION_CACHE_TTL": "0"})
    with pytest.raises(SettingsError, match="LOG_FORMAT"):
        Settings.from_env({"ITL_LOG_FORMAT": "xml"})


def vars_of(settings: Settings) -> dict[str, Any]:
    return {name: getattr(settings, name) for name in Settings.__dataclass_fields__}


def interpolated(text: str) -> str:
    """compose's ``${VAR:?msg}`` / ``${VAR:-default}`` / ``${VAR}`` with test values."""
    return re.sub(
        r"\$\{(\w+)(?::[?-]([^}]*))?\}",
        lambda m: (
            (m.group(2) or "x") if m.group(0).find(":-") > 0 else f"test-{m.group(1).lower()}"
        ),
        text,
    )


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load(interpolated((ROOT / "compose.yaml").read_text()))


def test_compose_runs_the_unified_topology_with_health_checks(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["postgres"]["image"] == "pgvector/pgvector:pg16"
    assert services["redis"]["image"].startswith("redis:7")
    for name in ("postgres", "redis", "api", "widget", "edge"):
        assert "healthcheck" in services[name], name
    api = services["api"]["command"]
    assert int(api[api.index("--workers") + 1]) > 1
    assert services["edge"]["build"]["target"] == "edge"
    assert [p.split(":")[-1] for p in services["edge"]["ports"]] == ["8080"]
    assert "ports" not in services["api"] and "ports" not in services["widget"]  # only via nginx


def test_compose_app_settings_are_production_settings_that_can_serve(
    compose: dict[str, Any],
) -> None:
    for name in ("api", "widget"):
        env = {k: str(v) for k, v in compose["services"][name]["environment"].items()}
        assert all(key.startswith("ITL_") or key == "PROMETHEUS_MULTIPROC_DIR" for key in env)
        settings = Settings.from_env(env)
        assert settings.is_production and not settings.migrate_on_start
        settings.check_can_serve()
        grace = compose["services"][name]["command"]
        assert (
            int(grace[grace.index("--timeout-graceful-shutdown") + 1])
            == settings.shutdown_grace_seconds
        )


def test_multi_worker_apps_share_their_metrics_through_a_fresh_directory(
    compose: dict[str, Any],
) -> None:
    for name in ("api", "widget"):
        service = compose["services"][name]
        workers = service["command"][service["command"].index("--workers") + 1]
        directory = service["environment"].get("PROMETHEUS_MULTIPROC_DIR")
        assert int(workers) > 1 and directory, name  # else /metrics shows one random worker
        assert directory in service["tmpfs"], name  # empty at each start (stale pids' values)


def test_nginx_routes_each_path_to_its_app_and_never_buffers_streams() -> None:
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "proxy_buffering off;" in conf
    routes = dict(re.findall(r"location (?:= )?(\S+) \{ proxy_pass http://(\w+); \}", conf))
    assert routes["/api/public/"] == "widget" and routes["/widget.js"] == "widget"
    assert routes["/api/"] == "api" and routes["/ready"] == "api"
    assert "try_files $uri /index.html;" in conf  # the web app's client-side routes


def test_the_dockerfile_builds_every_target_compose_names(compose: dict[str, Any]) -> None:
    stages = set(re.findall(r"^FROM \S+ AS (\w+)$", (ROOT / "Dockerfile").read_text(), re.M))
    targets = {s["build"]["target"] for s in compose["services"].values() if "build" in s}
    assert targets <= stages
