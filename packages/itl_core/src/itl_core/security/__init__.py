"""Security ports: password hashing, token issuing and verifying, secrets at rest."""

from itl_core.security.ports import (
    AccessClaims,
    IssuedToken,
    PasswordHasher,
    SecretBox,
    TokenIssuer,
    TokenKind,
    TokenVerifier,
    secret_context,
)

__all__ = [
    "AccessClaims",
    "IssuedToken",
    "PasswordHasher",
    "SecretBox",
    "TokenIssuer",
    "TokenKind",
    "TokenVerifier",
    "secret_context",
]
