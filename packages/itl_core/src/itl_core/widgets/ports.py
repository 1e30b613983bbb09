"""Widget configuration repository port."""

from __future__ import annotations

from typing import Protocol

from itl_core.widgets.model import WidgetConfig


class WidgetConfigRepository(Protocol):
    """One widget configuration per tenant; ``get`` returns None until one is saved."""

    async def get(self, tenant_id: str) -> WidgetConfig | None: ...

    async def save(self, config: WidgetConfig) -> None: ...
