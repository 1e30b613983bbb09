"""Tool specification repository port."""

from __future__ import annotations

from typing import Protocol

from itl_core.pagination import Page, PageRequest
from itl_core.tools.model import ToolSpec


class ToolSpecRepository(Protocol):
    """A tenant's tool specs; names unique per tenant (Conflict)."""

    async def get(self, tenant_id: str, tool_id: str) -> ToolSpec | None: ...

    async def list(self, tenant_id: str, page: PageRequest) -> Page[ToolSpec]: ...

    async def add(self, tool: ToolSpec) -> None: ...

    async def update(self, tool: ToolSpec) -> None: ...

    async def delete(self, tenant_id: str, tool_id: str) -> bool: ...
