"""Contract: SessionRepository and MessageRepository (transcripts, finish, start-up reaper)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from itl_core.errors import NotFound, ValidationFailed
from itl_core.pagination import PageRequest
from itl_core.sessions.model import Channel, MessageRole, MessageStatus, SessionStatus

from tests.contract.builders import all_pages, at, message, session
from tests.contract.conftest import Repositories

ASSISTANT, PENDING = MessageRole.ASSISTANT, MessageStatus.PENDING


async def test_a_session_reads_back_equal_and_updates(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    chat = session(a, channel=Channel.WIDGET, visitor_id="v-1")
    await repos.sessions.add(chat)
    assert await repos.sessions.get(a, chat.id) == chat
    changed = replace(
        chat, status=SessionStatus.WAITING_FOR_HUMAN, agent_id="agent-1", updated_at=at(5)
    )
    await repos.sessions.update(changed)
    assert await repos.sessions.get(a, chat.id) == changed


async def test_after_turn_marks_the_session_as_it_is_now(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    chat, closed = session(a), session(a, status=SessionStatus.CLOSED, agent_id="agent-0")
    for s in (chat, closed):
        await repos.sessions.add(s)
    await repos.sessions.after_turn(a, chat.id, agent_id="agent-1", handoff=False, at=at(5))
    assert await repos.sessions.get(a, chat.id) == replace(
        chat, agent_id="agent-1", updated_at=at(5)
    )
    await repos.sessions.after_turn(a, chat.id, agent_id=None, handoff=True, at=at(6))
    waiting = replace(
        chat, agent_id="agent-1", status=SessionStatus.WAITING_FOR_HUMAN, updated_at=at(6)
    )
    assert await repos.sessions.get(a, chat.id) == waiting  # no agent given: the last one kept
    await repos.sessions.after_turn(a, closed.id, agent_id="agent-2", handoff=True, at=at(7))
    assert await repos.sessions.get(a, closed.id) == replace(  # closed stays closed
        closed, agent_id="agent-2", updated_at=at(7)
    )
    await repos.sessions.after_turn(b, chat.id, agent_id="x", handoff=True, at=at(8))
    await repos.sessions.after_turn(a, "no-such-session", agent_id="x", handoff=False, at=at(8))
    assert await repos.sessions.get(a, chat.id) == waiting  # another tenant's call: untouched


async def test_another_tenant_cannot_see_or_update_a_session(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    chat = session(a)
    await repos.sessions.add(chat)
    assert await repos.sessions.get(b, chat.id) is None
    assert (await repos.sessions.list(b, PageRequest())).items == []
    with pytest.raises(NotFound):
        await repos.sessions.update(replace(chat, tenant_id=b, status=SessionStatus.CLOSED))


async def test_sessions_list_filters_by_owner(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    mine = session(a, user_id="u-1", created_at=at(1))
    theirs = session(a, user_id="u-2", created_at=at(2))
    visitor = session(a, channel=Channel.WIDGET, visitor_id="v-1", created_at=at(3))
    for s in (mine, theirs, visitor):
        await repos.sessions.add(s)
    assert (await repos.sessions.list(a, PageRequest(), user_id="u-1")).items == [mine]
    assert (await repos.sessions.list(a, PageRequest(), visitor_id="v-1")).items == [visitor]
    assert await all_pages(lambda p: repos.sessions.list(a, p), limit=2) == [mine, theirs, visitor]


async def test_sessions_list_filters_by_agent_and_status_newest_first(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    billing = [session(a, agent_id="billing", created_at=at(i)) for i in range(3)]
    closed = session(a, agent_id="billing", status=SessionStatus.CLOSED, created_at=at(3))
    tracking = session(a, user_id="u-1", agent_id="tracking", created_at=at(4))
    for s in (*billing, closed, tracking, session(b, agent_id="billing")):
        await repos.sessions.add(s)

    def listing(**filters: object):
        return lambda p: repos.sessions.list(a, p, **filters)  # type: ignore[arg-type]

    assert await all_pages(listing(agent_id="billing"), limit=2) == [*billing, closed]
    assert await all_pages(listing(status=SessionStatus.CLOSED), limit=2) == [closed]
    active_billing = listing(agent_id="billing", status=SessionStatus.ACTIVE, newest_first=True)
    assert await all_pages(active_billing, limit=2) == billing[::-1]
    newest = await all_pages(listing(newest_first=True), limit=2)
    assert newest == [tracking, closed, *billing[::-1]]
    assert await all_pages(listing(user_id="u-1", agent_id="billing"), limit=2) == []
    assert await all_pages(listing(agent_id="nobody"), limit=2) == []


async def test_a_session_of_an_unknown_tenant_is_refused(repos: Repositories) -> None:
    with pytest.raises(ValidationFailed):
        await repos.sessions.add(session("no-such-tenant"))


async def test_messages_list_oldest_first_per_session(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    chat, other = session(a), session(a)
    await repos.sessions.add(chat)
    await repos.sessions.add(other)
    transcript = [
        message(chat, content=f"m{i}", metadata={"i": i}, created_at=at(i // 2)) for i in range(5)
    ]
    for m in reversed(transcript):
        await repos.messages.add(m)
    await repos.messages.add(message(other))
    listed = await all_pages(lambda p: repos.messages.list(a, chat.id, p), limit=2)
    assert listed == sorted(transcript, key=lambda m: (m.created_at, m.id))


async def test_recent_is_the_newest_messages_oldest_first(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    chat, other = session(a), session(a)
    await repos.sessions.add(chat)
    await repos.sessions.add(other)
    transcript = [message(chat, content=f"m{i}", created_at=at(i // 2)) for i in range(7)]
    for m in reversed(transcript):
        await repos.messages.add(m)
    await repos.messages.add(message(other, created_at=at(9)))
    ordered = sorted(transcript, key=lambda m: (m.created_at, m.id))
    assert await repos.messages.recent(a, chat.id, 3) == ordered[-3:]
    assert await repos.messages.recent(a, chat.id, 50) == ordered
    assert await repos.messages.recent(a, chat.id, 0) == []
    assert await repos.messages.recent(b, chat.id, 50) == []  # another tenant sees none


async def test_a_message_needs_a_session_of_its_own_tenant(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    chat = session(a)
    await repos.sessions.add(chat)
    with pytest.raises(NotFound):
        await repos.messages.add(message(replace(chat, tenant_id=b)))
    with pytest.raises(NotFound):
        await repos.messages.add(message(replace(chat, id="no-such-session")))


async def test_finish_settles_an_assistant_message(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, _ = two_tenants
    chat = session(a)
    await repos.sessions.add(chat)
    reply = message(chat, role=ASSISTANT, status=PENDING, content="")
    await repos.messages.add(reply)
    usage = {"usage": {"input_tokens": 12, "output_tokens": 40}, "routing": {"agent": "x"}}
    await repos.messages.finish(
        a, reply.id, status=MessageStatus.COMPLETE, content="Done.", metadata=usage
    )
    [stored] = (await repos.messages.list(a, chat.id, PageRequest())).items
    assert stored == replace(reply, status=MessageStatus.COMPLETE, content="Done.", metadata=usage)


async def test_finish_refuses_user_messages_other_tenants_and_pending(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    chat = session(a)
    await repos.sessions.add(chat)
    question = message(chat)
    reply = message(chat, role=ASSISTANT, status=PENDING, created_at=at(1))
    await repos.messages.add(question)
    await repos.messages.add(reply)
    done = {"status": MessageStatus.COMPLETE, "content": "x", "metadata": {}}
    with pytest.raises(NotFound):
        await repos.messages.finish(a, question.id, **done)
    with pytest.raises(NotFound):
        await repos.messages.finish(b, reply.id, **done)
    with pytest.raises(ValidationFailed):
        await repos.messages.finish(a, reply.id, status=PENDING, content="x", metadata={})
    assert (await repos.messages.list(a, chat.id, PageRequest())).items == [question, reply]


async def test_another_tenant_sees_no_messages_of_a_session(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    chat = session(a)
    await repos.sessions.add(chat)
    await repos.messages.add(message(chat))
    assert (await repos.messages.list(b, chat.id, PageRequest())).items == []


async def test_the_reaper_interrupts_pending_messages_of_every_tenant(
    repos: Repositories, two_tenants: tuple[str, str]
) -> None:
    a, b = two_tenants
    chats = [session(a), session(b)]
    pending = []
    for chat in chats:
        await repos.sessions.add(chat)
        await repos.messages.add(message(chat))
        reply = message(chat, role=ASSISTANT, status=PENDING, created_at=at(1))
        pending.append(reply)
        await repos.messages.add(reply)
    assert await repos.messages.mark_pending_interrupted() == 2
    for chat, reply in zip(chats, pending, strict=True):
        listed = (await repos.messages.list(chat.tenant_id, chat.id, PageRequest())).items
        assert [m.status for m in listed] == [MessageStatus.COMPLETE, MessageStatus.INTERRUPTED]
    assert await repos.messages.mark_pending_interrupted() == 0
