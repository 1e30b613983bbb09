"""The ``handoff`` tool: the model asks for a human, and the session waits for one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from itl_core.llm.model import ToolDefinition
from itl_core.tools.model import ToolSpec
from itl_core.tools.ports import ToolContext, ToolOutcome

DEFAULT_DESCRIPTION = (
    "Hand the conversation over to a human colleague when the customer asks to talk to a "
    "person, or when you cannot help."
)
HANDED_OVER = (
    "The conversation has been handed over to a human colleague, who will reply in this chat. "
    "Tell the customer so."
)


class HandoffTool:
    """Marks the session as waiting for a human (``ToolOutcome.handoff``); never fails."""

    def __init__(self, name: str = "handoff", description: str = DEFAULT_DESCRIPTION) -> None:
        self._definition = ToolDefinition(
            name=name,
            description=description,
            parameters={
                "type": "object",
                "properties": {
                    "reason": {"type": "string", "description": "Why a human is needed."}
                },
            },
        )

    @classmethod
    def from_spec(cls, spec: ToolSpec) -> HandoffTool:
        return cls(name=spec.name, description=spec.description or DEFAULT_DESCRIPTION)

    @property
    def definition(self) -> ToolDefinition:
        return self._definition

    async def run(self, arguments: Mapping[str, Any], context: ToolContext) -> ToolOutcome:
        reason = arguments.get("reason")
        data = {"reason": reason} if isinstance(reason, str) else {}
        return ToolOutcome(content=HANDED_OVER, handoff=True, data=data)
