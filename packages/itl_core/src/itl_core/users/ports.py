"""User repository port."""

from __future__ import annotations

from typing import Protocol

from itl_core.pagination import Page, PageRequest
from itl_core.users.model import User


class UserRepository(Protocol):
    """Users by tenant (``None`` = platform users); emails are unique platform-wide (Conflict)."""

    async def get(self, tenant_id: str | None, user_id: str) -> User | None: ...

    async def find_for_login(self, email: str) -> User | None:
        """Look a user up by normalised email across all tenants: the one platform-wide read."""
        ...

    async def list(self, tenant_id: str | None, page: PageRequest) -> Page[User]: ...

    async def add(self, user: User) -> None: ...

    async def update(self, user: User) -> None: ...

    async def delete(self, tenant_id: str | None, user_id: str) -> bool: ...
