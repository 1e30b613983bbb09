"""The unit-test world: the real composition root with the in-memory fakes overridden in.

Every use case is resolved from ``memory_application`` exactly as production resolves it from
``Application``; nothing of ours is mocked. The people tests act as are real users, created through
the ``create_user`` use case, so their principals carry ids the stores know.
"""

from __future__ import annotations

import pytest
from itl_adapters.containers import Application
from itl_adapters.memory.clock import FakeClock
from itl_adapters.memory.container import memory_application
from itl_adapters.memory.store import MemoryStore
from itl_adapters.settings import Settings
from itl_core.access import Principal, Role
from itl_core.tenants.model import Tenant

from tests.support.platform import Platform


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    # One data dir for the session: the development keys are generated once, not per test.
    return Settings(data_dir=tmp_path_factory.mktemp("itl-unit"))


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def container(settings: Settings, store: MemoryStore) -> Application:
    return memory_application(settings, store)


@pytest.fixture
def clock(container: Application) -> FakeClock:
    return container.infra.clock()


@pytest.fixture
def platform(container: Application) -> Platform:
    return Platform(container)


@pytest.fixture
async def root(platform: Platform) -> Principal:
    """A platform admin (no tenant)."""
    return (await platform.user(None, Role.PLATFORM_ADMIN, email="root@platform.test")).principal()


@pytest.fixture
async def acme(platform: Platform) -> Tenant:
    return await platform.tenant("acme", "Acme Corp")


@pytest.fixture
async def globex(platform: Platform) -> Tenant:
    return await platform.tenant("globex", "Globex")


@pytest.fixture
async def acme_admin(platform: Platform, acme: Tenant) -> Principal:
    return (await platform.user(acme.id, Role.TENANT_ADMIN)).principal()


@pytest.fixture
async def acme_operator(platform: Platform, acme: Tenant) -> Principal:
    return (await platform.user(acme.id, Role.OPERATOR)).principal()


@pytest.fixture
async def acme_member(platform: Platform, acme: Tenant) -> Principal:
    return (await platform.user(acme.id, Role.MEMBER)).principal()


@pytest.fixture
async def globex_admin(platform: Platform, globex: Tenant) -> Principal:
    return (await platform.user(globex.id, Role.TENANT_ADMIN)).principal()
