"""A chat turn: events in the SSE order, the transcript kept whatever happens."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from dependency_injector import providers
from itl_adapters.memory.llm import Pause, text_step
from itl_core.chat import (
    Actor,
    ChatTurnRequest,
    Done,
    Failed,
    Routed,
    SessionStarted,
    Token,
    collect_result,
)
from itl_core.errors import ProviderFailed
from itl_core.llm.model import TextDelta
from itl_core.sessions.model import MessageRole, MessageStatus, SessionStatus

from tests.unit.chat.conftest import Chat


def messages_of(chat: Chat, session_id: str):
    found = [m for m in chat.store.messages.values() if m.session_id == session_id]
    return sorted(found, key=lambda m: (m.created_at, m.role is MessageRole.ASSISTANT))


async def test_a_turn_streams_session_routing_tokens_then_done(chat: Chat, member: Actor):
    await chat.agent()
    chat.model(text_step("Hello there friend"))

    events = await chat.turn(member, "Hi")

    assert isinstance(events[0], SessionStarted) and isinstance(events[1], Routed)
    assert [e.text for e in events if isinstance(e, Token)] == ["Hello ", "there ", "friend"]
    done = events[-1]
    assert isinstance(done, Done) and sum(isinstance(e, Done | Failed) for e in events) == 1
    result = done.result
    assert result.response == "Hello there friend" and result.agent == "Helper"
    assert result.session_id == events[0].session_id and result.message_id == events[0].message_id
    metadata = result.metadata
    assert metadata["routing"]["agent"] == "Helper" and metadata["routing"]["method"] == "fallback"
    assert metadata["provider"] == "openai" and metadata["model"] == "gpt-4o-mini"
    assert metadata["usage"]["input_tokens"] == 10 and metadata["usage"]["output_tokens"] == 3
    assert metadata["usage"]["cost_usd"] == pytest.approx((10 * 0.15 + 3 * 0.60) / 1e6)
    user, answer = messages_of(chat, result.session_id)
    assert (user.role, user.content, user.status) == (
        MessageRole.USER,
        "Hi",
        MessageStatus.COMPLETE,
    )
    assert answer.id == result.message_id and answer.status is MessageStatus.COMPLETE
    assert answer.content == "Hello there friend" and answer.metadata == metadata
    assert chat.store.sessions[result.session_id].agent_id == result.agent_id


async def test_the_user_message_is_stored_before_the_model_is_called(chat: Chat, member: Actor):
    await chat.agent()
    seen = []

    def inspect_store(request):
        seen.extend(m.content for m in chat.store.messages.values() if m.role is MessageRole.USER)
        return text_step("ok")

    chat.model(inspect_store)

    await chat.turn(member, "Where is it?")

    assert seen == ["Where is it?"]


async def test_collect_result_gives_the_json_answer(chat: Chat, member: Actor):
    await chat.agent()
    chat.model(text_step("Fine"))
    use_case = await chat.use("chat_turn")

    result = await collect_result(use_case.execute(ChatTurnRequest(actor=member, message="Hi")))

    body = result.as_dict()
    assert body["response"] == "Fine" and body["agent"] == "Helper"
    assert set(body) == {"response", "agent", "session_id", "message_id", "metadata"}


async def test_a_model_failing_mid_stream_fails_the_message_and_ends_with_failed(
    chat: Chat, member: Actor
):
    await chat.agent()
    chat.model([TextDelta(text="Half an "), ProviderFailed("cut", retryable=True)])

    events = await chat.turn(member, "Hi")

    failed = events[-1]
    assert (
        isinstance(failed, Failed) and failed.retryable and isinstance(failed.error, ProviderFailed)
    )
    assert not any(isinstance(e, Done) for e in events)
    user, answer = messages_of(chat, events[0].session_id)
    assert user.content == "Hi" and user.status is MessageStatus.COMPLETE
    assert answer.status is MessageStatus.FAILED and answer.content == "Half an "
    assert answer.metadata["error"]["type"] == "ProviderFailed"
    with pytest.raises(ProviderFailed):
        chat.model([ProviderFailed("down", retryable=False)])
        use_case = await chat.use("chat_turn")
        await collect_result(use_case.execute(ChatTurnRequest(actor=member, message="Hi")))


async def test_a_consumer_closing_the_stream_early_keeps_the_answer_as_interrupted(
    chat: Chat, member: Actor
):
    await chat.agent()
    chat.model(text_step("one two three four five"))
    use_case = await chat.use("chat_turn")
    events = use_case.execute(ChatTurnRequest(actor=member, message="Hi"))

    started = await anext(events)
    await anext(events)  # routing
    await anext(events)  # the first token
    await events.aclose()

    answer = chat.store.messages[started.message_id]
    assert answer.status is MessageStatus.INTERRUPTED and answer.content == "one "


async def test_a_cancelled_turn_keeps_the_answer_as_interrupted(chat: Chat, member: Actor):
    await chat.agent()
    chat.model([TextDelta(text="thinking "), Pause(10)])
    use_case = await chat.use("chat_turn")
    first_token = asyncio.Event()
    ids = []

    async def consume():
        async for event in use_case.execute(ChatTurnRequest(actor=member, message="Hi")):
            if isinstance(event, SessionStarted):
                ids.append(event.message_id)
            if isinstance(event, Token):
                first_token.set()

    task = asyncio.create_task(consume())
    await first_token.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    answer = chat.store.messages[ids[0]]
    assert answer.status is MessageStatus.INTERRUPTED and answer.content == "thinking "


async def test_the_offline_model_is_priced_at_zero(chat: Chat, member: Actor):
    await chat.agent()
    chat.model(text_step("hi"), provider="offline", name="offline-1")

    [*_, done] = await chat.turn(member, "Hi")

    assert done.result.metadata["usage"]["cost_usd"] == 0.0


async def test_a_turn_routes_once_and_the_chosen_agent_answers_directly(chat: Chat, member: Actor):
    from itl_core.agents.model import AgentKind

    await chat.agent("Boss", kind=AgentKind.SUPERVISOR)
    await chat.agent("Tracking")
    await chat.agent("Quotes")
    model = chat.model(text_step('{"agent": "Quotes", "confidence": 0.8}'), text_step("A quote"))

    events = await chat.turn(member, "hmm")

    [routed] = [e for e in events if isinstance(e, Routed)]
    assert (routed.agent_name, routed.method, routed.confidence) == ("Quotes", "llm", 0.8)
    assert len(model.requests) == 2  # one classification, one answer: no second hop
    assert events[-1].result.response == "A quote" and events[-1].result.agent == "Quotes"


async def test_the_answer_is_pending_before_routing_and_takes_its_agent_when_settled(
    chat: Chat, member: Actor
):
    from itl_core.agents.model import AgentKind

    await chat.agent("Boss", kind=AgentKind.SUPERVISOR)
    await chat.agent("Tracking")
    quotes = await chat.agent("Quotes")
    seen = []

    def inspect_store(request):  # the supervisor's classification: routing is under way
        seen.extend(
            (m.status, m.agent_id)
            for m in chat.store.messages.values()
            if m.role is MessageRole.ASSISTANT
        )
        return text_step('{"agent": "Quotes", "confidence": 0.8}')

    chat.model(inspect_store, text_step("A quote"))

    result = (await chat.turn(member, "hmm"))[-1].result

    assert seen == [(MessageStatus.PENDING, None)]  # stored before the classifying model call
    _, answer = messages_of(chat, result.session_id)
    assert (answer.status, answer.agent_id) == (MessageStatus.COMPLETE, quotes.id)
    assert chat.store.sessions[result.session_id].agent_id == quotes.id


async def test_a_routing_failure_settles_the_answer_as_failed_and_raises(chat: Chat, member: Actor):
    class DownEmbedder:
        dimensions = 384

        async def embed(self, texts):
            raise ProviderFailed("the embedding provider is down")

    chat.container.infra.embedder.override(providers.Object(DownEmbedder()))
    await chat.agent("Tracking")
    await chat.agent("Quotes")  # two candidates and no rule: routing needs the embedder
    chat.model(text_step("never asked"))

    with pytest.raises(ProviderFailed):
        await chat.turn(member, "hmm")  # raised before any event: a plain problem answer

    [session_id] = list(chat.store.sessions)
    user, answer = messages_of(chat, session_id)
    assert user.content == "hmm" and answer.status is MessageStatus.FAILED  # none left pending
    assert answer.agent_id is None and answer.metadata["routing"] is None
    assert answer.metadata["error"]["type"] == "ProviderFailed"


async def test_a_session_closed_while_its_answer_streams_stays_closed(chat: Chat, member: Actor):
    helper = await chat.agent()

    def close_the_session(request):  # an operator closes the session meanwhile
        [(session_id, session)] = chat.store.sessions.items()
        chat.store.sessions[session_id] = replace(session, status=SessionStatus.CLOSED)
        return text_step("ok")

    chat.model(close_the_session)

    result = (await chat.turn(member, "Hi"))[-1].result

    session = chat.store.sessions[result.session_id]
    assert (session.status, session.agent_id) == (SessionStatus.CLOSED, helper.id)
