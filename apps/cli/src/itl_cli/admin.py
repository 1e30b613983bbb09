"""Administrative sub-commands: migrate, create-tenant, create-user, keys."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from cryptography.fernet import Fernet
from itl_adapters.containers import Application, resolve
from itl_adapters.postgres.secrets import rotate_sealed_secrets
from itl_adapters.security.keys import dump_private_jwks, generate_signing_key
from itl_adapters.seed import SYSTEM
from itl_adapters.services import prepare_database
from itl_adapters.settings import Settings
from itl_core.access import Role
from itl_core.tenants.use_cases import CreateTenantRequest
from itl_core.users.use_cases import CreateUserRequest, UpdateUserRequest


@asynccontextmanager
async def _container(settings: Settings) -> AsyncIterator[Application]:
    settings, _, _ = await prepare_database(settings)
    container = Application(settings=settings)
    try:
        yield container
    finally:
        await container.shutdown_resources()  # type: ignore[misc]


async def migrate(settings: Settings) -> None:
    _, _, applied = await prepare_database(settings)
    print(f"applied {len(applied)} migration(s): {', '.join(applied) or 'none (up to date)'}")


async def create_tenant(settings: Settings, tenant_id: str, name: str) -> None:
    async with _container(settings) as container:
        use_case = await resolve(container.use_cases.create_tenant)
        tenant = await use_case.execute(
            CreateTenantRequest(principal=SYSTEM, id=tenant_id, name=name, settings={})
        )
    print(f"created tenant {tenant.id}")


async def create_user(
    settings: Settings, email: str, password: str, role: str, tenant: str | None
) -> None:
    async with _container(settings) as container:
        existing = await (await resolve(container.repositories.users)).find_for_login(
            email.strip().lower()
        )
        if existing is not None:
            update = await resolve(container.use_cases.update_user)
            await update.execute(
                UpdateUserRequest(
                    principal=SYSTEM,
                    user_id=existing.id,
                    tenant_id=existing.tenant_id,
                    password=password,
                )
            )
            print(f"reset the password of {existing.email}")
            return
        create = await resolve(container.use_cases.create_user)
        user = await create.execute(
            CreateUserRequest(
                principal=SYSTEM, email=email, password=password, role=Role(role), tenant_id=tenant
            )
        )
    print(f"created user {user.email} ({user.role.value}) id={user.id}")


async def rotate(settings: Settings) -> None:
    async with _container(settings) as container:
        count = await rotate_sealed_secrets(
            await resolve(container.infra.database), await resolve(container.infra.secret_box)
        )
    print(f"re-encrypted {count} secret(s) under the newest key")


def keys(settings: Settings, command: str) -> None:
    match command:
        case "rotate":
            asyncio.run(rotate(settings))
        case "generate-jwks":
            print(dump_private_jwks([generate_signing_key()]))
        case "generate-fernet":
            print(Fernet.generate_key().decode("ascii"))
