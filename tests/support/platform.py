"""A platform over in-memory fakes, and the scene-setting helpers unit tests share.

``Platform`` resolves use cases from the real composition root (``memory_application``) by name
and creates tenants and users THROUGH those use cases, so test data obeys the same rules as
production data.
"""

from __future__ import annotations

from typing import Any

from itl_adapters.containers import Application, resolve
from itl_core.access import Principal, Role
from itl_core.tenants.model import Tenant
from itl_core.tenants.use_cases import CreateTenantRequest
from itl_core.users.model import User
from itl_core.users.use_cases import CreateUserRequest

PASSWORD = "correct horse battery staple"

# The first platform admin is seeded outside the use cases (by the CLI); this stands in for it.
BOOTSTRAP = Principal(user_id="bootstrap", tenant_id=None, role=Role.PLATFORM_ADMIN)


class Platform:
    """A running platform over fakes: resolve use cases by name and set the scene through them."""

    def __init__(self, container: Application) -> None:
        self.container = container

    async def use(self, name: str) -> Any:
        return await resolve(getattr(self.container.use_cases, name))

    async def tenant(self, tenant_id: str, name: str | None = None) -> Tenant:
        create = await self.use("create_tenant")
        return await create.execute(
            CreateTenantRequest(
                principal=BOOTSTRAP, id=tenant_id, name=name or tenant_id.title(), settings={}
            )
        )

    async def user(
        self,
        tenant_id: str | None,
        role: Role,
        *,
        email: str | None = None,
        password: str = PASSWORD,
    ) -> User:
        create = await self.use("create_user")
        return await create.execute(
            CreateUserRequest(
                principal=BOOTSTRAP,
                tenant_id=tenant_id,
                role=role,
                email=email or f"{role.value}@{tenant_id or 'platform'}.test",
                password=password,
            )
        )
