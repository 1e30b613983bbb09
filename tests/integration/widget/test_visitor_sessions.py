"""Who may start a widget session, and who the visitor then is."""

from __future__ import annotations

import re

from tests.integration.api.conftest import assert_problem
from tests.integration.widget.conftest import OTHER_SHOP, SHOP, WIDGET_HOST, Widget, signed

ANON = re.compile(r"^anon:[0-9a-f]{32}$")


async def test_public_config_shows_the_look_and_nothing_else(widget: Widget) -> None:
    response = await widget.client.get("/api/public/widgets/demo/config")
    assert response.status_code == 200
    assert response.json().keys() == {
        "tenant_id",
        "title",
        "welcome_message",
        "theme",
        "position",
        "starter_prompts",
    }
    assert response.json()["title"] == "Help"


async def test_config_of_an_unknown_tenant_is_not_found(widget: Widget) -> None:
    assert_problem(await widget.client.get("/api/public/widgets/nobody/config"), 404)


async def test_an_allowed_origin_gets_a_short_lived_token_for_an_anonymous_visitor(
    widget: Widget,
) -> None:
    response = await widget.session(origin=SHOP)
    assert response.status_code == 200, response.text
    body = response.json()
    assert ANON.fullmatch(body["visitor_id"])
    assert body["expires_in"] == widget.settings.widget_token_ttl


async def test_an_origin_the_tenant_did_not_allow_is_refused(widget: Widget) -> None:
    assert_problem(await widget.session(origin="https://evil.example"), 403)
    assert_problem(await widget.session(origin=OTHER_SHOP), 403)  # another tenant's origin
    assert_problem(await widget.session(origin="https://shop.example:444"), 403)  # exact match
    assert_problem(await widget.session(origin=None), 403)


async def test_the_iframe_on_the_widget_host_names_the_page_that_frames_it(widget: Widget) -> None:
    ok = await widget.session(origin=WIDGET_HOST, page_origin=SHOP)
    assert ok.status_code == 200, ok.text
    assert_problem(
        await widget.session(origin=WIDGET_HOST, page_origin="https://evil.example"), 403
    )
    assert_problem(await widget.session(origin=WIDGET_HOST), 403)


async def test_an_anonymous_visitor_keeps_the_id_its_browser_stored(widget: Widget) -> None:
    _, first = await widget.token()
    _, again = await widget.token(anonymous_id=first)
    assert again == first
    _, fresh = await widget.token(anonymous_id="anon:guessable")
    assert ANON.fullmatch(fresh) and fresh != first


async def test_a_signed_identity_makes_a_known_visitor(widget: Widget) -> None:
    secret = await widget.rotate_secret("demo")
    visitor = signed(secret, "demo", "customer-42", name="Ada", email="ada@example.com")
    _, visitor_id = await widget.token(visitor=visitor)
    assert visitor_id == "known:customer-42"


async def test_an_anonymous_caller_cannot_claim_a_known_visitor(widget: Widget) -> None:
    _, visitor_id = await widget.token(anonymous_id="known:customer-42")
    assert ANON.fullmatch(visitor_id)


async def test_a_bad_signature_is_refused(widget: Widget) -> None:
    secret = await widget.rotate_secret("demo")
    visitor = signed(secret, "demo", "customer-42", name="Ada")
    tampered = {**visitor, "name": "Eve"}
    assert_problem(await widget.session(visitor=tampered), 401)
    assert_problem(await widget.session(visitor={**visitor, "signature": "0" * 64}), 401)
    assert_problem(await widget.session(visitor={**visitor, "signature": "not-hex"}), 401)


async def test_an_expired_signature_is_refused(widget: Widget) -> None:
    secret = await widget.rotate_secret("demo")
    assert_problem(await widget.session(visitor=signed(secret, "demo", "c-1", expires_in=-5)), 401)
    # A signature meant to live for a month is a standing credential: refused as well.
    assert_problem(
        await widget.session(visitor=signed(secret, "demo", "c-1", expires_in=30 * 86400)), 401
    )


async def test_a_signature_made_for_another_tenant_is_refused(widget: Widget) -> None:
    other_secret = await widget.rotate_secret("other")
    await widget.rotate_secret("demo")
    replayed = signed(other_secret, "other", "customer-42")
    ok = await widget.session("other", OTHER_SHOP, visitor=replayed)
    assert ok.status_code == 200, ok.text
    assert_problem(await widget.session("demo", SHOP, visitor=replayed), 401)


async def test_rotating_the_secret_voids_identities_signed_with_the_old_one(widget: Widget) -> None:
    old = await widget.rotate_secret("demo")
    await widget.rotate_secret("demo")
    assert_problem(await widget.session(visitor=signed(old, "demo", "customer-42")), 401)


async def test_a_tenant_without_an_identity_secret_accepts_no_signed_visitor(
    widget: Widget,
) -> None:
    assert_problem(await widget.session(visitor=signed("guessed", "demo", "customer-42")), 401)
