"""Widget administration through the REST API."""

from __future__ import annotations

from itl_adapters.containers import resolve
from itl_core.security.ports import TokenKind, secret_context

from tests.integration.api.conftest import assert_problem
from tests.integration.widget.conftest import SECOND_SHOP, SHOP, Widget

BODY = {
    "title": "Ask us",
    "welcome_message": "Hi!",
    "theme": {"primary_color": "#112233"},
    "position": "bottom-left",
    "starter_prompts": ["Track my box"],
    "allowed_origins": ["https://www.example.com", "http://localhost:8080"],
}


async def test_an_admin_reads_and_replaces_the_configuration(widget: Widget) -> None:
    admin = widget.admin("demo")
    current = await widget.api_client.get("/api/admin/widget", headers=admin)
    assert current.status_code == 200
    assert current.json()["allowed_origins"] == [SHOP, SECOND_SHOP]
    assert current.json()["identity_secret_set"] is False

    put = await widget.api_client.put("/api/admin/widget", headers=admin, json=BODY)
    assert put.status_code == 200, put.text
    again = (await widget.api_client.get("/api/admin/widget", headers=admin)).json()
    assert {k: again[k] for k in BODY} == BODY
    public = (await widget.client.get("/api/public/widgets/demo/config")).json()
    assert public["position"] == "bottom-left" and "allowed_origins" not in public


async def test_the_configuration_carries_what_the_embed_snippet_needs(widget: Widget) -> None:
    """The console builds ``<script src="{widget_url}/widget.js" data-tenant="{tenant_id}">``."""
    admin = widget.admin("demo")
    current = (await widget.api_client.get("/api/admin/widget", headers=admin)).json()
    assert current["tenant_id"] == "demo"
    assert current["widget_url"] == widget.settings.widget_url
    assert current["widget_url"].startswith("http") and not current["widget_url"].endswith("/")
    put = await widget.api_client.put("/api/admin/widget", headers=admin, json=BODY)
    assert {k: put.json()[k] for k in ("tenant_id", "widget_url")} == {
        "tenant_id": "demo",
        "widget_url": widget.settings.widget_url,
    }
    # Output-only: sending them back in a PUT is an unknown field, refused like any other.
    echoed = await widget.api_client.put(
        "/api/admin/widget", headers=admin, json={**BODY, "widget_url": "https://evil.example"}
    )
    assert_problem(echoed, 400)


async def test_origins_must_be_exact_scheme_host_and_port(widget: Widget) -> None:
    for origin in (
        "*",
        "https://*.example.com",
        "https://example.com/",
        "example.com",
        "ftp://example.com",
        "https://Example.com",
        "https://example.com/path",
        "null",
    ):
        response = await widget.api_client.put(
            "/api/admin/widget",
            headers=widget.admin("demo"),
            json={**BODY, "allowed_origins": [origin]},
        )
        body = assert_problem(response, 422)
        assert body["errors"][0]["field"] == "allowed_origins[0]", origin


async def test_theme_values_are_colours_only(widget: Widget) -> None:
    response = await widget.api_client.put(
        "/api/admin/widget",
        headers=widget.admin("demo"),
        json={**BODY, "theme": {"primary_color": "red;background:url(https://x)"}},
    )
    assert_problem(response, 422)


async def test_rotation_returns_the_secret_once_and_seals_it_for_this_tenant(
    widget: Widget,
) -> None:
    secret = await widget.rotate_secret("demo")
    config = (await widget.api_client.get("/api/admin/widget", headers=widget.admin("demo"))).json()
    assert config["identity_secret_set"] is True and secret not in str(config)
    stored = await (await resolve(widget.container.repositories.widgets)).get("demo")
    box = widget.container.infra.secret_box()
    assert secret.encode() not in stored.sealed_identity_secret
    assert (
        box.open(stored.sealed_identity_secret, context=secret_context("demo", "widget_identity"))
        == secret
    )


async def test_members_may_not_change_the_widget(widget: Widget) -> None:
    tokens = widget.container.infra.tokens()
    member = tokens.issue(kind=TokenKind.ACCESS,
                          subject="m", tenant_id="demo", role="member").token  # fmt: skip
    headers = {"Authorization": f"Bearer {member}"}
    assert_problem(
        await widget.api_client.put("/api/admin/widget", headers=headers, json=BODY), 403
    )
    assert_problem(
        await widget.api_client.post("/api/admin/widget/identity-secret", headers=headers), 403
    )
