"""A bearer token is verified once per request: the rate limiter's outcome is reused by
authentication, and only for the very token and kind it verified.

The observable is the number of ``verify`` calls reaching the app's own ``JwtService``: a
counting wrapper around it replaces the container's ``tokens`` provider for the test.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from dependency_injector import providers
from itl_core.access import Role
from itl_core.security.ports import AccessClaims, TokenKind, TokenVerifier

from tests.integration.api.conftest import Api, assert_problem
from tests.integration.api.test_auth import _forged, segments

ME = "/api/auth/me"


class CountingVerifier:
    """The app's real token service (it still issues), counting ``verify`` calls per kind."""

    def __init__(self, verifier: TokenVerifier) -> None:
        self._verifier = verifier
        self.calls: Counter[TokenKind] = Counter()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._verifier, name)

    def verify(self, token: str, *, kind: TokenKind) -> AccessClaims:
        self.calls[kind] += 1
        return self._verifier.verify(token, kind=kind)


@pytest.fixture
def counting(api: Api) -> Iterator[CountingVerifier]:
    spy = CountingVerifier(api.container.infra.tokens())
    with api.container.infra.tokens.override(providers.Object(spy)):
        yield spy


async def me(api: Api, token: str) -> Any:
    return await api.client.get(ME, headers={"Authorization": f"Bearer {token}"})


async def test_an_authenticated_request_verifies_its_token_once(
    api: Api, counting: CountingVerifier
) -> None:
    token = api.token_for(api.demo.admin_id, "demo", Role.TENANT_ADMIN)
    response = await me(api, token)
    assert response.status_code == 200, response.text
    assert response.json()["id"] == api.demo.admin_id
    assert "RateLimit-Limit" in response.headers  # the limiter did verify and count it
    assert counting.calls == Counter({TokenKind.ACCESS: 1})


async def test_a_tampered_token_is_still_refused_with_the_same_401(
    api: Api, counting: CountingVerifier
) -> None:
    _, claims, _ = segments(api.token_for(api.demo.admin_id, "demo", Role.TENANT_ADMIN))
    claims["sub"] = api.other.admin_id
    refused = await me(api, _forged(api, claims=claims))
    garbage = await me(api, "a.b.c")
    body = assert_problem(refused, 401)
    assert refused.headers["www-authenticate"].lower().startswith("bearer")
    assert body == assert_problem(garbage, 401)
    # Nothing the limiter refused is trusted: authentication verified it itself and refused.
    assert counting.calls[TokenKind.ACCESS] == 2 * 2


async def test_a_token_of_another_kind_verified_by_the_limiter_is_not_accepted(
    api: Api, counting: CountingVerifier
) -> None:
    widget = (
        api.container.infra.tokens()
        .issue(kind=TokenKind.WIDGET, subject="visitor-1", tenant_id="demo", role="visitor")
        .token
    )
    assert_problem(await me(api, widget), 401)
    # The limiter identified a visitor; authentication wanted an access token, verified one
    # and refused.
    assert counting.calls == Counter({TokenKind.ACCESS: 2, TokenKind.WIDGET: 1})
