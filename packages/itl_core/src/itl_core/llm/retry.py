"""The one retry policy for model calls: backoff with full jitter, then fail over, then raise.

Adapters never retry (their SDK retries are off); ``RetryingChatModel`` wraps one and:

- retries only ``UpstreamUnavailable`` errors with ``retryable`` set, at most
  ``max_attempts`` attempts in all and never past ``max_elapsed`` seconds since the first;
- waits ``retry_after`` when the error carries one (the provider knows best), otherwise a full
  jitter delay, ``uniform(0, min(max_delay, base_delay * 2 ** (attempt - 1)))``; a wait that
  would overrun ``max_elapsed`` is not taken;
- retries a stream only while it has yielded nothing: once the first event reached the caller,
  a retry would duplicate text the user already saw, so the error propagates as is;
- then, if nothing was yielded, fails over to ``fallback`` (for any ``UpstreamUnavailable``,
  retryable or not: another provider has its own key, quota and health), asking it for its own
  model name; the fallback is called as given, so wrap it in its own ``RetryingChatModel`` if
  it deserves retries too;
- else raises the last error.

Not retrying after a tool ran is the caller's concern: a tool loop calls the model once per
step, so a step whose tools ran is already over; the loop must not re-run a step whose tools
had side effects. Errors that are not ``UpstreamUnavailable`` (bugs) pass through untouched.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace

from itl_core.errors import UpstreamUnavailable
from itl_core.llm.model import ChatRequest, ChatResponse, StreamEvent
from itl_core.llm.ports import ChatModel

logger = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True, kw_only=True)
class RetryPolicy:
    """Bounds of the retry loop; times in seconds."""

    max_attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_elapsed: float = 30.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")


@dataclass(frozen=True, slots=True, kw_only=True)
class Fallback:
    """The model to fail over to, and the model name to ask it for."""

    chat_model: ChatModel
    model: str


class RetryingChatModel:
    """A ``ChatModel`` applying ``RetryPolicy`` to ``primary``, then failing over to ``fallback``.

    ``sleep``, ``jitter`` (uniform in [0, 1)) and ``monotonic`` are injected so tests run instantly.
    """

    def __init__(
        self,
        primary: ChatModel,
        *,
        policy: RetryPolicy | None = None,
        fallback: Fallback | None = None,
        sleep: Sleep = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._primary = primary
        self._policy = policy or RetryPolicy()
        self._fallback = fallback
        self._sleep = sleep
        self._jitter = jitter
        self._monotonic = monotonic

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        yielded = False
        primary = self._stream_with_retries(request)
        try:
            async for event in primary:
                yielded = True
                yield event
            return
        except UpstreamUnavailable as error:
            if yielded or self._fallback is None:
                raise
            logger.warning("model failed (%s); failing over", type(error).__name__)
        finally:
            await primary.aclose()
        fallback = self._fallback
        events = fallback.chat_model.stream(replace(request, model=fallback.model))
        try:
            async for event in events:
                yield event
        finally:
            await _close(events)

    async def complete(self, request: ChatRequest) -> ChatResponse:
        started = self._monotonic()
        attempt = 1
        while True:
            try:
                return await self._primary.complete(request)
            except UpstreamUnavailable as error:
                delay = self._delay_before_retry(error, attempt, started)
                if delay is None:
                    if self._fallback is None:
                        raise
                    logger.warning("model failed (%s); failing over", type(error).__name__)
                    break
            await self._sleep(delay)
            attempt += 1
        fallback = self._fallback
        return await fallback.chat_model.complete(replace(request, model=fallback.model))

    async def _stream_with_retries(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        started = self._monotonic()
        attempt = 1
        while True:
            yielded = False
            events = self._primary.stream(request)
            try:
                async for event in events:
                    yielded = True
                    yield event
                return
            except UpstreamUnavailable as error:
                delay = None if yielded else self._delay_before_retry(error, attempt, started)
                if delay is None:
                    raise
            finally:
                await _close(events)
            await self._sleep(delay)
            attempt += 1

    def _delay_before_retry(
        self, error: UpstreamUnavailable, attempt: int, started: float
    ) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``, or None to stop retrying."""
        policy = self._policy
        if not error.retryable or attempt >= policy.max_attempts:
            return None
        if error.retry_after is not None:
            delay = error.retry_after
        else:
            delay = self._jitter() * min(policy.max_delay, policy.base_delay * 2 ** (attempt - 1))
        if self._monotonic() - started + delay > policy.max_elapsed:
            return None
        logger.info(
            "model call failed (%s), retry %d in %.2fs", type(error).__name__, attempt, delay
        )
        return delay


async def _close(events: AsyncIterator[StreamEvent]) -> None:
    # Close a stream abandoned mid-way now, not at garbage collection: it holds a connection.
    aclose = getattr(events, "aclose", None)
    if aclose is not None:
        await aclose()
