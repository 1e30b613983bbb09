"""Signed visitor identities: the rule a tenant's backend and the widget host share."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from itl_core.errors import AuthenticationFailed, ValidationFailed
from itl_core.widgets.identity import (
    MAX_IDENTITY_LIFETIME,
    SignedIdentity,
    is_anonymous_id,
    new_anonymous_id,
    sign_identity,
    verify_identity,
)

NOW = 1_800_000_000
SECRET = "s3cret"


def identity(**fields: object) -> SignedIdentity:
    base = {"visitor_id": "c-42", "name": "Ada", "email": "ada@example.com", "expires": NOW + 60}
    base.update(fields)
    unsigned = SignedIdentity(signature="", **base)  # type: ignore[arg-type]
    return SignedIdentity(signature=sign_identity(SECRET, "acme", unsigned), **base)  # type: ignore[arg-type]


def test_the_signature_is_hmac_sha256_over_the_documented_lines() -> None:
    message = b"v1\nacme\nc-42\nAda\nada@example.com\n" + str(NOW + 60).encode()
    expected = hmac.new(SECRET.encode(), message, hashlib.sha256).hexdigest()
    assert identity().signature == expected


def test_a_valid_signature_names_a_known_visitor() -> None:
    assert verify_identity(SECRET, "acme", identity(), NOW) == "known:c-42"


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Eve"},
        {"email": "eve@example.com"},
        {"visitor_id": "c-43"},
        {"expires": NOW + 61},
    ],
)
def test_changing_any_signed_field_breaks_the_signature(change: dict[str, object]) -> None:
    signed = identity()
    forged = SignedIdentity(**{**{f: getattr(signed, f) for f in signed.__slots__}, **change})  # type: ignore[arg-type]
    with pytest.raises(AuthenticationFailed):
        verify_identity(SECRET, "acme", forged, NOW)


def test_a_signature_for_another_tenant_or_secret_fails() -> None:
    with pytest.raises(AuthenticationFailed):
        verify_identity(SECRET, "globex", identity(), NOW)
    with pytest.raises(AuthenticationFailed):
        verify_identity("other", "acme", identity(), NOW)


def test_expired_and_far_future_signatures_fail() -> None:
    with pytest.raises(AuthenticationFailed):
        verify_identity(SECRET, "acme", identity(expires=NOW), NOW)
    with pytest.raises(AuthenticationFailed):
        verify_identity(SECRET, "acme", identity(expires=NOW + MAX_IDENTITY_LIFETIME + 1), NOW)


def test_control_characters_are_refused_before_any_crypto() -> None:
    with pytest.raises(ValidationFailed):
        verify_identity(SECRET, "acme", identity(name="Ada\nv1"), NOW)


def test_anonymous_ids_are_random_and_namespaced() -> None:
    first, second = new_anonymous_id(), new_anonymous_id()
    assert first != second and is_anonymous_id(first)
    assert not is_anonymous_id("known:c-42") and not is_anonymous_id("anon:short")
