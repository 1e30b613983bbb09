"""Cached decorators of the agent, tool-spec, widget-config and provider-key repositories.

Each wraps the real repository (PostgreSQL) and a ``ConfigCache``. The reads the chat hot path
makes go through the cache (agents: ``get``, ``list``, ``active_supervisor``; tools: ``get``,
``list``; widget: ``get``; provider keys: ``get``, the sealed key only: it is opened in the
process that uses it, never stored open); ``find_by_name``, ``list`` of keys and every write go
to the repository, and every
write bumps the tenant's version of that kind afterwards, even when it raised (a failed write
may still have changed rows, and a needless miss costs one query).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from itl_core.agents.model import Agent
from itl_core.agents.ports import AgentRepository
from itl_core.pagination import CursorKey, Page, PageRequest, encode_cursor
from itl_core.provider_keys.model import ProviderKey
from itl_core.provider_keys.ports import ProviderKeyRepository
from itl_core.tools.model import ToolSpec
from itl_core.tools.ports import ToolSpecRepository
from itl_core.widgets.model import WidgetConfig
from itl_core.widgets.ports import WidgetConfigRepository

from itl_adapters.cache.versioned import Codec, ConfigCache

__all__ = [
    "CachedAgentRepository",
    "CachedProviderKeyRepository",
    "CachedToolSpecRepository",
    "CachedWidgetConfigRepository",
]

_AGENT = Codec[Agent | None](Agent | None)
_AGENT_PAGE = Codec[Page[Agent]](Page[Agent])
_TOOL = Codec[ToolSpec | None](ToolSpec | None)
_TOOL_PAGE = Codec[Page[ToolSpec]](Page[ToolSpec])
_WIDGET = Codec[WidgetConfig | None](WidgetConfig | None)
_PROVIDER_KEY = Codec[ProviderKey | None](ProviderKey | None)


def _page_parts(page: PageRequest) -> tuple[str, ...]:
    after: CursorKey | None = page.after
    return ("list", str(page.limit), encode_cursor(after) if after else "first")


class _Writes:
    """Bump the version of ``kind`` after the wrapped write, whatever its outcome."""

    def __init__(self, cache: ConfigCache, kind: str) -> None:
        self._cache, self._kind = cache, kind

    @asynccontextmanager
    async def __call__(self, tenant_id: str) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await self._cache.invalidate(tenant_id, self._kind)


class CachedAgentRepository:
    kind = "agents"

    def __init__(self, inner: AgentRepository, cache: ConfigCache) -> None:
        self._inner, self._cache = inner, cache
        self._writing = _Writes(cache, self.kind)

    async def get(self, tenant_id: str, agent_id: str) -> Agent | None:
        return await self._cache.read(
            tenant_id, self.kind, ("id", agent_id), _AGENT,
            lambda: self._inner.get(tenant_id, agent_id),
        )  # fmt: skip

    async def list(self, tenant_id: str, page: PageRequest) -> Page[Agent]:
        return await self._cache.read(
            tenant_id, self.kind, _page_parts(page), _AGENT_PAGE,
            lambda: self._inner.list(tenant_id, page),
        )  # fmt: skip

    async def find_by_name(self, tenant_id: str, name: str) -> Agent | None:
        return await self._inner.find_by_name(tenant_id, name)  # a write-path check: never stale

    async def active_supervisor(self, tenant_id: str) -> Agent | None:
        return await self._cache.read(
            tenant_id, self.kind, ("supervisor",), _AGENT,
            lambda: self._inner.active_supervisor(tenant_id),
        )  # fmt: skip

    async def add(self, agent: Agent) -> None:
        async with self._writing(agent.tenant_id):
            await self._inner.add(agent)

    async def update(self, agent: Agent) -> None:
        async with self._writing(agent.tenant_id):
            await self._inner.update(agent)

    async def delete(self, tenant_id: str, agent_id: str) -> bool:
        async with self._writing(tenant_id):
            return await self._inner.delete(tenant_id, agent_id)


class CachedToolSpecRepository:
    kind = "tools"

    def __init__(self, inner: ToolSpecRepository, cache: ConfigCache) -> None:
        self._inner, self._cache = inner, cache
        self._writing = _Writes(cache, self.kind)

    async def get(self, tenant_id: str, tool_id: str) -> ToolSpec | None:
        return await self._cache.read(
            tenant_id, self.kind, ("id", tool_id), _TOOL,
            lambda: self._inner.get(tenant_id, tool_id),
        )  # fmt: skip

    async def list(self, tenant_id: str, page: PageRequest) -> Page[ToolSpec]:
        return await self._cache.read(
            tenant_id, self.kind, _page_parts(page), _TOOL_PAGE,
            lambda: self._inner.list(tenant_id, page),
        )  # fmt: skip

    async def add(self, tool: ToolSpec) -> None:
        async with self._writing(tool.tenant_id):
            await self._inner.add(tool)

    async def update(self, tool: ToolSpec) -> None:
        async with self._writing(tool.tenant_id):
            await self._inner.update(tool)

    async def delete(self, tenant_id: str, tool_id: str) -> bool:
        async with self._writing(tenant_id):
            return await self._inner.delete(tenant_id, tool_id)


class CachedWidgetConfigRepository:
    kind = "widget"

    def __init__(self, inner: WidgetConfigRepository, cache: ConfigCache) -> None:
        self._inner, self._cache = inner, cache
        self._writing = _Writes(cache, self.kind)

    async def get(self, tenant_id: str) -> WidgetConfig | None:
        return await self._cache.read(
            tenant_id, self.kind, ("config",), _WIDGET, lambda: self._inner.get(tenant_id)
        )

    async def save(self, config: WidgetConfig) -> None:
        async with self._writing(config.tenant_id):
            await self._inner.save(config)


class CachedProviderKeyRepository:
    kind = "provider_keys"

    def __init__(self, inner: ProviderKeyRepository, cache: ConfigCache) -> None:
        self._inner, self._cache = inner, cache
        self._writing = _Writes(cache, self.kind)

    async def get(self, tenant_id: str, provider: str) -> ProviderKey | None:
        return await self._cache.read(
            tenant_id, self.kind, ("provider", provider), _PROVIDER_KEY,
            lambda: self._inner.get(tenant_id, provider),
        )  # fmt: skip

    async def list(self, tenant_id: str) -> list[ProviderKey]:
        return await self._inner.list(tenant_id)  # the admin screen: never stale

    async def save(self, key: ProviderKey) -> None:
        async with self._writing(key.tenant_id):
            await self._inner.save(key)

    async def delete(self, tenant_id: str, provider: str) -> bool:
        async with self._writing(tenant_id):
            return await self._inner.delete(tenant_id, provider)
