"""Contract: ToolSpecRepository."""

from __future__ import annotations

from dataclasses import replace

import pytest
from itl_core.errors import Conflict, NotFound, ValidationFailed
from itl_core.pagination import PageRequest
from itl_core.tools.model import ToolKind

from tests.contract.builders import all_pages, at, tool
from tests.contract.conftest import Repositories


async def test_a_tool_reads_back_with_config_and_sealed_secrets(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    spec = tool(
        a, "Track parcel", kind=ToolKind.HTTP, description="Looks up a parcel",
        config={"url": "https://api.example.com/track", "method": "GET", "timeout": 5.5},
        sealed_secrets={"api_key": b"\x00\xffciphertext"},
    )  # fmt: skip
    await repos.tools.add(spec)
    assert await repos.tools.get(a, spec.id) == spec


async def test_another_tenant_cannot_read_change_or_delete_a_tool(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    spec = tool(a)
    await repos.tools.add(spec)
    assert await repos.tools.get(b, spec.id) is None
    assert (await repos.tools.list(b, PageRequest())).items == []
    assert await repos.tools.delete(b, spec.id) is False
    with pytest.raises(NotFound):
        await repos.tools.update(replace(spec, tenant_id=b))
    assert await repos.tools.get(a, spec.id) == spec


async def test_tool_names_are_unique_per_tenant_ignoring_case(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    await repos.tools.add(tool(a, "Search"))
    with pytest.raises(Conflict):
        await repos.tools.add(tool(a, "search"))
    other = tool(a, "Other")
    await repos.tools.add(other)
    with pytest.raises(Conflict):
        await repos.tools.update(replace(other, name="SEARCH"))
    await repos.tools.add(tool(b, "search"))


async def test_update_rewrites_the_spec(repos: Repositories, two_tenants: tuple[str, str]) -> None:
    a, _ = two_tenants
    spec = tool(a)
    await repos.tools.add(spec)
    changed = replace(spec, config={"k": [1, 2]}, sealed_secrets={}, updated_at=at(3))
    await repos.tools.update(changed)
    assert await repos.tools.get(a, spec.id) == changed


async def test_a_tool_of_an_unknown_tenant_is_refused(repos: Repositories) -> None:
    with pytest.raises(ValidationFailed):
        await repos.tools.add(tool("no-such-tenant"))


async def test_tools_delete_once_and_page_in_order(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    specs = [tool(a, created_at=at(i // 2)) for i in range(5)]
    for s in specs:
        await repos.tools.add(s)
    assert await repos.tools.delete(a, specs[0].id) is True
    assert await repos.tools.delete(a, specs[0].id) is False
    listed = await all_pages(lambda p: repos.tools.list(a, p), limit=2)
    assert listed == sorted(specs[1:], key=lambda s: (s.created_at, s.id))
