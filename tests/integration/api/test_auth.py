"""Sign-in, refresh rotation with replay detection, sign-out, /me, and every token we refuse."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from itl_adapters.memory.clock import FakeClock
from itl_adapters.security.jwt import JwtService
from itl_adapters.security.keys import load_signing_keys
from itl_core.access import Role
from itl_core.security.ports import TokenKind

from tests.integration.api.conftest import ADMIN_PASSWORD, DEMO_PASSWORD, Api, assert_problem


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_json(value: dict[str, Any]) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def segments(token: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    header, payload, signature = token.split(".")
    pad = lambda s: s + "=" * (-len(s) % 4)  # noqa: E731
    return (
        json.loads(base64.urlsafe_b64decode(pad(header))),
        json.loads(base64.urlsafe_b64decode(pad(payload))),
        signature,
    )


def jwt_service(api: Api, *, clock: FakeClock | None = None, **overrides: Any) -> JwtService:
    """A JwtService over the app's own signing keys, with other settings where a test wants."""
    settings = api.settings
    assert settings.jwt_keys is not None
    return JwtService(
        load_signing_keys(settings.jwt_keys),
        issuer=overrides.get("issuer", settings.jwt_issuer),
        audience=overrides.get("audience", settings.jwt_audience),
        ttls={
            TokenKind.ACCESS: settings.access_token_ttl,
            TokenKind.WIDGET: settings.widget_token_ttl,
        },
        clock=clock or FakeClock(datetime.now(UTC)),
    )


async def me(api: Api, token: str | None = None, *, headers: dict[str, Any] | None = None) -> Any:
    if headers is None:
        headers = {"Authorization": f"Bearer {token}"}
    return await api.client.get("/api/auth/me", headers=headers)


def assert_unauthenticated(response: Any) -> dict[str, Any]:
    body = assert_problem(response, 401)
    assert response.headers.get("www-authenticate", "").lower().startswith("bearer")
    return body


# --- login -------------------------------------------------------------------------------------


async def test_login_answers_tokens_and_the_user(api: Api) -> None:
    body = await api.login(api.demo.admin_email, DEMO_PASSWORD)
    assert body["token_type"] == "bearer"
    assert isinstance(body["access_token"], str) and body["access_token"].count(".") == 2
    assert isinstance(body["refresh_token"], str) and body["refresh_token"]
    assert body["expires_in"] == api.settings.access_token_ttl
    user = body["user"]
    assert {"id", "email", "role", "tenant_id"} <= user.keys()
    assert user == user | {
        "id": api.demo.admin_id,
        "email": api.demo.admin_email,
        "role": "tenant_admin",
        "tenant_id": "demo",
    }
    assert "password" not in json.dumps(body).lower().replace("password_", "")
    header, claims, _ = segments(body["access_token"])
    assert header["alg"] == "RS256" and header["kid"]
    assert claims["sub"] == api.demo.admin_id
    assert claims["tenant_id"] == "demo"
    assert claims["role"] == "tenant_admin"
    assert claims["typ"] == "access"
    assert {"iss", "aud", "exp", "iat", "jti"} <= claims.keys()
    assert claims["exp"] - claims["iat"] == api.settings.access_token_ttl


async def test_platform_admin_logs_in_without_a_tenant(api: Api) -> None:
    body = await api.login(api.settings.admin_email, ADMIN_PASSWORD)
    assert body["user"]["role"] == "platform_admin"
    assert body["user"]["tenant_id"] is None


async def test_login_email_is_case_insensitive(api: Api) -> None:
    body = await api.login(api.demo.admin_email.upper(), DEMO_PASSWORD)
    assert body["user"]["id"] == api.demo.admin_id


async def test_unknown_email_and_wrong_password_answer_the_same_401(api: Api) -> None:
    unknown = await api.client.post(
        "/api/auth/login", json={"email": "nobody@demo.local", "password": DEMO_PASSWORD}
    )
    wrong = await api.client.post(
        "/api/auth/login", json={"email": api.demo.admin_email, "password": "not-the-password"}
    )
    assert_unauthenticated(unknown)
    assert_unauthenticated(wrong)
    assert unknown.json() == wrong.json()
    assert unknown.headers.get("www-authenticate") == wrong.headers.get("www-authenticate")


async def test_login_rate_limit_answers_429_with_retry_after(api: Api) -> None:
    email = "victim@demo.local"
    statuses = []
    for _ in range(15):
        response = await api.client.post(
            "/api/auth/login", json={"email": email, "password": "guess-guess"}
        )
        statuses.append(response.status_code)
        if response.status_code == 429:
            break
    assert statuses[-1] == 429, statuses
    assert set(statuses[:-1]) == {401}
    assert_problem(response, 429)
    assert int(response.headers["retry-after"]) >= 1
    assert response.headers["ratelimit-limit"] == "10"  # the per-account login limit
    assert response.headers["ratelimit-remaining"] == "0"
    # The limit is per account: the right password does not get through either.
    again = await api.client.post("/api/auth/login", json={"email": email, "password": "x"})
    assert again.status_code == 429


# --- refresh and logout ------------------------------------------------------------------------


async def refresh(api: Api, token: str) -> Any:
    return await api.client.post("/api/auth/refresh", json={"refresh_token": token})


async def test_refresh_rotates_the_pair(api: Api) -> None:
    first = await api.login(api.demo.admin_email, DEMO_PASSWORD)
    response = await refresh(api, first["refresh_token"])
    assert response.status_code == 200, response.text
    second = response.json()
    assert second["token_type"] == "bearer"
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert second["user"]["id"] == api.demo.admin_id
    assert (await me(api, second["access_token"])).status_code == 200
    # and the successor rotates again
    third = await refresh(api, second["refresh_token"])
    assert third.status_code == 200


async def test_replaying_a_spent_refresh_token_revokes_the_family(api: Api) -> None:
    first = await api.login(api.demo.admin_email, DEMO_PASSWORD)
    successor = (await refresh(api, first["refresh_token"])).json()
    replay = await refresh(api, first["refresh_token"])
    assert_unauthenticated(replay)
    # the thief or the owner: whoever holds the successor is signed out too
    assert_unauthenticated(await refresh(api, successor["refresh_token"]))


async def test_another_family_survives_a_replay(api: Api) -> None:
    victim = await api.login(api.demo.admin_email, DEMO_PASSWORD)
    bystander = await api.login(api.demo.admin_email, DEMO_PASSWORD)
    await refresh(api, victim["refresh_token"])
    await refresh(api, victim["refresh_token"])
    assert (await refresh(api, bystander["refresh_token"])).status_code == 200


async def test_logout_then_refresh_is_401(api: Api) -> None:
    pair = await api.login(api.demo.admin_email, DEMO_PASSWORD)
    response = await api.client.post(
        "/api/auth/logout", json={"refresh_token": pair["refresh_token"]}
    )
    assert response.status_code == 204
    assert response.content == b""
    assert_unauthenticated(await refresh(api, pair["refresh_token"]))


async def test_logout_revokes_the_rotated_successor_too(api: Api) -> None:
    pair = await api.login(api.demo.admin_email, DEMO_PASSWORD)
    successor = (await refresh(api, pair["refresh_token"])).json()
    await api.client.post("/api/auth/logout", json={"refresh_token": successor["refresh_token"]})
    assert_unauthenticated(await refresh(api, successor["refresh_token"]))


async def test_logout_with_an_unknown_token_is_idempotent(api: Api) -> None:
    response = await api.client.post("/api/auth/logout", json={"refresh_token": "never-issued"})
    assert response.status_code == 204


@pytest.mark.parametrize("token", ["never-issued", "x" * 512, "é∂ƒ", " "])
async def test_refresh_with_an_unknown_token_is_401(api: Api, token: str) -> None:
    assert_unauthenticated(await refresh(api, token))


async def test_refresh_of_a_deleted_user_is_401(api: Api) -> None:
    pair = await api.login("member@other.test", "other-tenant-password-1")
    member_id = api.other.user_ids["member@other.test"]
    deleted = await api.client.delete(f"/api/admin/users/{member_id}", headers=api.other_admin)
    assert deleted.status_code == 204
    assert_unauthenticated(await refresh(api, pair["refresh_token"]))
    assert_unauthenticated(await me(api, pair["access_token"]))


# --- /me ---------------------------------------------------------------------------------------


async def test_me_answers_the_signed_in_user(api: Api) -> None:
    pair = await api.login(api.demo.admin_email, DEMO_PASSWORD)
    response = await me(api, pair["access_token"])
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == api.demo.admin_id
    assert body["email"] == api.demo.admin_email
    assert body["role"] == "tenant_admin"
    assert body["tenant_id"] == "demo"
    assert not any("password" in key for key in body)


async def test_me_of_a_platform_admin(api: Api) -> None:
    response = await me(api, headers=api.platform)
    assert response.status_code == 200
    assert response.json()["role"] == "platform_admin"
    assert response.json()["tenant_id"] is None


# --- refused tokens ----------------------------------------------------------------------------


def _forged(
    api: Api, *, header: dict[str, Any] | None = None, claims: dict[str, Any] | None = None
) -> str:
    """A genuine access token whose header or claims were changed after signing."""
    token = api.token_for(api.demo.admin_id, "demo", Role.TENANT_ADMIN)
    real_header, real_claims, signature = segments(token)
    return ".".join(
        (
            b64url_json(header if header is not None else real_header),
            b64url_json(claims if claims is not None else real_claims),
            signature,
        )
    )


async def test_expired_token_is_refused(api: Api) -> None:
    past = FakeClock(datetime.now(UTC) - timedelta(hours=2))
    token = (
        jwt_service(api, clock=past)
        .issue(
            kind=TokenKind.ACCESS, subject=api.demo.admin_id, tenant_id="demo", role="tenant_admin"
        )
        .token
    )
    assert_unauthenticated(await me(api, token))


async def test_token_issued_in_the_future_is_refused(api: Api) -> None:
    future = FakeClock(datetime.now(UTC) + timedelta(minutes=10))
    token = (
        jwt_service(api, clock=future)
        .issue(
            kind=TokenKind.ACCESS, subject=api.demo.admin_id, tenant_id="demo", role="tenant_admin"
        )
        .token
    )
    assert_unauthenticated(await me(api, token))


async def test_a_fresh_token_from_the_same_keys_is_accepted(api: Api) -> None:
    """Control for the forgeries below: only the one change makes them fail."""
    token = (
        jwt_service(api)
        .issue(
            kind=TokenKind.ACCESS, subject=api.demo.admin_id, tenant_id="demo", role="tenant_admin"
        )
        .token
    )
    assert (await me(api, token)).status_code == 200


async def test_tampered_payload_is_refused(api: Api) -> None:
    _, claims, _ = segments(api.demo_admin["Authorization"].removeprefix("Bearer "))
    claims["role"] = "platform_admin"
    claims["tenant_id"] = None
    assert_unauthenticated(await me(api, _forged(api, claims=claims)))


async def test_tampered_tenant_is_refused(api: Api) -> None:
    _, claims, _ = segments(api.demo_admin["Authorization"].removeprefix("Bearer "))
    claims["tenant_id"] = "other"
    assert_unauthenticated(await me(api, _forged(api, claims=claims)))


async def test_alg_none_is_refused(api: Api) -> None:
    _, claims, _ = segments(api.demo_admin["Authorization"].removeprefix("Bearer "))
    for alg in ("none", "None", "NONE"):
        unsigned = f"{b64url_json({'alg': alg, 'typ': 'JWT'})}.{b64url_json(claims)}."
        assert_unauthenticated(await me(api, unsigned))
        with_kid = f"{b64url_json({'alg': alg, 'kid': 'x'})}.{b64url_json(claims)}."
        assert_unauthenticated(await me(api, with_kid))


async def test_hs256_signed_with_the_public_key_is_refused(api: Api) -> None:
    header, claims, _ = segments(api.demo_admin["Authorization"].removeprefix("Bearer "))
    jwks = (await api.client.get("/.well-known/jwks.json")).json()
    public_key = load_signing_keys(api.settings.jwt_keys or "")[0]
    pem = public_key.as_pem(private=False)
    candidates = [pem, json.dumps(jwks["keys"][0]).encode(), jwks["keys"][0]["n"].encode()]
    for secret in candidates:
        forged_header = {"alg": "HS256", "kid": header["kid"], "typ": "JWT"}
        signing_input = f"{b64url_json(forged_header)}.{b64url_json(claims)}"
        signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
        assert_unauthenticated(await me(api, f"{signing_input}.{b64url(signature)}"))


async def test_wrong_audience_is_refused(api: Api) -> None:
    token = (
        jwt_service(api, audience="someone-else")
        .issue(
            kind=TokenKind.ACCESS, subject=api.demo.admin_id, tenant_id="demo", role="tenant_admin"
        )
        .token
    )
    assert_unauthenticated(await me(api, token))


async def test_wrong_issuer_is_refused(api: Api) -> None:
    token = (
        jwt_service(api, issuer="https://evil.example")
        .issue(
            kind=TokenKind.ACCESS, subject=api.demo.admin_id, tenant_id="demo", role="tenant_admin"
        )
        .token
    )
    assert_unauthenticated(await me(api, token))


async def test_widget_token_is_no_access_token(api: Api) -> None:
    token = (
        api.container.infra.tokens()
        .issue(
            kind=TokenKind.WIDGET, subject=api.demo.admin_id, tenant_id="demo", role="tenant_admin"
        )
        .token
    )
    assert_unauthenticated(await me(api, token))
    agents = await api.client.get("/api/admin/agents", headers={"Authorization": f"Bearer {token}"})
    assert_unauthenticated(agents)


async def test_token_naming_an_unknown_key_is_refused(api: Api) -> None:
    header, _, _ = segments(api.demo_admin["Authorization"].removeprefix("Bearer "))
    assert_unauthenticated(await me(api, _forged(api, header=header | {"kid": "unknown"})))
    embedded = header | {"jku": "https://evil.example/jwks.json"}
    assert_unauthenticated(await me(api, _forged(api, header=embedded)))


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Basic YWRtaW46YWRtaW4=",
        "Token abc",
        "Bearer garbage",
        "Bearer a.b.c",
        "Bearer ..",
        "Bearer " + "a" * 9000,
        "Bearer eyJhbGciOiJSUzI1NiJ9.e30.!!!",
        "Bearer ééé.ééé.ééé".encode(),
        "Bearer ééé.ééé.ééé".encode("latin-1"),
        b"Bearer \xff\xfe.\x80.\x00",
    ],
)
async def test_missing_or_garbage_authorization_is_401(
    api: Api, authorization: str | bytes | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    assert_unauthenticated(await me(api, headers=headers))


async def test_every_refusal_has_the_same_body(api: Api) -> None:
    """One message whatever the cause, so the 401 is no oracle."""
    expired_clock = FakeClock(datetime.now(UTC) - timedelta(hours=2))
    expired = (
        jwt_service(api, clock=expired_clock)
        .issue(
            kind=TokenKind.ACCESS, subject=api.demo.admin_id, tenant_id="demo", role="tenant_admin"
        )
        .token
    )
    wrong_aud = (
        jwt_service(api, audience="x")
        .issue(
            kind=TokenKind.ACCESS, subject=api.demo.admin_id, tenant_id="demo", role="tenant_admin"
        )
        .token
    )
    bodies = [(await me(api, t)).json() for t in (expired, wrong_aud, "a.b.c")]
    assert bodies[0] == bodies[1] == bodies[2]


# --- JWKS --------------------------------------------------------------------------------------


PRIVATE_RSA_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}


async def test_jwks_publishes_public_keys_only(api: Api) -> None:
    response = await api.client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    keys = response.json()["keys"]
    assert keys
    for key in keys:
        assert key["kty"] == "RSA"
        assert key["kid"]
        assert {"n", "e"} <= key.keys()
        assert not PRIVATE_RSA_MEMBERS & key.keys(), key.keys()


async def test_jwks_kid_matches_the_tokens(api: Api) -> None:
    kids = {k["kid"] for k in (await api.client.get("/.well-known/jwks.json")).json()["keys"]}
    header, _, _ = segments(api.demo_admin["Authorization"].removeprefix("Bearer "))
    assert header["kid"] in kids
