"""User administration (platform admins for any tenant, tenant admins for their own)."""

from __future__ import annotations

import msgspec
from itl_core.access import Principal
from itl_core.pagination import PageRequest
from itl_core.users.use_cases import (
    CreateUser,
    CreateUserRequest,
    DeleteUser,
    GetUser,
    ListUsers,
    UpdateUser,
    UpdateUserRequest,
)
from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from http_api.dto.auth import UserOut
from http_api.dto.common import TenantQuery
from http_api.dto.users import UserIn, UserPageOut, UserPatchIn


def _given(value: object) -> object:
    return None if value is msgspec.UNSET else value


class UserController(Controller):
    path = "/api/admin/users"
    tags = ["users"]
    security = [{"BearerToken": []}]

    @get("/", operation_id="listUsers")
    async def list_users(
        self,
        principal: NamedDependency[Principal],
        list_users: NamedDependency[ListUsers],
        tenant_id: TenantQuery = None,
        limit: FromQuery[int | None] = None,
        cursor: FromQuery[str | None] = None,
    ) -> UserPageOut:
        page = await list_users.execute(principal, PageRequest.parse(limit, cursor), tenant_id)
        return UserPageOut(items=[UserOut.of(u) for u in page.items], next_cursor=page.next_cursor)

    @post("/", operation_id="createUser")
    async def create_user(
        self,
        data: JSONBody[UserIn],
        principal: NamedDependency[Principal],
        create_user: NamedDependency[CreateUser],
    ) -> UserOut:
        user = await create_user.execute(
            CreateUserRequest(
                principal=principal,
                email=data.email,
                password=data.password,
                role=data.role,
                tenant_id=data.tenant_id if principal.is_platform_admin else principal.tenant_id,
            )
        )
        return UserOut.of(user)

    @get("/{user_id:str}", operation_id="getUser")
    async def get_user(
        self,
        user_id: FromPath[str],
        principal: NamedDependency[Principal],
        get_user: NamedDependency[GetUser],
        tenant_id: TenantQuery = None,
    ) -> UserOut:
        return UserOut.of(await get_user.execute(principal, user_id, tenant_id))

    @patch("/{user_id:str}", operation_id="updateUser")
    async def update_user(
        self,
        user_id: FromPath[str],
        data: JSONBody[UserPatchIn],
        principal: NamedDependency[Principal],
        update_user: NamedDependency[UpdateUser],
        tenant_id: TenantQuery = None,
    ) -> UserOut:
        user = await update_user.execute(
            UpdateUserRequest(
                principal=principal,
                user_id=user_id,
                tenant_id=tenant_id,
                email=_given(data.email),  # type: ignore[arg-type]
                password=_given(data.password),  # type: ignore[arg-type]
                role=_given(data.role),  # type: ignore[arg-type]
                is_active=_given(data.is_active),  # type: ignore[arg-type]
            )
        )
        return UserOut.of(user)

    @delete("/{user_id:str}", operation_id="deleteUser")
    async def delete_user(
        self,
        user_id: FromPath[str],
        principal: NamedDependency[Principal],
        delete_user: NamedDependency[DeleteUser],
        tenant_id: TenantQuery = None,
    ) -> None:
        await delete_user.execute(principal, user_id, tenant_id)
