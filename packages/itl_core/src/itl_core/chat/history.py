"""The window of earlier messages a model sees: the newest that fit the limits, oldest first."""

from __future__ import annotations

from collections.abc import Sequence

from itl_core.chat.limits import TurnLimits
from itl_core.llm.model import ChatMessage
from itl_core.sessions.model import Message, MessageRole, MessageStatus

# Failed and in-flight answers are not something the assistant said.
_SAID = (MessageStatus.COMPLETE, MessageStatus.INTERRUPTED)


def window(earlier: Sequence[Message], limits: TurnLimits) -> list[ChatMessage]:
    """User and settled assistant messages of ``earlier`` (oldest first), newest kept first
    until ``history_messages`` or ``history_chars`` would be exceeded."""
    kept: list[ChatMessage] = []
    chars = 0
    for message in reversed(earlier):
        if len(kept) >= limits.history_messages:
            break
        if message.role is MessageRole.USER:
            chat = ChatMessage.user(message.content)
        elif message.role is MessageRole.ASSISTANT and message.status in _SAID and message.content:
            chat = ChatMessage.assistant(message.content)
        else:
            continue
        chars += len(message.content)
        if chars > limits.history_chars:
            break
        kept.append(chat)
    return kept[::-1]
