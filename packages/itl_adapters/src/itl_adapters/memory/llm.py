"""A scripted ``ChatModel`` for tests: replays prepared answers, step by step.

Each call to ``stream``/``complete`` plays the next *step* of the script. A step is a sequence
of items, or a function of the ``ChatRequest`` returning one (to inspect the request or the
store at the moment the model is called). Items are ``StreamEvent``s (yielded as they are), a
``Pause`` (sleeps, to simulate a slow model), or an exception (raised right there: a failure
before the first token or in the middle of a stream). ``then`` is the step played once the
script is used up (e.g. "always call a tool"); without it, an extra call fails the test.

``text_step`` and ``tool_step`` build the common steps. ``StaticModelResolver`` (re-exported)
hands the scripted model to every agent.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from itl_core.llm.model import (
    ChatRequest,
    ChatResponse,
    Finished,
    FinishReason,
    StreamEvent,
    TextDelta,
    ToolCallComplete,
    ToolCallDelta,
    Usage,
    collect,
)

from itl_adapters.llm.static import StaticModelResolver

__all__ = ["Pause", "ScriptedChatModel", "StaticModelResolver", "text_step", "tool_step"]


@dataclass(frozen=True, slots=True)
class Pause:
    seconds: float


Item = StreamEvent | Pause | BaseException
Step = Sequence[Item] | Callable[[ChatRequest], Sequence[Item]]


def text_step(text: str, *, input_tokens: int = 10, output_tokens: int | None = None) -> list[Item]:
    """A plain answer, streamed one word (with its trailing space) per event."""
    words = [w + " " for w in text.split(" ")]
    words[-1] = words[-1][:-1]
    out = len(text.split()) if output_tokens is None else output_tokens
    return [
        *(TextDelta(text=w) for w in words if w),
        Usage(input_tokens=input_tokens, output_tokens=out),
        Finished(reason=FinishReason.STOP),
    ]


def tool_step(*calls: tuple[str, Mapping[str, Any]], first_id: int = 1) -> list[Item]:
    """A step asking for tools: ``(name, arguments)`` pairs, ids ``call-<n>`` from ``first_id``."""
    items: list[Item] = []
    for index, (name, arguments) in enumerate(calls):
        call_id = f"call-{first_id + index}"
        items.append(
            ToolCallDelta(
                index=index, id=call_id, name=name, arguments_fragment=json.dumps(arguments)
            )
        )
        items.append(ToolCallComplete(id=call_id, name=name, arguments=dict(arguments)))
    items += [Usage(input_tokens=10, output_tokens=5), Finished(reason=FinishReason.TOOL_CALLS)]
    return items


class ScriptedChatModel:
    """Plays its script; ``requests`` records every request it was given, in order."""

    def __init__(self, *steps: Step, then: Step | None = None) -> None:
        self._steps = list(steps)
        self._then = then
        self.requests: list[ChatRequest] = []

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        self.requests.append(request)
        if self._steps:
            step = self._steps.pop(0)
        elif self._then is not None:
            step = self._then
        else:
            raise AssertionError(f"the script has no step for call {len(self.requests)}")
        items = step(request) if callable(step) else step
        for item in items:
            if isinstance(item, Pause):
                await asyncio.sleep(item.seconds)
            elif isinstance(item, BaseException):
                raise item
            else:
                yield item

    async def complete(self, request: ChatRequest) -> ChatResponse:
        return await collect(self.stream(request))
