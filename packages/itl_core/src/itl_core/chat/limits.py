"""The ceilings of one chat turn."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class TurnLimits:
    """Bounds every turn; reaching one ends the turn with ``metadata.stopped`` set, not an error.

    - ``max_tool_calls``: tool runs per turn (calls beyond it are not run);
    - ``max_output_tokens``: model output per turn, all steps together (estimated at four
      characters a token when a provider reports no usage);
    - ``wall_time``: seconds from the first model call to the end of the turn;
    - ``tool_timeout``: seconds one tool may run before it counts as failed;
    - ``history_messages`` / ``history_chars``: the window of earlier messages sent to the model
      (the newest ones that fit both bounds; the current message always goes).
    - ``max_message_chars``: the longest user message accepted.
    """

    max_tool_calls: int = 5
    max_output_tokens: int = 4_096
    wall_time: float = 60.0
    tool_timeout: float = 10.0
    history_messages: int = 20
    history_chars: int = 24_000
    max_message_chars: int = 8_000

    def __post_init__(self) -> None:
        if min(self.max_tool_calls, self.history_messages) < 0:
            raise ValueError("counts must not be negative")
        if min(self.max_output_tokens, self.max_message_chars) < 1:
            raise ValueError("token and message bounds must be positive")
        if min(self.wall_time, self.tool_timeout) <= 0:
            raise ValueError("times must be positive")


class Stopped:
    """Values of ``metadata.stopped``: which ceiling ended a turn early."""

    MAX_TOOL_CALLS = "max_tool_calls"
    MAX_TOKENS = "max_tokens"
    WALL_TIME = "wall_time"
