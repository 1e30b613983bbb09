"""User administration.

Platform admins manage users of any tenant (and other platform admins, ``tenant_id=None``);
tenant admins manage the users of their own tenant and can never grant ``platform_admin``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from itl_core.access import Principal, Role, require_role
from itl_core.clock import Clock
from itl_core.errors import Conflict, NotFound, ValidationFailed
from itl_core.ids import IdGenerator
from itl_core.pagination import Page, PageRequest
from itl_core.security.ports import PasswordHasher
from itl_core.tenants.ports import TenantRepository
from itl_core.users.model import (
    User,
    email_errors,
    normalize_email,
    password_errors,
    role_errors,
)
from itl_core.users.ports import UserRepository

ADMINS = (Role.PLATFORM_ADMIN, Role.TENANT_ADMIN)


def user_scope(principal: Principal, requested: str | None) -> str | None:
    """The tenant whose users the principal acts on (None = the platform's own users)."""
    require_role(principal, *ADMINS)
    if principal.is_platform_admin:
        return requested
    if requested is not None and requested != principal.tenant_id:
        raise NotFound()
    return principal.tenant_id


@dataclass(frozen=True, slots=True, kw_only=True)
class CreateUserRequest:
    principal: Principal
    email: str
    password: str
    role: Role
    tenant_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateUserRequest:
    principal: Principal
    user_id: str
    tenant_id: str | None = None
    email: str | None = None
    password: str | None = None
    role: Role | None = None
    is_active: bool | None = None


class CreateUser:
    def __init__(
        self,
        users: UserRepository,
        tenants: TenantRepository,
        hasher: PasswordHasher,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._users, self._tenants, self._hasher = users, tenants, hasher
        self._clock, self._ids = clock, ids

    async def execute(self, request: CreateUserRequest) -> User:
        tenant_id = user_scope(request.principal, request.tenant_id)
        if not request.principal.is_platform_admin and request.role is Role.PLATFORM_ADMIN:
            raise ValidationFailed.single("role", "only platform admins may grant platform_admin")
        email = normalize_email(request.email)
        errors = email_errors(email) + password_errors(request.password)
        errors += role_errors(request.role, tenant_id)
        if errors:
            raise ValidationFailed(errors)
        if tenant_id is not None and await self._tenants.get(tenant_id) is None:
            raise ValidationFailed.single("tenant_id", f"tenant '{tenant_id}' does not exist")
        if await self._users.find_for_login(email) is not None:
            raise Conflict("A user with this email already exists.")
        now = self._clock.now()
        user = User(
            id=self._ids.new_id(),
            tenant_id=tenant_id,
            email=email,
            role=request.role,
            password_hash=self._hasher.hash(request.password),
            is_active=True,
            created_at=now,
            updated_at=now,
        )
        await self._users.add(user)
        return user


class GetUser:
    def __init__(self, users: UserRepository) -> None:
        self._users = users

    async def execute(
        self, principal: Principal, user_id: str, tenant_id: str | None = None
    ) -> User:
        user = await self._users.get(user_scope(principal, tenant_id), user_id)
        if user is None:
            raise NotFound("The user does not exist.")
        return user


class ListUsers:
    def __init__(self, users: UserRepository) -> None:
        self._users = users

    async def execute(
        self, principal: Principal, page: PageRequest, tenant_id: str | None = None
    ) -> Page[User]:
        return await self._users.list(user_scope(principal, tenant_id), page)


class UpdateUser:
    def __init__(self, users: UserRepository, hasher: PasswordHasher, clock: Clock) -> None:
        self._users, self._hasher, self._clock = users, hasher, clock

    async def execute(self, request: UpdateUserRequest) -> User:
        user = await GetUser(self._users).execute(
            request.principal, request.user_id, request.tenant_id
        )
        role = request.role if request.role is not None else user.role
        if not request.principal.is_platform_admin and role is Role.PLATFORM_ADMIN:
            raise ValidationFailed.single("role", "only platform admins may grant platform_admin")
        if request.principal.user_id == user.id and (
            role is not user.role or request.is_active is False
        ):
            raise Conflict("You cannot change your own role or deactivate yourself.")
        email = normalize_email(request.email) if request.email is not None else user.email
        errors = email_errors(email) + role_errors(role, user.tenant_id)
        if request.password is not None:
            errors += password_errors(request.password)
        if errors:
            raise ValidationFailed(errors)
        if email != user.email and await self._users.find_for_login(email) is not None:
            raise Conflict("A user with this email already exists.")
        updated = replace(
            user,
            email=email,
            role=role,
            is_active=request.is_active if request.is_active is not None else user.is_active,
            password_hash=(
                self._hasher.hash(request.password)
                if request.password is not None
                else user.password_hash
            ),
            updated_at=self._clock.now(),
        )
        await self._users.update(updated)
        return updated


class DeleteUser:
    def __init__(self, users: UserRepository) -> None:
        self._users = users

    async def execute(
        self, principal: Principal, user_id: str, tenant_id: str | None = None
    ) -> None:
        scope = user_scope(principal, tenant_id)
        if user_id == principal.user_id:
            raise Conflict("You cannot delete your own account.")
        if not await self._users.delete(scope, user_id):
            raise NotFound("The user does not exist.")
