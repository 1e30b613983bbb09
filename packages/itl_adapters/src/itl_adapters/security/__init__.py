"""Security adapters: RS256 JWTs (joserfc), Argon2id passwords, MultiFernet secrets at rest.

JwtService             TokenIssuer + TokenVerifier, key ring with rotation, public JWKS
Argon2PasswordHasher   PasswordHasher
FernetSecretBox        SecretBox, ciphertexts bound to their context
load_signing_keys      the ring from ``ITL_JWT_KEYS`` (a private JWKS)
load_or_create_dev_keys  generated development keys, flagged ``generated=True``
"""

from itl_adapters.security.jwt import JwtService
from itl_adapters.security.keys import (
    JWT_ALGORITHM,
    KeyMaterial,
    dump_private_jwks,
    generate_signing_key,
    load_or_create_dev_keys,
    load_signing_keys,
)
from itl_adapters.security.passwords import Argon2PasswordHasher
from itl_adapters.security.secretbox import FernetSecretBox, SecretUnreadable

__all__ = [
    "JWT_ALGORITHM",
    "Argon2PasswordHasher",
    "FernetSecretBox",
    "JwtService",
    "KeyMaterial",
    "SecretUnreadable",
    "dump_private_jwks",
    "generate_signing_key",
    "load_or_create_dev_keys",
    "load_signing_keys",
]
