"""The sealed provider key and the rules a plaintext key must satisfy before it is sealed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from itl_core.errors import FieldError

# The providers a tenant can bring a key for; ``offline`` needs none.
KEY_PROVIDERS = ("openai", "anthropic", "google")
MIN_KEY_LENGTH = 8
MAX_KEY_LENGTH = 512


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderKey:
    """A tenant's key for one provider: ``sealed_key`` is SecretBox output bound to
    ``secret_context(tenant_id, "provider_key", provider)``; ``last4`` is all anyone sees."""

    tenant_id: str
    provider: str
    sealed_key: bytes
    last4: str
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderKeySummary:
    """What the API shows of a key: never the key."""

    provider: str
    last4: str
    updated_at: datetime

    @classmethod
    def of(cls, key: ProviderKey) -> ProviderKeySummary:
        return cls(provider=key.provider, last4=key.last4, updated_at=key.updated_at)


def provider_errors(provider: str) -> list[FieldError]:
    if provider not in KEY_PROVIDERS:
        return [FieldError("provider", f"must be one of {', '.join(KEY_PROVIDERS)}")]
    return []


def api_key_errors(api_key: str) -> list[FieldError]:
    """A key is one token of printable ASCII: whitespace or control characters are paste errors."""
    if not MIN_KEY_LENGTH <= len(api_key) <= MAX_KEY_LENGTH:
        return [FieldError("api_key", f"must be {MIN_KEY_LENGTH} to {MAX_KEY_LENGTH} characters")]
    if not all("!" <= ch <= "~" for ch in api_key):
        return [FieldError("api_key", "must be printable ASCII without spaces")]
    return []
