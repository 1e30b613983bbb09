"""The one retry policy: backoff with jitter, Retry-After, first-token rule, bounds, fail-over."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from itl_core.errors import ProviderFailed, UpstreamUnavailable
from itl_core.llm.model import (
    ChatMessage,
    ChatRequest,
    ChatResponse,
    Finished,
    FinishReason,
    StreamEvent,
    TextDelta,
    collect,
)
from itl_core.llm.retry import Fallback, RetryingChatModel, RetryPolicy

REQUEST = ChatRequest(model="primary-model", messages=(ChatMessage.user("Hi"),))
ANSWER = (TextDelta(text="Hello"), Finished(reason=FinishReason.STOP))


class ScriptedChatModel:
    """A ChatModel playing one scripted attempt per call: events to yield, then maybe an error."""

    def __init__(self, *attempts: tuple[tuple[StreamEvent, ...], Exception | None]) -> None:
        self._attempts = list(attempts)
        self.requests: list[ChatRequest] = []

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        self.requests.append(request)
        events, error = self._attempts.pop(0)
        for event in events:
            yield event
        if error is not None:
            raise error

    async def complete(self, request: ChatRequest) -> ChatResponse:
        return await collect(self.stream(request))


def fails(error: Exception, *before: StreamEvent):
    return (before, error)


def answers():
    return (ANSWER, None)


class Clock:
    """Injected sleep and monotonic clock: sleeping advances time, instantly."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def monotonic(self) -> float:
        return self.now


def retrying(primary, clock, **options) -> RetryingChatModel:
    return RetryingChatModel(
        primary, sleep=clock.sleep, monotonic=clock.monotonic, jitter=lambda: 1.0, **options
    )


async def events(model) -> list[StreamEvent]:
    return [event async for event in model.stream(REQUEST)]


async def test_retries_a_retryable_failure_with_exponential_backoff():
    primary = ScriptedChatModel(
        fails(UpstreamUnavailable()), fails(UpstreamUnavailable()), answers()
    )
    clock = Clock()

    result = await events(retrying(primary, clock, policy=RetryPolicy(base_delay=0.5)))

    assert result == list(ANSWER)
    assert clock.waits == [0.5, 1.0]


async def test_jitter_is_full_jitter_of_the_capped_exponential():
    primary = ScriptedChatModel(*[fails(UpstreamUnavailable())] * 4, answers())
    clock = Clock()
    model = RetryingChatModel(
        primary,
        policy=RetryPolicy(max_attempts=5, base_delay=1.0, max_delay=3.0),
        sleep=clock.sleep,
        monotonic=clock.monotonic,
        jitter=lambda: 0.5,
    )

    await events(model)

    assert clock.waits == [0.5, 1.0, 1.5, 1.5]


async def test_honours_retry_after():
    primary = ScriptedChatModel(fails(UpstreamUnavailable(retry_after=7.0)), answers())
    clock = Clock()

    assert await events(retrying(primary, clock)) == list(ANSWER)
    assert clock.waits == [7.0]


async def test_never_retries_after_the_first_token():
    primary = ScriptedChatModel(fails(UpstreamUnavailable(), TextDelta(text="Hel")), answers())
    fallback = ScriptedChatModel(answers())
    clock = Clock()
    seen: list[StreamEvent] = []

    with pytest.raises(UpstreamUnavailable):
        async for event in retrying(
            primary, clock, fallback=Fallback(chat_model=fallback, model="fallback-model")
        ).stream(REQUEST):
            seen.append(event)

    assert seen == [TextDelta(text="Hel")]
    assert clock.waits == [] and len(primary.requests) == 1 and fallback.requests == []


async def test_gives_up_after_max_attempts():
    primary = ScriptedChatModel(*[fails(UpstreamUnavailable("down"))] * 3)
    clock = Clock()

    with pytest.raises(UpstreamUnavailable, match="down"):
        await events(retrying(primary, clock, policy=RetryPolicy(max_attempts=3)))

    assert len(primary.requests) == 3 and len(clock.waits) == 2


async def test_does_not_wait_past_the_time_budget():
    primary = ScriptedChatModel(fails(UpstreamUnavailable(retry_after=60.0)), answers())
    clock = Clock()

    with pytest.raises(UpstreamUnavailable):
        await events(retrying(primary, clock, policy=RetryPolicy(max_elapsed=30.0)))

    assert clock.waits == [] and len(primary.requests) == 1


async def test_does_not_retry_what_is_not_retryable():
    primary = ScriptedChatModel(fails(ProviderFailed(retryable=False)), answers())
    clock = Clock()

    with pytest.raises(ProviderFailed):
        await events(retrying(primary, clock))

    assert clock.waits == []


async def test_fails_over_to_the_fallback_with_its_own_model_name():
    primary = ScriptedChatModel(*[fails(UpstreamUnavailable())] * 2)
    fallback = ScriptedChatModel(answers())
    clock = Clock()
    model = retrying(
        primary,
        clock,
        policy=RetryPolicy(max_attempts=2),
        fallback=Fallback(chat_model=fallback, model="fallback-model"),
    )

    assert await events(model) == list(ANSWER)
    assert [r.model for r in fallback.requests] == ["fallback-model"]
    assert fallback.requests[0].messages == REQUEST.messages


async def test_fails_over_at_once_on_a_non_retryable_failure():
    primary = ScriptedChatModel(fails(ProviderFailed(retryable=False)))
    fallback = ScriptedChatModel(answers())
    clock = Clock()
    model = retrying(primary, clock, fallback=Fallback(chat_model=fallback, model="fb"))

    assert await events(model) == list(ANSWER)
    assert clock.waits == []


async def test_complete_follows_the_same_policy():
    primary = ScriptedChatModel(
        fails(UpstreamUnavailable(retry_after=2.0)), *[fails(UpstreamUnavailable())] * 2
    )
    fallback = ScriptedChatModel(answers())
    clock = Clock()
    model = retrying(primary, clock, fallback=Fallback(chat_model=fallback, model="fb"))

    response = await model.complete(REQUEST)

    assert response.text == "Hello"
    assert clock.waits == [2.0, 1.0]  # Retry-After, then backoff for attempt 2
    assert len(primary.requests) == 3


async def test_bugs_are_not_retried():
    primary = ScriptedChatModel(fails(KeyError("bug")), answers())

    with pytest.raises(KeyError):
        await events(retrying(primary, Clock()))


def test_a_policy_needs_at_least_one_attempt():
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
