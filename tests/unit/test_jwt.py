"""JwtService: what it accepts is exactly what it issued, for the kind it was issued for."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import given, settings
from hypothesis import strategies as st
from itl_adapters.memory.clock import FakeClock
from itl_adapters.security import JwtService, generate_signing_key
from itl_adapters.security import jwt as jwt_module
from itl_adapters.security.jwt import MAX_TOKEN_LENGTH, RESERVED_CLAIMS
from itl_core.errors import AuthenticationFailed
from itl_core.security import TokenKind
from joserfc import jwt as jose_jwt

ISSUER, AUDIENCE = "itl-test", "itl-api-test"
TTLS = {TokenKind.ACCESS: 900, TokenKind.WIDGET: 1800}
LEEWAY = 10
PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

# RSA key generation costs ~0.1 s: make the keys once for the module.
KEY = generate_signing_key()
OLD_KEY = generate_signing_key()
STRANGER = generate_signing_key()


def service(*keys, clock=None, issuer=ISSUER, audience=AUDIENCE) -> JwtService:
    return JwtService(
        list(keys or [KEY]),
        issuer=issuer,
        audience=audience,
        ttls=TTLS,
        clock=clock or FakeClock(),
        leeway_seconds=LEEWAY,
    )


def access_token(svc: JwtService, **overrides) -> str:
    args = {"kind": TokenKind.ACCESS, "subject": "u-1", "tenant_id": "acme", "role": "member"}
    return svc.issue(**(args | overrides)).token


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def valid_claims(svc_clock: FakeClock, **overrides) -> dict:
    now = int(svc_clock.now().timestamp())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "u-1",
        "tenant_id": "acme",
        "role": "member",
        "typ": "access",
        "iat": now,
        "exp": now + 900,
        "jti": "j-1",
    }
    return claims | overrides


def sign(claims: dict, header: dict | None = None, key=KEY) -> str:
    """A token signed by a ring key but shaped by the test: what a forger cannot make, and
    what a buggy issuer might."""
    header = {"alg": "RS256", "kid": key.kid} if header is None else header
    return jose_jwt.encode(header, claims, key, algorithms=["RS256"])


def rejected(svc: JwtService, token, kind: TokenKind = TokenKind.ACCESS) -> bool:
    with pytest.raises(AuthenticationFailed) as info:
        svc.verify(token, kind=kind)
    assert info.value.message == "Invalid or expired token."
    return True


# --- round trip ------------------------------------------------------------------------------

names = st.text(min_size=1, max_size=40)
extras = st.dictionaries(
    names.filter(lambda k: k not in RESERVED_CLAIMS), st.text(max_size=40), max_size=4
)


@given(
    kind=st.sampled_from(TokenKind),
    subject=names,
    tenant=st.none() | names,
    role=names,
    extra=extras,
)
def test_issued_tokens_verify_with_every_claim_intact(kind, subject, tenant, role, extra):
    clock = FakeClock()
    svc = service(clock=clock)
    issued = svc.issue(kind=kind, subject=subject, tenant_id=tenant, role=role, extra=extra)

    claims = svc.verify(issued.token, kind=kind)

    now = int(clock.now().timestamp())
    assert issued.expires_in == TTLS[kind]
    assert (claims.kind, claims.subject, claims.tenant_id, claims.role) == (
        kind,
        subject,
        tenant,
        role,
    )
    assert dict(claims.extra) == extra
    assert (claims.issued_at, claims.expires_at) == (now, now + TTLS[kind])
    assert claims.token_id


def test_every_token_gets_its_own_id():
    svc = service()
    ids = {svc.verify(access_token(svc), kind=TokenKind.ACCESS).token_id for _ in range(5)}
    assert len(ids) == 5


def test_header_names_the_signing_key_and_pins_rs256():
    header = json.loads(base64.urlsafe_b64decode(access_token(service()).split(".")[0] + "=="))
    assert header == {"alg": "RS256", "kid": KEY.kid, "typ": "JWT"}


# --- tampering and junk ----------------------------------------------------------------------

TOKEN_FOR_TAMPERING = access_token(service())
PRINTABLE = st.characters(min_codepoint=0x20, max_codepoint=0x7E)


@settings(max_examples=400)
@given(index=st.integers(0, len(TOKEN_FOR_TAMPERING) - 1), replacement=PRINTABLE)
def test_any_single_character_changed_anywhere_is_rejected(index, replacement):
    original = TOKEN_FOR_TAMPERING
    if replacement == original[index]:
        replacement = "A" if original[index] != "A" else "B"
    tampered = original[:index] + replacement + original[index + 1 :]
    assert rejected(service(), tampered)


def test_signature_with_non_canonical_last_character_is_rejected():
    # base64url's spare low bits: "...Q" and "...R" can decode to the same signature bytes.
    header, payload, signature = TOKEN_FOR_TAMPERING.split(".")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(signature[-1])
    twin = alphabet[last | 1] if last | 1 != last else alphabet[last & ~1]
    assert rejected(service(), f"{header}.{payload}.{signature[:-1]}{twin}")


@given(st.text(max_size=300) | st.binary(max_size=300).map(lambda b: b.decode("latin-1")))
def test_junk_is_rejected_with_the_generic_error(junk):
    assert rejected(service(), junk)


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "...",
        "a.b.c",
        "a.b",
        "a.b.c.d",
        None,
        b"not.a.string",
        "x" * (MAX_TOKEN_LENGTH + 1),
        TOKEN_FOR_TAMPERING + "." + "A" * MAX_TOKEN_LENGTH,
        b64(b"[]") + "." + b64(b"{}") + ".",
        b64(b'{"alg":"RS256","kid":' + b"[" * 2500 + b"]" * 2500 + b"}") + ".e30.",
    ],
)
def test_malformed_inputs_are_rejected(junk):
    assert rejected(service(), junk)


# --- time ------------------------------------------------------------------------------------


def test_token_expires_after_ttl_plus_leeway():
    clock = FakeClock()
    svc = service(clock=clock)
    token = access_token(svc)
    clock.advance(TTLS[TokenKind.ACCESS] + LEEWAY - 1)
    svc.verify(token, kind=TokenKind.ACCESS)
    clock.advance(1)
    assert rejected(svc, token)


def test_a_verified_token_is_remembered_and_still_expires(monkeypatch: pytest.MonkeyPatch):
    clock = FakeClock()
    svc = service(clock=clock)
    token, other = access_token(svc), access_token(svc)
    first = svc.verify(token, kind=TokenKind.ACCESS)
    decoded: list[str] = []
    real_decode = jwt_module.jose_jwt.decode

    def counting_decode(value, *args, **kwargs):
        decoded.append(value)
        return real_decode(value, *args, **kwargs)

    monkeypatch.setattr(jwt_module.jose_jwt, "decode", counting_decode)
    assert svc.verify(token, kind=TokenKind.ACCESS) == first  # remembered: no signature check
    assert rejected(svc, token, kind=TokenKind.WIDGET)  # remembered for its own kind only
    svc.verify(other, kind=TokenKind.ACCESS)
    assert decoded == [token, other]  # the widget attempt, then the new token
    clock.advance(TTLS[TokenKind.ACCESS] + LEEWAY)
    assert rejected(svc, token)  # a remembered token expires all the same


def test_token_issued_in_the_future_beyond_leeway_is_rejected():
    issuer_clock, verifier_clock = FakeClock(), FakeClock()
    token = access_token(service(clock=issuer_clock))
    verifier_clock.advance(-LEEWAY)
    service(clock=verifier_clock).verify(token, kind=TokenKind.ACCESS)  # within skew
    verifier_clock.advance(-1)
    assert rejected(service(clock=verifier_clock), token)


# --- audience, issuer, kind ------------------------------------------------------------------


def test_wrong_audience_is_rejected():
    token = access_token(service(audience="another-api"))
    assert rejected(service(), token)


def test_wrong_issuer_is_rejected():
    token = access_token(service(issuer="someone-else"))
    assert rejected(service(), token)


@pytest.mark.parametrize(
    ("issued", "expected"),
    [(TokenKind.WIDGET, TokenKind.ACCESS), (TokenKind.ACCESS, TokenKind.WIDGET)],
)
def test_a_token_of_one_kind_is_not_accepted_as_another(issued, expected):
    svc = service()
    token = access_token(svc, kind=issued)
    assert rejected(svc, token, kind=expected)


# --- algorithm and key attacks ---------------------------------------------------------------


def test_alg_none_is_rejected():
    clock = FakeClock()
    header = b64(json.dumps({"alg": "none", "kid": KEY.kid, "typ": "JWT"}).encode())
    payload = b64(json.dumps(valid_claims(clock)).encode())
    assert rejected(service(clock=clock), f"{header}.{payload}.")


@pytest.mark.parametrize("secret_form", ["pem", "jwk_json", "n_bytes"])
def test_hs256_signed_with_the_public_key_is_rejected(secret_form):
    # The HS/RS confusion: a verifier that lets the token choose HMAC would check this
    # signature with the published public key as the shared secret, and accept it.
    public = KEY.public_key
    secret = {
        "pem": public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        "jwk_json": json.dumps(KEY.as_dict(private=False)).encode(),
        "n_bytes": public.public_numbers().n.to_bytes(256, "big"),
    }[secret_form]
    clock = FakeClock()
    header = b64(json.dumps({"alg": "HS256", "kid": KEY.kid, "typ": "JWT"}).encode())
    payload = b64(json.dumps(valid_claims(clock)).encode())
    signature = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert rejected(service(clock=clock), f"{header}.{payload}.{b64(signature)}")


def test_token_signed_by_a_key_outside_the_ring_is_rejected():
    clock = FakeClock()
    assert rejected(service(clock=clock), sign(valid_claims(clock), key=STRANGER))


def test_token_signed_by_a_stranger_claiming_our_kid_is_rejected():
    clock = FakeClock()
    forged = sign(valid_claims(clock), header={"alg": "RS256", "kid": KEY.kid}, key=STRANGER)
    assert rejected(service(clock=clock), forged)


def test_token_without_kid_is_rejected_even_when_the_signature_is_good():
    clock = FakeClock()
    assert rejected(service(clock=clock), sign(valid_claims(clock), header={"alg": "RS256"}))


@pytest.mark.parametrize(
    "member",
    [
        {"jku": "https://evil.example/jwks.json"},
        {"x5u": "https://evil.example/cert.pem"},
        {"jwk": STRANGER.as_dict(private=False)},
        {"x5c": ["MIIB"]},
        {"crit": ["exp"]},
        {"b64": False, "crit": ["b64"]},
        {"cty": "JWT"},
    ],
    ids=lambda m: next(iter(m)),
)
def test_headers_that_point_at_other_keys_are_rejected(member):
    clock = FakeClock()
    header = {"alg": "RS256", "kid": KEY.kid} | member
    try:
        token = sign(valid_claims(clock), header=header)
    except Exception:  # joserfc refuses to even write some of these; craft by hand then
        h = b64(json.dumps(header).encode())
        token = f"{h}.{b64(json.dumps(valid_claims(clock)).encode())}.{b64(b'x' * 256)}"
    assert rejected(service(clock=clock), token)


# --- claims a correct signature does not excuse ----------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"tenant_id": ""},
        {"tenant_id": 7},
        {"typ": ["access"]},
        {"role": ""},
        {"role": 1},
        {"sub": ""},
        {"jti": ""},
        {"visitor_id": 42},
        {"aud": ["someone-else"]},
        {"exp": "9999999999"},
        {"nbf": 4_102_444_800},
    ],
    ids=lambda c: f"{next(iter(c))}={next(iter(c.values()))!r}",
)
def test_signed_but_malformed_claims_are_rejected(change):
    clock = FakeClock()
    assert rejected(service(clock=clock), sign(valid_claims(clock, **change)))


@pytest.mark.parametrize(
    "missing", ["iss", "aud", "exp", "iat", "jti", "sub", "typ", "role", "tenant_id"]
)
def test_every_required_claim_must_be_present(missing):
    clock = FakeClock()
    claims = valid_claims(clock)
    del claims[missing]
    assert rejected(service(clock=clock), sign(claims))


def test_platform_admin_token_carries_a_null_tenant():
    svc = service()
    token = access_token(svc, tenant_id=None, role="platform_admin")
    assert svc.verify(token, kind=TokenKind.ACCESS).tenant_id is None


def test_audience_list_containing_ours_is_accepted():
    clock = FakeClock()
    claims = valid_claims(clock, aud=["other", AUDIENCE])
    assert service(clock=clock).verify(sign(claims), kind=TokenKind.ACCESS).subject == "u-1"


# --- issuing rules ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(RESERVED_CLAIMS))
def test_extra_claims_cannot_override_registered_ones(name):
    with pytest.raises(ValueError):
        service().issue(
            kind=TokenKind.WIDGET, subject="v", tenant_id="acme", role="visitor", extra={name: "x"}
        )


def test_a_kind_without_ttl_can_be_neither_issued_nor_verified():
    clock = FakeClock()
    only_access = JwtService(
        [KEY], issuer=ISSUER, audience=AUDIENCE, ttls={TokenKind.ACCESS: 900}, clock=clock
    )
    with pytest.raises(ValueError):
        access_token(only_access, kind=TokenKind.WIDGET)
    widget = access_token(service(clock=clock), kind=TokenKind.WIDGET)
    assert rejected(only_access, widget, kind=TokenKind.WIDGET)


def test_ring_must_start_with_a_private_key():
    public_only = type(KEY).import_key(KEY.as_dict(private=False))
    with pytest.raises(ValueError):
        service(public_only)


# --- rotation and JWKS -----------------------------------------------------------------------


def test_rotation_keeps_old_tokens_valid_while_the_old_key_stays_in_the_ring():
    clock = FakeClock()
    before = access_token(service(OLD_KEY, clock=clock))
    rotated = service(KEY, OLD_KEY, clock=clock)

    assert rotated.verify(before, kind=TokenKind.ACCESS).subject == "u-1"
    after = access_token(rotated)
    header = json.loads(base64.urlsafe_b64decode(after.split(".")[0] + "=="))
    assert header["kid"] == KEY.kid
    assert rejected(service(OLD_KEY, clock=clock), after)  # old ring never saw the new key
    assert rejected(service(KEY, clock=clock), before)  # old key retired: its tokens die


def test_jwks_publishes_every_ring_key_and_no_private_member():
    jwks = service(KEY, OLD_KEY).jwks()

    assert [k["kid"] for k in jwks["keys"]] == [KEY.kid, OLD_KEY.kid]
    for key in jwks["keys"]:
        assert not PRIVATE_MEMBERS & key.keys()
        assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
    json.dumps(jwks)  # publishable as is
