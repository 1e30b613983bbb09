"""What the provider adapters share when they translate faults into the domain error tree.

The status policy, in one place so the three providers agree:

- 429 -> ``UpstreamUnavailable`` (retryable) with ``retry_after`` from the response;
- 408, 409, 5xx (and Anthropic's 529) -> ``UpstreamUnavailable`` (retryable);
- any other 4xx (bad request, auth, permission, not found) -> ``ProviderFailed``, not retryable:
  the same request would fail the same way;
- transport faults (connect, timeout, connection cut mid-stream) -> ``UpstreamUnavailable``;
- a body we cannot parse -> ``ProviderFailed`` (retryable: a glitch, not our request's fault).

Messages name the provider and the status only: never the request, never a key.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import httpx2
from itl_core.errors import ProviderFailed, UpstreamUnavailable

# The SDKs speak httpx2 (google-genai can be switched to httpx by an environment variable) and do
# not all wrap transport faults raised while a stream is read, so adapters catch these directly.
TRANSPORT_ERRORS: tuple[type[Exception], ...] = (httpx2.TransportError, httpx.TransportError)

_RETRYABLE_STATUSES = frozenset({408, 409, 429})


def from_status(
    provider: str,
    status: int,
    headers: Mapping[str, str] | None = None,
    *,
    retry_after: float | None = None,
) -> UpstreamUnavailable:
    """The domain error for an HTTP error status; a 429's wait comes from ``headers`` first,
    then from ``retry_after`` (a provider's own hint, e.g. in its error body)."""
    if status == 429:
        from_headers = retry_after_seconds(headers or {})
        return UpstreamUnavailable(
            f"{provider} is rate limiting us (429).",
            retryable=True,
            retry_after=retry_after if from_headers is None else from_headers,
        )
    if status in _RETRYABLE_STATUSES or status >= 500:
        return UpstreamUnavailable(f"{provider} is unavailable ({status}).", retryable=True)
    return ProviderFailed(f"{provider} refused the request ({status}).", retryable=False)


def transport_failed(provider: str, error: BaseException) -> UpstreamUnavailable:
    kind = "timed out" if "timeout" in type(error).__name__.lower() else "connection failed"
    return UpstreamUnavailable(f"{provider} {kind}.", retryable=True)


def stream_cut(provider: str) -> UpstreamUnavailable:
    return UpstreamUnavailable(f"{provider} ended the stream before finishing.", retryable=True)


def stream_error(provider: str, *, retryable: bool) -> UpstreamUnavailable:
    """An error the provider reported inside a stream it had opened with 200."""
    message = f"{provider} reported an error mid-stream."
    if retryable:
        return UpstreamUnavailable(message, retryable=True)
    return ProviderFailed(message, retryable=False)


def malformed(provider: str) -> ProviderFailed:
    return ProviderFailed(f"{provider} sent a malformed response.", retryable=True)


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """Seconds from ``retry-after-ms`` (OpenAI, Anthropic) or ``Retry-After`` (seconds or date)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    if (millis := _number(lowered.get("retry-after-ms"))) is not None:
        return millis / 1000
    value = lowered.get("retry-after")
    if value is None:
        return None
    if (seconds := _number(value)) is not None:
        return seconds
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def parse_arguments(provider: str, text: str) -> dict[str, Any]:
    """A tool call's JSON arguments as a dict (empty text: no arguments)."""
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except ValueError as e:
        raise ProviderFailed(f"{provider} sent tool arguments that are not JSON.") from e
    if not isinstance(value, dict):
        raise ProviderFailed(f"{provider} sent tool arguments that are not an object.")
    return value


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number >= 0 else None
