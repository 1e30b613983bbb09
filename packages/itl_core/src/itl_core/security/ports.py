"""Ports for credentials and secrets. Implementations live in ``itl_adapters.security``."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


class TokenKind(enum.StrEnum):
    """The ``typ`` of a signed token: a token is accepted only where its kind is meant."""

    ACCESS = "access"
    WIDGET = "widget"


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessClaims:
    """Verified claims of a token. ``tenant_id`` is None only for platform admins."""

    kind: TokenKind
    subject: str
    tenant_id: str | None
    role: str
    token_id: str
    issued_at: int
    expires_at: int
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class IssuedToken:
    token: str
    expires_in: int


def secret_context(tenant_id: str, purpose: str, *names: str) -> str:
    """The context a sealed secret is bound to, e.g. ``tenant:acme:provider_key:openai``.

    Writers and ``itl keys rotate`` must build it the same way, so it is built only here.
    """
    return ":".join(("tenant", tenant_id, purpose, *names))


class PasswordHasher(Protocol):
    """Hashes and verifies passwords in constant time; hashes are self-describing strings."""

    def hash(self, password: str) -> str: ...

    def verify(self, password: str, encoded: str) -> bool: ...

    def verify_dummy(self, password: str) -> None:
        """Spend the time of one ``verify`` without an account, so unknown users cost the same."""
        ...


class TokenIssuer(Protocol):
    """Signs short-lived tokens of a given kind for a subject."""

    def issue(
        self,
        *,
        kind: TokenKind,
        subject: str,
        tenant_id: str | None,
        role: str,
        extra: Mapping[str, str] | None = None,
    ) -> IssuedToken: ...


class TokenVerifier(Protocol):
    """Verifies signature, algorithm, kind and every registered claim.

    Any failure raises ``AuthenticationFailed``.
    """

    def verify(self, token: str, *, kind: TokenKind) -> AccessClaims: ...


class SecretBox(Protocol):
    """Encrypts secrets at rest, bound to a context (tenant + purpose) that must match to open."""

    def seal(self, plaintext: str, *, context: str) -> bytes: ...

    def open(self, ciphertext: bytes, *, context: str) -> str: ...

    def rotate(self, ciphertext: bytes, *, context: str) -> bytes:
        """Re-encrypt under the newest key (for ``itl keys rotate``)."""
        ...
