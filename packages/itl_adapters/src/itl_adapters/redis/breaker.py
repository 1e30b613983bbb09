"""A circuit breaker for calls to a shared dependency (Redis), so an outage costs nothing per call.

States::

    closed  --(``failures`` consecutive failures)-->  open
    open    --(``cooldown`` seconds pass)---------->  half-open: ONE probe call goes through
    half-open --(probe succeeds)--> closed;  --(probe fails)--> open again

While open (and while a probe is in flight), calls are refused at once with
``UpstreamUnavailable``, without touching the dependency: callers fall back (the chat limiter
fails open) or fail closed (login) immediately instead of waiting out a timeout each. Recovery
needs no restart: the first call after the cool-down probes. A failure is an
``UpstreamUnavailable`` (what our adapters raise for driver errors); anything else passes through
uncounted, since it says nothing about the dependency's health.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from itl_core.errors import UpstreamUnavailable

__all__ = ["BreakerState", "CircuitBreaker"]

log = logging.getLogger(__name__)
T = TypeVar("T")


class BreakerState(enum.StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Share one breaker per dependency (every user of one Redis shares its health)."""

    def __init__(
        self,
        *,
        failures: int = 3,
        cooldown: float = 5.0,
        name: str = "redis",
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if failures < 1 or cooldown <= 0:
            raise ValueError("a breaker needs failures >= 1 and a positive cooldown")
        self._threshold, self._cooldown, self._name = failures, cooldown, name
        self._monotonic = monotonic
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._probing or self._monotonic() - self._opened_at >= self._cooldown:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    async def call(self, operation: Callable[[], Awaitable[T]]) -> T:
        """``await operation()`` unless the circuit is open; see the module docstring."""
        probe = False
        if self._opened_at is not None:
            if self._probing or self._monotonic() - self._opened_at < self._cooldown:
                raise UpstreamUnavailable(f"{self._name} is unavailable (circuit open).")
            self._probing = probe = True
        try:
            result = await operation()
        except UpstreamUnavailable:
            self._failed(probe)
            raise
        except BaseException:
            if probe:
                self._probing = False  # cancelled or a bug: let the next call probe again
            raise
        self._succeeded()
        return result

    def _failed(self, probe: bool) -> None:
        self._probing = False
        self._failures += 1
        if probe or (self._opened_at is None and self._failures >= self._threshold):
            if self._opened_at is None:
                log.warning("%s circuit opened after %d failures", self._name, self._failures)
            self._opened_at = self._monotonic()

    def _succeeded(self) -> None:
        if self._opened_at is not None:
            log.warning("%s circuit closed: the dependency answers again", self._name)
        self._failures, self._opened_at, self._probing = 0, None, False
