"""Refresh-token families.

A refresh token is an opaque random string; only its SHA-256 is stored. Each use spends it and
issues a successor in the same family. Presenting a spent token again means it was stolen or
replayed, so the whole family is revoked and the legitimate holder must sign in again.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from itl_core.users.model import User


@dataclass(frozen=True, slots=True, kw_only=True)
class RefreshTokenRecord:
    id: str
    family_id: str
    user_id: str
    tenant_id: str | None
    token_hash: str
    created_at: datetime
    expires_at: datetime
    spent_at: datetime | None = None
    revoked_at: datetime | None = None


class SpendOutcome(enum.Enum):
    SPENT = "spent"  # the token was live and is now spent: issue a successor
    REPLAYED = "replayed"  # the token was already spent or revoked: revoke the family
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True, kw_only=True)
class SpendResult:
    outcome: SpendOutcome
    record: RefreshTokenRecord | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    user: User


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def digest(value: str) -> str:
    """SHA-256 hex of a string: stored instead of tokens, and used in keys instead of emails."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def hash_refresh_token(token: str) -> str:
    return digest(token)
