"""The REST API over the real stack: embedded PostgreSQL (runtime role, RLS) and Redis.

Each test gets an ``Api``: a fresh app built by the real composition root over empty tables
(``database`` truncates them), seeded like a first start (platform admin, tenant ``demo`` with
its admin and four agents) plus a second tenant ``other`` with a tenant admin, an operator, a
member and two agents of its own. Login limits live under a namespace of their own per test, so
tests never share attempt counters.

Cost control: the key material and the password hasher are built once per session (an RSA key
and the hasher's dummy hash are the slow parts); role tokens for the helpers are signed by the
app's own ``JwtService`` instead of logging in (the auth tests log in through the API).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from cryptography.fernet import Fernet
from dependency_injector import providers
from http_api.app import create_app
from itl_adapters.containers import Application, resolve
from itl_adapters.redis.ratelimit import RedisRateLimiter
from itl_adapters.security.keys import dump_private_jwks, generate_signing_key
from itl_adapters.security.passwords import Argon2PasswordHasher
from itl_adapters.seed import DEMO_ADMIN_EMAIL, DEMO_TENANT, SYSTEM, seed
from itl_adapters.settings import Settings
from itl_core.access import Role
from itl_core.agents.model import AgentKind
from itl_core.agents.use_cases import AgentDraft, CreateAgentRequest
from itl_core.pagination import PageRequest
from itl_core.security.ports import TokenKind
from itl_core.tenants.use_cases import CreateTenantRequest
from itl_core.users.use_cases import CreateUserRequest
from litestar.testing import AsyncTestClient

from tests.support.caching import isolate_config_cache
from tests.support.threads import app_on_portal

PROBLEM_JSON = "application/problem+json"
ADMIN_PASSWORD = "platform-admin-password-1"
DEMO_PASSWORD = "demo-admin-password-1"
OTHER_TENANT = "other"
OTHER_PASSWORD = "other-tenant-password-1"
OTHER_AGENTS = (
    AgentDraft(
        name="Other Router", kind=AgentKind.SUPERVISOR, description="Routes other's traffic."
    ),
    AgentDraft(name="Other Billing", description="Answers billing questions for other."),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Keys:
    jwt_keys: str
    secret_keys: tuple[str, ...]


@dataclass(slots=True, kw_only=True)
class TenantData:
    """What a tenant owns, to look for in other tenants' answers."""

    id: str
    name: str
    admin_email: str
    admin_id: str
    user_ids: dict[str, str] = field(default_factory=dict)  # email -> id
    agent_ids: dict[str, str] = field(default_factory=dict)  # name -> id
    session_ids: list[str] = field(default_factory=list)  # chat sessions a test opened

    @property
    def agent_id(self) -> str:
        return next(iter(self.agent_ids.values()))

    def identifiers(self) -> list[str]:
        """Strings that must never appear in another tenant's answers."""
        return [
            self.name,
            *self.user_ids,
            *self.user_ids.values(),
            *self.agent_ids,
            *self.agent_ids.values(),
            *self.session_ids,
        ]


@dataclass(slots=True, kw_only=True)
class Api:
    client: AsyncTestClient[Any]
    container: Application
    settings: Settings
    platform_admin_id: str
    demo: TenantData
    other: TenantData
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    def token_for(self, user_id: str, tenant_id: str | None, role: Role) -> str:
        tokens = self.container.infra.tokens()
        return tokens.issue(
            kind=TokenKind.ACCESS, subject=user_id, tenant_id=tenant_id, role=role.value
        ).token

    def bearer(self, user_id: str, tenant_id: str | None, role: Role) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token_for(user_id, tenant_id, role)}"}

    @property
    def platform(self) -> dict[str, str]:
        return self.headers["platform_admin"]

    @property
    def demo_admin(self) -> dict[str, str]:
        return self.headers["demo_admin"]

    @property
    def other_admin(self) -> dict[str, str]:
        return self.headers["other_admin"]

    @property
    def other_operator(self) -> dict[str, str]:
        return self.headers["other_operator"]

    @property
    def other_member(self) -> dict[str, str]:
        return self.headers["other_member"]

    async def login(self, email: str, password: str) -> dict[str, Any]:
        response = await self.client.post(
            "/api/auth/login", json={"email": email, "password": password}
        )
        assert response.status_code == 200, response.text
        return response.json()


def assert_problem(response: Any, status: int | None = None) -> dict[str, Any]:
    """An RFC 9457 answer: problem+json with type, title, status (matching) and detail."""
    if status is not None:
        assert response.status_code == status, (response.status_code, response.text)
    assert response.headers.get("content-type", "").startswith(PROBLEM_JSON), (
        response.status_code,
        response.headers.get("content-type"),
        response.text,
    )
    body = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys(), body
    assert body["status"] == response.status_code
    return body


@pytest.fixture(scope="session")
def keys() -> Keys:
    return Keys(
        jwt_keys=dump_private_jwks([generate_signing_key()]),
        secret_keys=(Fernet.generate_key().decode("ascii"),),
    )


class SessionHasher(Argon2PasswordHasher):
    """The real Argon2id hasher, hashing each distinct password once per test session.

    Every test seeds the same five users with the same few passwords; re-deriving those hashes
    (about 50 ms each) would dominate the suite's runtime. ``verify`` is untouched, so every
    login still runs Argon2id against a genuine PHC string.
    """

    def __init__(self) -> None:
        self._hashes: dict[str, str] = {}
        super().__init__()

    def hash(self, password: str) -> str:
        if password not in self._hashes:
            self._hashes[password] = super().hash(password)
        return self._hashes[password]


@pytest.fixture(scope="session")
def hasher() -> Argon2PasswordHasher:
    return SessionHasher()


@pytest.fixture(scope="session")
def settings(
    tmp_path_factory: pytest.TempPathFactory, pg_runtime_url: str, redis_url: str, keys: Keys
) -> Settings:
    return Settings(
        data_dir=tmp_path_factory.mktemp("api-data"),
        database_url=pg_runtime_url,
        redis_url=redis_url,
        migrate_on_start=False,
        database_pool_min=1,
        database_pool_max=4,
        jwt_keys=keys.jwt_keys,
        secret_keys=keys.secret_keys,
        admin_password=ADMIN_PASSWORD,
        demo_password=DEMO_PASSWORD,
    )


@pytest.fixture(scope="session")
def container(settings: Settings, hasher: Argon2PasswordHasher) -> Application:
    container = Application(settings=settings)
    container.infra.hasher.override(providers.Object(hasher))
    return container


@pytest.fixture(scope="session")
async def client(container: Application) -> AsyncIterator[AsyncTestClient[Any]]:
    """One app (and one lifespan: pool, Redis client) for the session; ``api`` resets its data."""
    async with AsyncTestClient(app=create_app(container)) as client:
        yield client


def isolate_rate_limits(container: Application) -> None:
    """Point the login limiter at a fresh Redis namespace, so no test inherits attempts."""
    container.infra.rate_limiter.override(
        providers.Singleton(
            RedisRateLimiter,
            container.infra.redis,
            container.infra.clock,
            namespace=f"itl:test:{uuid.uuid4().hex}:rl:",
        )
    )


async def _seed_other(container: Application) -> TenantData:
    create_tenant = await resolve(container.use_cases.create_tenant)
    await create_tenant.execute(
        CreateTenantRequest(principal=SYSTEM, id=OTHER_TENANT, name="Other Freight", settings={})
    )
    create_user = await resolve(container.use_cases.create_user)
    data = TenantData(id=OTHER_TENANT, name="Other Freight", admin_email="", admin_id="")
    for role in (Role.TENANT_ADMIN, Role.OPERATOR, Role.MEMBER):
        email = f"{role.value.replace('_', '-')}@other.test"
        user = await create_user.execute(
            CreateUserRequest(
                principal=SYSTEM,
                email=email,
                password=OTHER_PASSWORD,
                role=role,
                tenant_id=OTHER_TENANT,
            )
        )
        data.user_ids[email] = user.id
        if role is Role.TENANT_ADMIN:
            data.admin_email, data.admin_id = email, user.id
    create_agent = await resolve(container.use_cases.create_agent)
    for draft in OTHER_AGENTS:
        agent = await create_agent.execute(
            CreateAgentRequest(principal=SYSTEM, tenant_id=OTHER_TENANT, draft=draft)
        )
        data.agent_ids[agent.name] = agent.id
    return data


async def _demo_data(container: Application) -> tuple[TenantData, str]:
    users = await resolve(container.repositories.users)
    agents = await resolve(container.repositories.agents)
    demo_users = (await users.list(DEMO_TENANT, PageRequest(limit=200))).items
    demo_agents = (await agents.list(DEMO_TENANT, PageRequest(limit=200))).items
    platform = (await users.list(None, PageRequest(limit=200))).items
    admin = next(u for u in demo_users if u.email == DEMO_ADMIN_EMAIL)
    data = TenantData(
        id=DEMO_TENANT,
        name="Demo Logistics",
        admin_email=DEMO_ADMIN_EMAIL,
        admin_id=admin.id,
        user_ids={u.email: u.id for u in demo_users},
        agent_ids={a.name: a.id for a in demo_agents},
    )
    assert len(data.agent_ids) >= 4
    return data, platform[0].id


@pytest.fixture
async def api(
    database: Any, client: AsyncTestClient[Any], container: Application, settings: Settings
) -> Api:
    """The app over freshly emptied tables (``database``), seeded as described above."""
    isolate_rate_limits(container)
    isolate_config_cache(container)  # see tests.support.caching
    await seed(container, settings)
    other = await _seed_other(container)
    demo, platform_admin_id = await _demo_data(container)
    api = Api(
        client=client,
        container=container,
        settings=settings,
        platform_admin_id=platform_admin_id,
        demo=demo,
        other=other,
    )
    api.headers = {
        "platform_admin": api.bearer(platform_admin_id, None, Role.PLATFORM_ADMIN),
        "demo_admin": api.bearer(demo.admin_id, DEMO_TENANT, Role.TENANT_ADMIN),
        "other_admin": api.bearer(other.admin_id, OTHER_TENANT, Role.TENANT_ADMIN),
        "other_operator": api.bearer(
            other.user_ids["operator@other.test"], OTHER_TENANT, Role.OPERATOR
        ),
        "other_member": api.bearer(other.user_ids["member@other.test"], OTHER_TENANT, Role.MEMBER),
    }
    return api


@pytest.fixture
def served(api: Api) -> Iterator[int]:
    """The port of the app also served over real TCP, on the app's own loop (for what the app
    calls on itself, streams, hang-ups, truly concurrent requests; see
    ``tests.support.threads.app_on_portal``)."""
    with app_on_portal(api.client) as port:
        yield port


@pytest.fixture
def live(served: int) -> str:
    """The base URL of ``served``."""
    return f"http://127.0.0.1:{served}"
