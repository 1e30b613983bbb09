"""Key material: the JWT signing ring (a private JWKS) and the Fernet key list.

Production passes both through the environment (``ITL_JWT_KEYS``, ``ITL_SECRET_KEYS``) and
loads the ring with ``load_signing_keys``. Development calls ``load_or_create_dev_keys``, which
generates both once into the data directory; the result says ``generated=True`` so that
production can refuse it.

Rotation: put a new key FIRST (it signs / encrypts), keep the old ones after it until every token
they signed has expired (JWT) or every ciphertext was re-sealed (``SecretBox.rotate``).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

__all__ = [
    "JWT_ALGORITHM",
    "KeyMaterial",
    "dump_private_jwks",
    "generate_signing_key",
    "load_or_create_dev_keys",
    "load_signing_keys",
]

JWT_ALGORITHM = "RS256"
MIN_RSA_BITS = 2048
DEV_KEYS_FILE = "dev-keys.json"


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyMaterial:
    """Both key sets as configured strings. ``generated``: made by the app, not the operator."""

    jwt_private_jwks: str
    secret_keys: tuple[str, ...]
    generated: bool


def generate_signing_key() -> RSAKey:
    """A fresh RS256 key whose ``kid`` is its RFC 7638 thumbprint."""
    return RSAKey.generate_key(
        MIN_RSA_BITS, parameters={"alg": JWT_ALGORITHM, "use": "sig"}, private=True, auto_kid=True
    )


def dump_private_jwks(keys: Sequence[RSAKey]) -> str:
    """The ring as the private JWKS JSON that ``load_signing_keys`` reads (a SECRET)."""
    return json.dumps({"keys": [key.as_dict(private=True) for key in keys]})


def load_signing_keys(private_jwks: str) -> list[RSAKey]:
    """Parse ``{"keys": [...]}``: RSA only, >= 2048 bits, unique ``kid``s, first key private.

    Later keys may be public-only: retired keys kept just to verify tokens still in flight.
    Raises ValueError with a message that never contains key material.
    """
    try:
        document = json.loads(private_jwks)
        entries = document["keys"]
        keys = [RSAKey.import_key(entry) for entry in entries]
    except (ValueError, TypeError, KeyError, JoseError) as error:
        raise ValueError("the JWT key ring is not a valid RSA JWKS") from error
    if not keys:
        raise ValueError("the JWT key ring is empty")
    for key in keys:
        key.ensure_kid()
        if key.get("alg", JWT_ALGORITHM) != JWT_ALGORITHM or key.get("use", "sig") != "sig":
            raise ValueError(f"JWT key {key.kid!r} is not an {JWT_ALGORITHM} signing key")
        if key.public_key.key_size < MIN_RSA_BITS:
            raise ValueError(f"JWT key {key.kid!r} is shorter than {MIN_RSA_BITS} bits")
    if len({key.kid for key in keys}) != len(keys):
        raise ValueError("the JWT key ring has duplicate kids")
    if not keys[0].is_private:
        raise ValueError("the first JWT key signs, so it must be a private key")
    return keys


def load_or_create_dev_keys(data_dir: Path) -> KeyMaterial:
    """Read ``data_dir/dev-keys.json``, creating it (mode 0600) on first use. Development only.

    Creation is atomic and never overwrites: the file is written under a temporary name and
    hard-linked into place, so of two processes starting together one wins and both use its keys.
    """
    path = data_dir / DEV_KEYS_FILE
    if not path.exists():
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        content = json.dumps(
            {
                "jwt_private_jwks": json.loads(dump_private_jwks([generate_signing_key()])),
                "secret_keys": [Fernet.generate_key().decode("ascii")],
            }
        )
        _create_exclusive(path, content)
    document = json.loads(path.read_text(encoding="utf-8"))
    material = KeyMaterial(
        jwt_private_jwks=json.dumps(document["jwt_private_jwks"]),
        secret_keys=tuple(document["secret_keys"]),
        generated=True,
    )
    load_signing_keys(material.jwt_private_jwks)  # fail now, not at the first login
    return material


def _create_exclusive(path: Path, content: str) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".dev-keys-")  # created 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process created it first: use theirs
    finally:
        os.unlink(temporary)
