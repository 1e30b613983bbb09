"""Argon2id password hashing with cryptography's ``Argon2id`` (PHC strings, OWASP parameters)."""

from __future__ import annotations

import os
import secrets
import unicodedata

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

__all__ = ["MAX_PASSWORD_LENGTH", "Argon2PasswordHasher", "password_bytes"]

# Longer inputs are refused before hashing so a megabyte "password" cannot buy CPU time.
MAX_PASSWORD_LENGTH = 256


def password_bytes(password: str) -> bytes:
    """NFKC-normalised UTF-8 (NIST SP 800-63B), so the same password typed on another keyboard
    or OS matches; ``surrogatepass`` so no string a JSON body can carry makes encoding raise."""
    return unicodedata.normalize("NFKC", password).encode("utf-8", "surrogatepass")


class Argon2PasswordHasher:
    """``PasswordHasher``: Argon2id, m=19 MiB, t=2, p=1 by default, 16-byte random salt.

    Hashes are PHC strings (``$argon2id$v=19$m=19456,t=2,p=1$salt$hash``) that carry their own
    parameters, so raising the cost later still verifies old hashes. ``verify`` compares in
    constant time (inside cryptography) and answers False, never raises, for a wrong password,
    a malformed hash or an over-long password. Build ONE instance per process: the constructor
    spends one hash to prepare ``verify_dummy``.
    """

    def __init__(
        self, *, memory_cost_kib: int = 19_456, iterations: int = 2, lanes: int = 1
    ) -> None:
        self._memory_cost, self._iterations, self._lanes = memory_cost_kib, iterations, lanes
        self._dummy = self.hash(secrets.token_urlsafe(24))

    def hash(self, password: str) -> str:
        if len(password) > MAX_PASSWORD_LENGTH:
            raise ValueError(f"passwords are at most {MAX_PASSWORD_LENGTH} characters")
        kdf = Argon2id(
            salt=os.urandom(16),
            length=32,
            iterations=self._iterations,
            lanes=self._lanes,
            memory_cost=self._memory_cost,
        )
        return kdf.derive_phc_encoded(password_bytes(password))

    def verify(self, password: str, encoded: str) -> bool:
        if not isinstance(password, str) or len(password) > MAX_PASSWORD_LENGTH:
            return False
        try:
            Argon2id.verify_phc_encoded(password_bytes(password), encoded)
        except (InvalidKey, ValueError, TypeError):
            return False
        return True

    def verify_dummy(self, password: str) -> None:
        self.verify(password, self._dummy)
