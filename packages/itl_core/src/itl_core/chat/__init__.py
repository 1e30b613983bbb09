"""The chat: one turn (``ChatTurn``), its events, and the session use cases.

Typical use (an HTTP edge or an embedding program)::

    actor = Actor.from_principal(principal, tenant_id=path_tenant)
    async for event in chat_turn.execute(ChatTurnRequest(actor=actor, message="Hi")):
        ...  # SessionStarted, Routed, Token..., then Done or Failed

or ``result = await collect_result(chat_turn.execute(request))`` for a whole JSON answer.
"""

from itl_core.chat.actor import Actor
from itl_core.chat.events import (
    ChatEvent,
    ChatResult,
    Cited,
    Done,
    Failed,
    Routed,
    SessionStarted,
    Token,
    ToolCalled,
    ToolReturned,
    collect_result,
)
from itl_core.chat.limits import Stopped, TurnLimits
from itl_core.chat.pricing import cost_usd
from itl_core.chat.runner import AgentRun
from itl_core.chat.sessions import CloseSession, GetSession, ListMessages, ListSessions
from itl_core.chat.turn import ChatTurn, ChatTurnRequest

__all__ = [
    "Actor",
    "AgentRun",
    "ChatEvent",
    "ChatResult",
    "ChatTurn",
    "ChatTurnRequest",
    "Cited",
    "CloseSession",
    "Done",
    "Failed",
    "GetSession",
    "ListMessages",
    "ListSessions",
    "Routed",
    "SessionStarted",
    "Stopped",
    "Token",
    "ToolCalled",
    "ToolReturned",
    "TurnLimits",
    "collect_result",
    "cost_usd",
]
