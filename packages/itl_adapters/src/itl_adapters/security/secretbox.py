"""Secrets at rest: MultiFernet with keys derived per context, so ciphertexts cannot move.

Scheme. Each configured Fernet key is a master key; the key that actually seals a secret is

    HKDF-SHA256(master, salt=none, info="itl-secretbox/v1" 0x00 context, length=32)

used as a Fernet key (AES-128-CBC + HMAC-SHA256, authenticated). The context names the row's
tenant and purpose, e.g. ``tenant:acme:provider_key:openai``. A ciphertext copied to another
tenant's or purpose's row is opened there with a different derived key, so its HMAC fails: it
behaves exactly like a forged token. Key separation by HKDF ``info`` is the textbook way to
bind ciphertexts to a context when the cipher (Fernet) has no associated data, and unlike a
context tag inside the plaintext it needs no parsing and leaks nothing about the context.

Keys: the first master key seals, all of them open (MultiFernet order), so keys rotate by
prepending a new key, running ``rotate`` over every stored ciphertext, then dropping the old key.

A ciphertext that does not open (wrong context, tampered, or its key was dropped from the ring)
raises ``SecretUnreadable``: an ``UpstreamUnavailable`` (503, not retryable). The client sent
nothing wrong; the secret a dependency needs (a provider key) is unusable, so the call fails
like an unavailable dependency would, and the model router can fail over to another provider.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from itl_core.errors import UpstreamUnavailable

__all__ = ["FernetSecretBox", "SecretUnreadable"]

_INFO_PREFIX = b"itl-secretbox/v1\x00"


class SecretUnreadable(UpstreamUnavailable):
    """A stored secret cannot be decrypted under this context with the configured keys."""

    default_message = "A stored secret could not be decrypted."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message, retryable=False)


class FernetSecretBox:
    """``SecretBox`` over Fernet keys as configured (``ITL_SECRET_KEYS``), newest first."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("FernetSecretBox needs at least one key")
        masters = []
        for position, key in enumerate(keys):
            try:
                Fernet(key)  # validates the format: 32 url-safe base64 bytes
            except (ValueError, TypeError) as error:
                # Name the position only: the key itself is a secret.
                raise ValueError(f"secret key #{position + 1} is not a Fernet key") from error
            masters.append(base64.urlsafe_b64decode(key))
        self._masters = tuple(masters)

    def seal(self, plaintext: str, *, context: str) -> bytes:
        return self._fernets(context)[0].encrypt(plaintext.encode("utf-8", "surrogatepass"))

    def open(self, ciphertext: bytes, *, context: str) -> str:
        try:
            plaintext = MultiFernet(self._fernets(context)).decrypt(_canonical(ciphertext))
        except InvalidToken as error:
            raise SecretUnreadable() from error
        return plaintext.decode("utf-8", "surrogatepass")

    def rotate(self, ciphertext: bytes, *, context: str) -> bytes:
        try:
            return MultiFernet(self._fernets(context)).rotate(_canonical(ciphertext))
        except InvalidToken as error:
            raise SecretUnreadable() from error

    def _fernets(self, context: str) -> list[Fernet]:
        if not context:
            raise ValueError("a secret needs a context (tenant and purpose)")
        info = _INFO_PREFIX + context.encode("utf-8", "surrogatepass")
        return [Fernet(base64.urlsafe_b64encode(_derive(master, info))) for master in self._masters]


def _canonical(ciphertext: bytes) -> bytes:
    # Fernet's base64 decoder skips stray characters and spare bits, so altered copies of a
    # ciphertext would still open. Only the exact bytes ``seal`` produced are accepted.
    try:
        raw = base64.b64decode(ciphertext, altchars=b"-_", validate=True)
    except (ValueError, TypeError) as error:
        raise InvalidToken from error
    if base64.urlsafe_b64encode(raw) != ciphertext:
        raise InvalidToken
    return ciphertext


def _derive(master: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)
