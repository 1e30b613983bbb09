"""Contract: WidgetConfigRepository (one configuration per tenant)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from itl_core.errors import ValidationFailed

from tests.contract.builders import at, widget
from tests.contract.conftest import Repositories


async def test_a_tenant_has_no_widget_config_until_one_is_saved(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    assert await repos.widgets.get(two_tenants[0]) is None


async def test_a_saved_config_reads_back_equal_and_saving_again_replaces_it(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    config = widget(
        a, title="Help", theme={"primary_color": "#000000"}, position="bottom-left",
        starter_prompts=("Where is my order?",), allowed_origins=("https://shop.example",),
        sealed_identity_secret=b"\x01sealed",
    )  # fmt: skip
    await repos.widgets.save(config)
    assert await repos.widgets.get(a) == config
    replaced = replace(config, allowed_origins=(), sealed_identity_secret=None, updated_at=at(7))
    await repos.widgets.save(replaced)
    assert await repos.widgets.get(a) == replaced


async def test_another_tenant_does_not_get_the_config(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    await repos.widgets.save(widget(a, title="A's widget"))
    assert await repos.widgets.get(b) is None


async def test_a_config_of_an_unknown_tenant_is_refused(repos: Repositories) -> None:
    with pytest.raises(ValidationFailed):
        await repos.widgets.save(widget("no-such-tenant"))
