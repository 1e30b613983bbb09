"""Who a widget visitor is: anonymous, or known because the tenant's backend signed them.

A tenant's backend signs ``{visitor_id, name, email, expires}`` with the widget identity secret
(HMAC-SHA256, hex). The signed message is these lines joined by ``\\n``, tenant first, so a
signature made for one tenant never verifies for another even under an equal secret::

    v1
    <tenant_id>
    <visitor_id>
    <name or empty>
    <email or empty>
    <expires: unix seconds>

Visitor ids live in two namespaces that cannot meet: ``known:<visitor_id>`` for signed
identities and ``anon:<32 hex>`` for anonymous ones, so an anonymous caller can never claim a
known visitor's history by choosing an id.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from itl_core.errors import AuthenticationFailed, FieldError, ValidationFailed

IDENTITY_VERSION = "v1"
MAX_IDENTITY_LIFETIME = 7 * 24 * 3600  # a signature valid longer than a week is a standing key
ANONYMOUS_RE = re.compile(r"^anon:[0-9a-f]{32}$")
_SIGNATURE_RE = re.compile(r"^[0-9a-f]{64}$")
_LIMITS = {"visitor_id": 128, "name": 200, "email": 320}


@dataclass(frozen=True, slots=True, kw_only=True)
class SignedIdentity:
    """A visitor identity as the tenant's backend signed it (``expires`` in unix seconds)."""

    visitor_id: str
    name: str = ""
    email: str = ""
    expires: int
    signature: str


def identity_message(tenant_id: str, identity: SignedIdentity) -> bytes:
    lines = (
        IDENTITY_VERSION,
        tenant_id,
        identity.visitor_id,
        identity.name,
        identity.email,
        str(identity.expires),
    )
    return "\n".join(lines).encode("utf-8")


def sign_identity(secret: str, tenant_id: str, identity: SignedIdentity) -> str:
    """What a tenant's backend computes (also used by tests); ``identity.signature`` is ignored."""
    return hmac.new(
        secret.encode("utf-8"), identity_message(tenant_id, identity), hashlib.sha256
    ).hexdigest()


def identity_errors(identity: SignedIdentity) -> list[FieldError]:
    errors = []
    for name, limit in _LIMITS.items():
        value = getattr(identity, name)
        if len(value) > limit or any(ord(c) < 32 or ord(c) == 127 for c in value):
            errors.append(FieldError(f"visitor.{name}", f"at most {limit} printable characters"))
    if not identity.visitor_id:
        errors.append(FieldError("visitor.id", "must not be empty"))
    return errors


def verify_identity(secret: str, tenant_id: str, identity: SignedIdentity, now: int) -> str:
    """The known visitor id, or ``AuthenticationFailed`` (bad, expired or far-future signature)."""
    if errors := identity_errors(identity):
        raise ValidationFailed(errors)
    expected = sign_identity(secret, tenant_id, identity)
    signature = identity.signature.strip().lower()
    if not (_SIGNATURE_RE.fullmatch(signature) and hmac.compare_digest(expected, signature)):
        raise AuthenticationFailed("The visitor signature is not valid.")
    if not now < identity.expires <= now + MAX_IDENTITY_LIFETIME:
        raise AuthenticationFailed("The visitor signature has expired or lives too long.")
    return f"known:{identity.visitor_id}"


def new_anonymous_id() -> str:
    return f"anon:{secrets.token_hex(16)}"


def is_anonymous_id(value: str) -> bool:
    return bool(ANONYMOUS_RE.fullmatch(value))
