"""Every provider adapter against a fake of its vendor's HTTP API, through the official SDK.

The same specification runs for OpenAI, Anthropic and Google: the SDK really speaks HTTP (JSON
and SSE) to a local server that plays the vendor's wire protocol, including its faults.
"""

from __future__ import annotations

import dataclasses
import time

import pytest
from itl_core.errors import ProviderFailed, UpstreamUnavailable
from itl_core.llm.model import (
    ChatMessage,
    ChatRequest,
    Finished,
    FinishReason,
    TextDelta,
    ToolCallComplete,
    ToolCallDelta,
    ToolDefinition,
    Usage,
)
from itl_core.llm.retry import RetryingChatModel, RetryPolicy

from tests.support.fake_vendors.server import FakeVendor, Stall

LOOKUP = ToolDefinition(
    name="lookup_order",
    description="Find an order by its id.",
    parameters={
        "type": "object",
        "properties": {"order_id": {"type": "string"}},
        "required": ["order_id"],
    },
)


def a_request(wire, *, tools=()) -> ChatRequest:
    return ChatRequest(
        model=wire.MODEL,
        messages=(ChatMessage.system("You help with orders."), ChatMessage.user("Hello")),
        tools=tuple(tools),
        max_tokens=100,
    )


@pytest.fixture
async def model(wire, vendor: FakeVendor):
    chat_model = wire.chat_model(vendor.url)
    yield chat_model
    await chat_model.aclose()


async def events_of(chat_model, request):
    return [event async for event in chat_model.stream(request)]


class Sleeps:
    """An injected sleep that records the waits instead of taking them."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


async def test_answers_a_plain_request(wire, vendor, model):
    vendor.reply(wire.text("Hi there!"))

    response = await model.complete(a_request(wire))

    assert response.text == "Hi there!"
    assert response.tool_calls == ()
    assert response.usage == Usage(input_tokens=12, output_tokens=3)
    assert response.finish_reason is FinishReason.STOP
    assert vendor.requests[0].path == wire.PATH


async def test_streams_text_as_it_arrives(wire, vendor, model):
    vendor.reply(wire.text_stream(["Hi", " there", "!"]))

    events = await events_of(model, a_request(wire))

    assert [e.text for e in events if isinstance(e, TextDelta)] == ["Hi", " there", "!"]
    assert events[-2:] == [
        Usage(input_tokens=12, output_tokens=3),
        Finished(reason=FinishReason.STOP),
    ]


async def test_assembles_a_streamed_tool_call(wire, vendor, model):
    vendor.reply(wire.tool_stream("call_1", "lookup_order", ['{"order_', 'id": "A1', '23"}']))

    events = await events_of(model, a_request(wire, tools=[LOOKUP]))

    fragments = "".join(e.arguments_fragment for e in events if isinstance(e, ToolCallDelta))
    assert fragments.replace(" ", "") == '{"order_id":"A123"}'
    complete = [e for e in events if isinstance(e, ToolCallComplete)]
    assert [(c.id, c.name, dict(c.arguments)) for c in complete] == [
        ("call_1", "lookup_order", {"order_id": "A123"})
    ]
    assert events[-1] == Finished(reason=FinishReason.TOOL_CALLS)


async def test_waits_out_a_429_for_its_retry_after_then_succeeds(wire, vendor, model):
    vendor.reply(wire.rate_limited("7"), wire.text_stream(["Hi"]))
    sleeps = Sleeps()

    events = await events_of(RetryingChatModel(model, sleep=sleeps), a_request(wire))

    assert sleeps.waits == [7.0]
    assert [e.text for e in events if isinstance(e, TextDelta)] == ["Hi"]
    assert len(vendor.requests) == 2


async def test_a_429_is_retryable_and_carries_retry_after(wire, vendor, model):
    vendor.reply(wire.rate_limited("2"))

    with pytest.raises(UpstreamUnavailable) as caught:
        await model.complete(a_request(wire))

    assert caught.value.retryable and caught.value.retry_after == 2.0
    assert not isinstance(caught.value, ProviderFailed)


async def test_a_500_is_retried_with_jittered_backoff(wire, vendor, model):
    vendor.reply(wire.server_error(), wire.text_stream(["Hi"]))
    sleeps = Sleeps()
    retrying = RetryingChatModel(
        model, policy=RetryPolicy(base_delay=0.5), sleep=sleeps, jitter=lambda: 0.5
    )

    events = await events_of(retrying, a_request(wire))

    assert sleeps.waits == [0.25]
    assert events[-1] == Finished(reason=FinishReason.STOP)


async def test_a_500_is_a_retryable_upstream_failure(wire, vendor, model):
    vendor.reply(wire.server_error())

    with pytest.raises(UpstreamUnavailable) as caught:
        await events_of(model, a_request(wire))

    assert caught.value.retryable
    assert isinstance(caught.value.__cause__, Exception)  # translated with ``from``


async def test_a_refused_request_fails_without_retry(wire, vendor, model):
    vendor.reply(wire.unauthorized())
    sleeps = Sleeps()

    with pytest.raises(ProviderFailed) as caught:
        await events_of(RetryingChatModel(model, sleep=sleeps), a_request(wire))

    assert not caught.value.retryable
    assert sleeps.waits == [] and len(vendor.requests) == 1
    assert "secret" not in str(caught.value)


async def test_a_stalled_server_times_out(wire, vendor):
    vendor.reply(Stall())
    impatient = wire.chat_model(vendor.url, timeout=0.2)
    started = time.monotonic()

    try:
        with pytest.raises(UpstreamUnavailable) as caught:
            await events_of(impatient, a_request(wire))
    finally:
        await impatient.aclose()

    assert caught.value.retryable
    assert time.monotonic() - started < 2


async def test_a_stream_stalled_mid_way_times_out(wire, vendor):
    vendor.reply(dataclasses.replace(wire.text_stream(["Hi", " there", "!"]), stall_after=2))
    impatient = wire.chat_model(vendor.url, timeout=0.2)

    try:
        with pytest.raises(UpstreamUnavailable):
            await events_of(impatient, a_request(wire))
    finally:
        await impatient.aclose()


async def test_a_stream_cut_mid_way_is_not_retried_after_the_first_token(wire, vendor, model):
    stream = wire.text_stream(["Hi", " there", "!", " Bye"])
    # Cut where the finishing frames would start: after text, before the end.
    vendor.reply(dataclasses.replace(stream, cut_after=len(stream.events) - 3))
    seen: list[object] = []
    sleeps = Sleeps()

    with pytest.raises(UpstreamUnavailable):
        async for event in RetryingChatModel(model, sleep=sleeps).stream(a_request(wire)):
            seen.append(event)

    assert seen and all(isinstance(e, TextDelta) for e in seen)
    assert sleeps.waits == [] and len(vendor.requests) == 1


async def test_an_error_event_inside_a_200_stream_fails_the_stream(wire, vendor, model):
    vendor.reply(wire.error_in_stream())
    seen: list[object] = []

    with pytest.raises(UpstreamUnavailable) as caught:
        async for event in model.stream(a_request(wire)):
            seen.append(event)

    assert seen == [TextDelta(text="Par")]
    assert caught.value.retryable
