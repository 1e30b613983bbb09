"""The one error tree of the domain.

Use cases raise these; adapters translate driver and SDK errors into them (``raise X from e``);
the HTTP apps map each class to a status in a single exception handler::

    DomainError                     (500 only if raised bare: a bug, never client input)
     ├── NotFound                   404  missing, or another tenant's (indistinguishable)
     ├── Conflict                   409  unique name, second active supervisor, ...
     ├── AuthenticationFailed       401  bad credentials or token (one message for all causes)
     ├── PermissionDenied           403  authenticated, but the role may not do this
     ├── ValidationFailed           422  input breaks a domain rule; carries field errors
     ├── RateLimited                429  carries ``retry_after`` seconds (and the refusing limit)
     ├── QuotaExceeded              429  a tenant budget is spent; carries an optional
     │                                   ``retry_after`` (seconds until its period resets)
     └── UpstreamUnavailable        503  a dependency (database, cache, model provider) failed;
          │                              carries ``retryable`` and an optional ``retry_after``
          └── ProviderFailed        502  the model provider answered badly
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    """One reason why one input field was refused."""

    field: str
    message: str


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""

    default_message = "The request could not be completed."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class NotFound(DomainError):
    default_message = "The resource does not exist."


class Conflict(DomainError):
    default_message = "The request conflicts with the current state."


class AuthenticationFailed(DomainError):
    default_message = "Invalid credentials."


class PermissionDenied(DomainError):
    default_message = "You are not allowed to do this."


class ValidationFailed(DomainError):
    default_message = "The request is not valid."

    def __init__(
        self, errors: list[FieldError] | tuple[FieldError, ...], message: str | None = None
    ):
        self.errors = tuple(errors)
        super().__init__(message or "; ".join(f"{e.field}: {e.message}" for e in self.errors))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationFailed:
        return cls([FieldError(field, message)])


class RateLimited(DomainError):
    default_message = "Too many requests."

    def __init__(
        self,
        retry_after: float,
        message: str | None = None,
        *,
        limit: int | None = None,
        reset_after: float | None = None,
    ) -> None:
        """``limit``/``reset_after``: the refusing limit's size and seconds until it is whole
        again, when a rate limiter decided (the edge repeats them as ``RateLimit-*`` headers)."""
        self.retry_after = max(0.0, retry_after)
        self.limit = limit
        self.reset_after = None if reset_after is None else max(self.retry_after, reset_after)
        super().__init__(message)


class QuotaExceeded(DomainError):
    default_message = "The tenant's usage budget is exhausted."

    def __init__(self, message: str | None = None, *, retry_after: float | None = None) -> None:
        """``retry_after``: seconds until the spent budget's period (UTC day or month) resets."""
        self.retry_after = None if retry_after is None else max(0.0, retry_after)
        super().__init__(message)


class UpstreamUnavailable(DomainError):
    default_message = "A service this request depends on is unavailable."

    def __init__(
        self,
        message: str | None = None,
        *,
        retryable: bool = True,
        retry_after: float | None = None,
    ) -> None:
        """``retry_after``: seconds the upstream asked us to wait (e.g. its ``Retry-After``)."""
        self.retryable = retryable
        self.retry_after = None if retry_after is None else max(0.0, retry_after)
        super().__init__(message)


class ProviderFailed(UpstreamUnavailable):
    default_message = "The model provider failed to answer."
