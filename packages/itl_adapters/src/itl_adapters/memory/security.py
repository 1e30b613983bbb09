"""A cheap ``PasswordHasher`` for tests: the contract of ``Argon2PasswordHasher``, none of its cost.

Only the password hasher needs a fake: ``JwtService`` and ``FernetSecretBox`` are fast enough to
run for real in unit tests. Never wire this into an application: one salted SHA-256 is trivially
brute-forced.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from itl_adapters.security.passwords import MAX_PASSWORD_LENGTH, password_bytes

__all__ = ["FastPasswordHasher"]

_SCHEME = "$fake-sha256$"


class FastPasswordHasher:
    """Hashes look like ``$fake-sha256$<salt hex>$<digest hex>``; same refusals as the real one."""

    def hash(self, password: str) -> str:
        if len(password) > MAX_PASSWORD_LENGTH:
            raise ValueError(f"passwords are at most {MAX_PASSWORD_LENGTH} characters")
        salt = secrets.token_hex(16)
        return f"{_SCHEME}{salt}${_digest(salt, password)}"

    def verify(self, password: str, encoded: str) -> bool:
        if not isinstance(password, str) or len(password) > MAX_PASSWORD_LENGTH:
            return False
        if not isinstance(encoded, str) or not encoded.startswith(_SCHEME):
            return False
        salt, _, digest = encoded.removeprefix(_SCHEME).partition("$")
        return hmac.compare_digest(_digest(salt, password), digest)

    def verify_dummy(self, password: str) -> None:
        self.verify(password, f"{_SCHEME}00${_digest('00', '')}")


def _digest(salt: str, password: str) -> str:
    return hashlib.sha256(salt.encode() + b"\x00" + password_bytes(password)).hexdigest()
