"""Signed tokens (access and widget) with joserfc: ``TokenIssuer`` and ``TokenVerifier``.

RS256 is pinned (the seed asks for it, every client library verifies it, and the JWKS we
publish is plain RSA). The ring's first key signs; every key in it verifies, which is how keys
rotate. Tokens name their key with ``kid``; a token naming no known key is refused.

``verify`` trusts nothing before the signature is checked, and joserfc's ``decode`` checks ONLY
the signature, so everything else is checked here explicitly:

- input: a string of at most 8 KB, three dot-separated parts, each canonical base64url;
- header: only ``alg``, ``kid`` and ``typ``; ``alg`` must be RS256 (so ``none`` and HS256 signed
  with our public key, the classic HS/RS confusion, fail); no ``jku``/``x5u``/``jwk``/``x5c``/
  ``crit``/``b64``: we never fetch or accept keys named by the token itself;
- claims: ``iss`` and ``aud`` equal ours; ``exp`` in the future and ``iat`` not in the future
  (both with ``leeway_seconds`` for clock skew between replicas); ``jti``, ``sub``, ``role`` are
  non-empty strings; ``typ`` equals the expected kind, so a widget token is no access token;
  ``tenant_id`` is present, a non-empty string or null (platform admins); every other claim is
  a string and is returned in ``extra``.

Every failure raises ``AuthenticationFailed`` with one message, whatever the cause, so the
error is no oracle; the cause is logged at debug level.
"""

from __future__ import annotations

import base64
import logging
import uuid
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

from itl_core.clock import Clock
from itl_core.errors import AuthenticationFailed
from itl_core.security.ports import AccessClaims, IssuedToken, TokenKind
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet, RSAKey
from joserfc.jws import JWSRegistry
from joserfc.registry import JWS_HEADER_REGISTRY, HeaderParameter, is_str

from itl_adapters.security.keys import JWT_ALGORITHM

__all__ = ["MAX_TOKEN_LENGTH", "RESERVED_CLAIMS", "JwtService"]

log = logging.getLogger(__name__)

MAX_TOKEN_LENGTH = 8192
RESERVED_CLAIMS = frozenset(
    {"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "typ", "tenant_id", "role"}
)
_INVALID = "Invalid or expired token."


class _PinnedRegistry(JWSRegistry):
    """Only the three header members we write are accepted; ``kid`` is required."""

    default_header_registry = {
        "alg": JWS_HEADER_REGISTRY["alg"],
        "kid": HeaderParameter("Key ID", is_str, required=True),
        "typ": JWS_HEADER_REGISTRY["typ"],
    }


VERIFIED_CACHE_SIZE = 4096


class JwtService:
    """Issues and verifies RS256 JWTs; ``keys[0]`` signs, all of ``keys`` verify.

    ``ttls`` gives each token kind its lifetime in seconds (e.g. access 900, widget 1800); a kind
    without a TTL can be neither issued nor verified.
    """

    def __init__(
        self,
        keys: Sequence[RSAKey],
        *,
        issuer: str,
        audience: str,
        ttls: Mapping[TokenKind, int],
        clock: Clock,
        leeway_seconds: int = 10,
    ) -> None:
        if not keys or not keys[0].is_private:
            raise ValueError("JwtService needs a private signing key first in its ring")
        if any(ttl < 1 for ttl in ttls.values()):
            raise ValueError("token TTLs must be positive")
        for key in keys:
            key.ensure_kid()
        self._signing_key = keys[0]
        # Verify with public halves only: nothing on the verifying path can use a private key.
        public = [RSAKey.import_key(key.as_dict(private=False)) for key in keys]
        self._verifying_keys = KeySet(public)
        self._registry = _PinnedRegistry(algorithms=[JWT_ALGORITHM], strict_check_header=True)
        self._issuer, self._audience = issuer, audience
        self._ttls = dict(ttls)
        self._clock = clock
        self._leeway = leeway_seconds
        self._verified: OrderedDict[tuple[str, TokenKind], AccessClaims] = OrderedDict()

    def issue(
        self,
        *,
        kind: TokenKind,
        subject: str,
        tenant_id: str | None,
        role: str,
        extra: Mapping[str, str] | None = None,
    ) -> IssuedToken:
        ttl = self._ttls.get(kind)
        if ttl is None:
            raise ValueError(f"no TTL configured for {kind.value} tokens")
        if not subject or not role or tenant_id == "":
            raise ValueError("a token needs a subject, a role and a tenant (or None)")
        extra = dict(extra or {})
        if clash := RESERVED_CLAIMS.intersection(extra):
            raise ValueError(f"extra claims may not override {sorted(clash)}")
        if not all(isinstance(v, str) for v in extra.values()):
            raise ValueError("extra claims must be strings")
        now = self._now()
        claims: dict[str, Any] = {
            **extra,
            "iss": self._issuer,
            "aud": self._audience,
            "sub": subject,
            "tenant_id": tenant_id,
            "role": role,
            "typ": kind.value,
            "iat": now,
            "exp": now + ttl,
            "jti": str(uuid.uuid4()),
        }
        header = {"alg": JWT_ALGORITHM, "kid": self._signing_key.kid}
        token = jose_jwt.encode(header, claims, self._signing_key, algorithms=[JWT_ALGORITHM])
        return IssuedToken(token=token, expires_in=ttl)

    def verify(self, token: str, *, kind: TokenKind) -> AccessClaims:
        """The token's claims, or AuthenticationFailed.

        A token that passed is remembered (the newest ``VERIFIED_CACHE_SIZE``): the same text
        again, as every request of a session sends it, costs a dictionary lookup and a check of
        its times instead of an RS256 verification. Only verified tokens are kept, keyed by
        their exact text (of which only the canonical spelling verifies), and nothing can undo
        a verification but time: the keys are fixed for the life of the process.
        """
        remembered = self._verified.get((token, kind))
        if remembered is not None:
            now = self._now()
            if remembered.issued_at - self._leeway <= now < remembered.expires_at + self._leeway:
                self._verified.move_to_end((token, kind))
                return remembered
            del self._verified[(token, kind)]
        try:
            claims = self._verify(token, kind)
        except Exception as error:
            # Broad on purpose: whatever malformed input makes a library raise, the caller
            # sees the one 401, never a 500 or a message that tells causes apart.
            log.debug("token rejected: %s", type(error).__name__)
            raise AuthenticationFailed(_INVALID) from None
        self._verified[(token, kind)] = claims
        if len(self._verified) > VERIFIED_CACHE_SIZE:
            self._verified.popitem(last=False)
        return claims

    def jwks(self) -> dict[str, Any]:
        """The public JWKS to publish (``/.well-known/jwks.json``); never private members."""
        return dict(self._verifying_keys.as_dict(private=False))

    def _verify(self, token: str, kind: TokenKind) -> AccessClaims:
        if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
            raise ValueError("malformed token")
        segments = token.split(".")
        if len(segments) != 3 or not all(_is_canonical_b64url(s) for s in segments):
            raise ValueError("malformed token")
        if kind not in self._ttls:
            raise ValueError("unexpected token kind")
        # Checks header members, alg and kid (against _PinnedRegistry), then the signature.
        claims = jose_jwt.decode(
            token, self._verifying_keys, algorithms=[JWT_ALGORITHM], registry=self._registry
        ).claims
        essential = {"essential": True}
        jose_jwt.JWTClaimsRegistry(
            now=self._now(),
            leeway=self._leeway,
            iss={"essential": True, "value": self._issuer},
            aud={"essential": True, "value": self._audience},
            typ={"essential": True, "value": kind.value},
            exp=essential,
            iat=essential,
            jti=essential,
            sub=essential,
            role=essential,
        ).validate(claims)
        tenant_id = claims["tenant_id"]  # KeyError if absent: must be present, even as null
        if not (tenant_id is None or (isinstance(tenant_id, str) and tenant_id)):
            raise ValueError("tenant_id")
        for name in ("typ", "role", "sub", "jti"):
            if not isinstance(claims[name], str):
                raise ValueError(name)
        extra = {k: v for k, v in claims.items() if k not in RESERVED_CLAIMS}
        if not all(isinstance(v, str) for v in extra.values()):
            raise ValueError("extra")
        return AccessClaims(
            kind=kind,
            subject=claims["sub"],
            tenant_id=tenant_id,
            role=claims["role"],
            token_id=claims["jti"],
            issued_at=int(claims["iat"]),
            expires_at=int(claims["exp"]),
            extra=extra,
        )

    def _now(self) -> int:
        return int(self._clock.now().timestamp())


def _is_canonical_b64url(segment: str) -> bool:
    # Decoders ignore the spare low bits of a segment's last character, so several strings
    # decode to one signature. Accepting only the canonical one makes a token's text
    # unforgeable too (no look-alike copies slipping past a deny-list keyed by token text).
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except ValueError:
        return False
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") == segment
