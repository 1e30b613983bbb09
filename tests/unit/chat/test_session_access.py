"""Who may chat in, read and close which session: another tenant's or owner's is NotFound."""

from __future__ import annotations

import pytest
from itl_adapters.memory.llm import text_step
from itl_core.access import Principal, Role
from itl_core.chat import Actor
from itl_core.errors import Conflict, NotFound, ValidationFailed
from itl_core.pagination import PageRequest
from itl_core.sessions.model import Channel, MessageRole, SessionStatus

from tests.support.platform import Platform
from tests.unit.chat.conftest import Chat

PAGE = PageRequest()


@pytest.fixture
async def session_id(chat: Chat, member: Actor) -> str:
    await chat.agent()
    chat.model(then=text_step("answer"))
    return (await chat.turn(member, "Hello"))[0].session_id


@pytest.fixture
async def colleague(platform: Platform) -> Actor:
    user = await platform.user("acme", Role.MEMBER, email="colleague@acme.test")
    return Actor.from_principal(user.principal(), tenant_id="acme")


@pytest.fixture
async def stranger(globex_admin: Principal) -> Actor:
    return Actor.from_principal(globex_admin, tenant_id="globex")


async def test_a_path_tenant_other_than_the_tokens_is_not_found(
    acme_member: Principal, root: Principal
):
    with pytest.raises(NotFound):
        Actor.from_principal(acme_member, tenant_id="globex")
    with pytest.raises(NotFound):
        Actor.from_principal(root, tenant_id="acme")


async def test_a_turn_continues_the_owners_session(chat: Chat, member: Actor, session_id: str):
    events = await chat.turn(member, "And again", session_id)

    assert events[0].session_id == session_id
    assert len([m for m in chat.store.messages.values() if m.session_id == session_id]) == 4


async def test_another_owners_or_tenants_session_is_not_found_for_a_turn(
    chat: Chat, session_id: str, colleague: Actor, stranger: Actor
):
    for actor in (colleague, stranger):
        with pytest.raises(NotFound):
            await chat.turn(actor, "Let me in", session_id)
    assert len([m for m in chat.store.messages.values() if m.session_id == session_id]) == 2


async def test_a_closed_session_takes_no_more_turns(chat: Chat, member: Actor, session_id: str):
    close = await chat.use("close_session")
    closed = await close.execute(member, session_id)

    assert closed.status is SessionStatus.CLOSED
    with pytest.raises(Conflict):
        await chat.turn(member, "Still there?", session_id)
    assert (await close.execute(member, session_id)).status is SessionStatus.CLOSED


@pytest.mark.parametrize("message", ["", "   \n", "x" * 8_001])
async def test_a_blank_or_oversized_message_is_refused_before_anything_is_stored(
    chat: Chat, member: Actor, message: str
):
    await chat.agent()
    with pytest.raises(ValidationFailed):
        await chat.turn(member, message)
    assert chat.store.messages == {} and chat.store.sessions == {}


async def test_a_tenant_without_active_agents_cannot_chat(chat: Chat, member: Actor):
    with pytest.raises(Conflict):
        await chat.turn(member, "Anyone?")
    assert chat.store.messages == {}


async def test_members_list_their_own_sessions_and_staff_all_of_the_tenants(
    chat: Chat,
    member: Actor,
    session_id: str,
    colleague: Actor,
    acme_operator: Principal,
    stranger: Actor,
):
    other = (await chat.turn(colleague, "Mine"))[0].session_id
    list_sessions = await chat.use("list_sessions")
    operator = Actor.from_principal(acme_operator)

    assert [s.id for s in (await list_sessions.execute(member, PAGE)).items] == [session_id]
    assert [s.id for s in (await list_sessions.execute(colleague, PAGE)).items] == [other]
    assert {s.id for s in (await list_sessions.execute(operator, PAGE)).items} == {
        session_id,
        other,
    }
    assert (await list_sessions.execute(stranger, PAGE)).items == []


async def test_reading_and_closing_follow_the_same_rules(
    chat: Chat,
    member: Actor,
    session_id: str,
    colleague: Actor,
    acme_operator: Principal,
    stranger: Actor,
):
    get, messages, close = [
        await chat.use(n) for n in ("get_session", "list_messages", "close_session")
    ]
    for actor in (colleague, stranger):
        with pytest.raises(NotFound):
            await get.execute(actor, session_id)
        with pytest.raises(NotFound):
            await messages.execute(actor, session_id, PAGE)
        with pytest.raises(NotFound):
            await close.execute(actor, session_id)
    operator = Actor.from_principal(acme_operator)
    assert (await get.execute(operator, session_id)).channel is Channel.WEB
    transcript = (await messages.execute(member, session_id, PAGE)).items
    assert [m.role for m in transcript] == [MessageRole.USER, MessageRole.ASSISTANT]
    assert (await close.execute(operator, session_id)).status is SessionStatus.CLOSED


async def test_visitors_chat_in_and_read_only_their_own_widget_sessions(chat: Chat):
    await chat.agent()
    chat.model(then=text_step("hi"))
    visitor, other = Actor.visitor("acme", "v-1"), Actor.visitor("acme", "v-2")

    session_id = (await chat.turn(visitor, "Hello"))[0].session_id

    assert chat.store.sessions[session_id].channel is Channel.WIDGET
    assert [
        s.id for s in (await (await chat.use("list_sessions")).execute(visitor, PAGE)).items
    ] == [session_id]
    with pytest.raises(NotFound):
        await (await chat.use("list_messages")).execute(other, session_id, PAGE)
    with pytest.raises(NotFound):
        await chat.turn(other, "Hijack", session_id)
