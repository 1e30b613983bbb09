"""A deterministic ``ChatModel`` and ``Embedder`` with no network, so the product runs keyless.

``OfflineChatModel`` answers one step of a turn (the messages after the last user message):

1. If the step has context, it says plainly that it is the offline assistant and lists what it
   found: the tool results of this turn (without the ``<tool_output>`` tags the chat core
   wraps them in; a JSON result as short ``Label: value`` lines a customer can read, see
   ``_json_lines``), and the text of any system message after the first (where retrieved
   passages are given to a model), each clipped to ``_CLIP`` characters. It is plain text.
2. Else, if the request offers tools, it calls the tool that best matches the user message:
   the most words (three letters or more) shared between the message and the tool's name and
   description, the first tool on a tie, none if nothing is shared. The arguments fill the
   tool's first string parameter (a required one if any) with the user message, or, when that
   parameter has a JSON-schema ``pattern``, with the first part of the message matching it
   (anchors ignored while searching), so "where is ITL-123456?" passes ``ITL-123456``.
3. Else it says that no language model is connected, so it cannot compose an answer.

Text streams word by word; usage counts words, not tokens. The same request always gives the
same events.

``OfflineEmbedder`` is feature hashing: word unigrams and bigrams and character trigrams of
each word (English function words dropped), hashed with a sign into ``dimensions`` buckets
(BLAKE2b: stable across processes, unlike ``hash``) and L2-normalised. Texts sharing words or
word stems score higher cosine than unrelated ones, which is enough for routing and retrieval
without a model download. An empty text embeds as the zero vector. Without ``char_trigrams``
only whole words and word pairs count: sharper on exact terms, blind to shared stems and typos.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from itl_core.llm.model import (
    ChatMessage,
    ChatRequest,
    ChatResponse,
    Finished,
    FinishReason,
    Role,
    StreamEvent,
    TextDelta,
    ToolCallComplete,
    ToolCallDelta,
    ToolDefinition,
    Usage,
    collect,
)

_CLIP = 600
_CACHE_ENTRIES = 4096
# Function words carry no topic; left in, "how do I ..." questions would all look alike.
_STOP_WORDS = frozenset(
    "a an and are as at be but by can could do does for from had has have how i if in is it "
    "its me my no not of on or our so that the their them then there these they this to us "
    "was we were what when where which who why will with would you your".split()
)
_WORD = re.compile(r"\w+")
_SPEAKING = re.compile(r"\S+\s*")
# itl_core.chat.runner.delimit's wrapping of a tool result.
_DELIMITED = re.compile(r'\s*<tool_output tool="[^"]*">\n?(.*?)\n?</tool_output>\s*', re.DOTALL)
# A pattern's leading ``^`` / trailing ``$`` (not an escaped ``\$``), dropped to search inside.
_ANCHORS = re.compile(r"^\^|(?<!\\)\$$")
_INTRO = (
    "I'm the offline assistant: no language model is connected, so I can only pass on what I "
    "found. Here is what I found:"
)
_NOTHING = (
    "I'm the offline assistant: no language model is connected, so I can't compose an answer "
    "to that. An administrator can connect a model provider to this agent."
)


class OfflineChatModel:
    """Composes answers from the context in the request; never fails, never waits."""

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        step = _current_step(request.messages)
        context = _context(request.messages, step)
        question = step[0].content if step and step[0].role is Role.USER else ""
        tool = None if context else _pick_tool(request.tools, question)
        if tool is not None:
            call_id = f"offline-call-{sum(len(m.tool_calls) for m in request.messages)}"
            arguments = _arguments_for(tool, question)
            yield ToolCallDelta(
                index=0, id=call_id, name=tool.name, arguments_fragment=json.dumps(arguments)
            )
            yield ToolCallComplete(id=call_id, name=tool.name, arguments=arguments)
            yield _usage(request.messages, tool.name)
            yield Finished(reason=FinishReason.TOOL_CALLS)
            return
        text = _INTRO + "".join(f"\n\n- {item}" for item in context) if context else _NOTHING
        for word in _SPEAKING.findall(text):
            yield TextDelta(text=word)
        yield _usage(request.messages, text)
        yield Finished(reason=FinishReason.STOP)

    async def complete(self, request: ChatRequest) -> ChatResponse:
        return await collect(self.stream(request))


def _current_step(messages: Sequence[ChatMessage]) -> Sequence[ChatMessage]:
    """The last user message and everything after it (the turn the model is answering)."""
    for index in range(len(messages) - 1, -1, -1):
        if messages[index].role is Role.USER:
            return messages[index:]
    return ()


def _context(messages: Sequence[ChatMessage], step: Sequence[ChatMessage]) -> list[str]:
    names = {call.id: call.name for m in messages for call in m.tool_calls}
    systems = [m for m in messages if m.role is Role.SYSTEM][1:]
    found = [_clip(m.content) for m in systems if m.content.strip()]
    for message in step:
        result = message.tool_result
        if result is None:
            continue
        name = names.get(result.tool_call_id, "a tool")
        content = _undelimited(result.content)
        lines = _json_lines(content)
        if lines:
            outcome = " failed" if result.is_error else ""
            found.append(f"{name}{outcome}:" + "".join(f"\n  {line}" for line in lines))
        else:
            outcome = "failed: " if result.is_error else ""
            found.append(f"{name} {outcome}{_clip(content)}".strip())
    return found


def _undelimited(content: str) -> str:
    """A tool result without the chat core's ``<tool_output tool="...">`` wrapping (the tags
    are for a real model; the offline model quotes results to a person)."""
    match = _DELIMITED.fullmatch(content)
    return match.group(1) if match else content


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _CLIP else text[: _CLIP - 1].rstrip() + "…"


# Rendering a JSON tool result for a person: ``Label: value`` lines, bounded.
_MAX_LINES = 12
_MAX_ITEMS = 3  # of a list of objects: its most recent (or first) few
_MAX_VALUE = 120
_ACRONYMS = frozenset("api http eta etd id iso po sku url vat eori hs awb bol imo".split())
_IDENTIFIER = re.compile(r"[a-z]+(?:_[a-z]+)+")  # a machine word such as ``in_transit``
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _json_lines(content: str) -> list[str] | None:
    """A JSON object or array as plain ``Label: value`` lines; None for any other content.

    An HTTP envelope ``{"status": ..., "result": ...}`` shows its result (and its status only
    when it is an error); nested objects flatten into labels ("Origin city"); a list of objects
    shows its few most recent entries (by their date, when each has one) as ``a — b — c``
    lines. At most ``_MAX_LINES`` lines of at most about ``_MAX_VALUE`` characters each.
    """
    stripped = content.strip()
    if not stripped.startswith(("{", "[")):
        return None
    try:
        document = json.loads(stripped)
    except ValueError:
        return None
    lines: list[str] = []
    if isinstance(document, dict) and set(document) == {"status", "result"}:
        status, document = document["status"], document["result"]
        if not (isinstance(status, int) and status < 400):
            lines.append(f"HTTP status: {_scalar(status)}")
    lines += _lines("", document)
    if len(lines) > _MAX_LINES:
        lines = [*lines[: _MAX_LINES - 1], f"… and {len(lines) - _MAX_LINES + 1} more lines"]
    return lines


def _lines(label: str, value: Any, depth: int = 0) -> list[str]:
    if isinstance(value, dict):
        if depth >= 3:
            return [f"{label}: {_compact(value)}"] if label else []
        found: list[str] = []
        for key, item in value.items():
            nested = f"{label} {_label(str(key), sentence=False)}" if label else _label(str(key))
            found += _lines(nested, item, depth + 1)
        return found
    if isinstance(value, list):
        return _list_lines(label, value)
    text = _scalar(value)
    if not text:
        return []
    return [f"{label}: {text}"] if label else [text]


def _list_lines(label: str, items: list[Any]) -> list[str]:
    entries = [item for item in items if item not in (None, "", [], {})]
    if not entries:
        return []
    if not all(isinstance(item, dict) for item in entries):
        joined = ", ".join(_compact(item) for item in entries)
        return [f"{label}: {_clipped(joined)}" if label else _clipped(joined)]
    dated = _date_key(entries)
    heading = label or "Entries"
    if dated is not None:
        entries = sorted(entries, key=lambda item: str(item[dated]), reverse=True)
        heading += " (most recent first)"
    shown = [f"  {_compact(item)}" for item in entries[:_MAX_ITEMS]]
    if len(entries) > _MAX_ITEMS:
        shown.append(f"  … and {len(entries) - _MAX_ITEMS} more")
    return [f"{heading}:", *shown]


def _date_key(entries: list[dict[str, Any]]) -> str | None:
    """The first key whose value is an ISO date in every entry, if any."""
    for key in entries[0]:
        if all(isinstance(e.get(key), str) and _DATE.match(e[key]) for e in entries):
            return key
    return None


def _compact(value: Any) -> str:
    """A value on one short line: an object's scalar values joined by dashes."""
    if isinstance(value, dict):
        parts = [_compact(item) for item in value.values()]
        return _clipped(" — ".join(part for part in parts if part))
    if isinstance(value, list):
        return _clipped(", ".join(_compact(item) for item in value))
    return _scalar(value)


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value).strip()
    if _IDENTIFIER.fullmatch(text):
        text = text.replace("_", " ")
    return _clipped(" ".join(text.split()))


def _clipped(text: str) -> str:
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 1].rstrip() + "…"


def _label(key: str, *, sentence: bool = True) -> str:
    """``estimated_arrival`` -> "Estimated arrival", ``eta`` -> "ETA", ``vatNumber`` -> "VAT
    number"; with ``sentence`` false, not capitalised (it continues a parent's label)."""
    words = _CAMEL.sub(" ", key).replace("_", " ").replace("-", " ").split()
    if not words:
        return key
    text = " ".join(w.upper() if w.lower() in _ACRONYMS else w.lower() for w in words)
    return text[:1].upper() + text[1:] if sentence else text


def _pick_tool(tools: Sequence[ToolDefinition], question: str) -> ToolDefinition | None:
    asked = _significant_words(question)
    best, best_score = None, 0
    for tool in tools:
        offered = _significant_words(f"{tool.name.replace('_', ' ')} {tool.description}")
        score = len(asked & offered)
        if score > best_score:
            best, best_score = tool, score
    return best


def _significant_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower().replace("_", " ")) if len(w) >= 3}


def _arguments_for(tool: ToolDefinition, question: str) -> dict[str, Any]:
    properties: Mapping[str, Any] = tool.parameters.get("properties") or {}
    required = tuple(tool.parameters.get("required") or ())
    strings = [
        name
        for name, schema in properties.items()
        if isinstance(schema, Mapping) and schema.get("type") == "string"
    ]
    strings.sort(key=lambda name: name not in required)  # stable: required ones first
    if not strings:
        return {}
    name = strings[0]
    pattern = properties[name].get("pattern")
    found = _first_match(pattern, question) if isinstance(pattern, str) else None
    return {name: question if found is None else found}


def _first_match(pattern: str, text: str) -> str | None:
    """The first substring of ``text`` that the whole ``pattern`` accepts, or None."""
    try:
        inner = re.compile(_ANCHORS.sub("", pattern))
        whole = re.compile(pattern)
    except re.error:  # a tenant's schema; a bad pattern just means no extraction
        return None
    for match in inner.finditer(text):
        if match.group() and whole.fullmatch(match.group()):
            return match.group()
    return None


def _usage(messages: Sequence[ChatMessage], output: str) -> Usage:
    words_in = sum(len(m.content.split()) for m in messages)
    return Usage(input_tokens=words_in, output_tokens=len(output.split()))


class OfflineEmbedder:
    """Deterministic feature-hashing embedder; see the module docstring."""

    _UNIGRAM, _BIGRAM, _TRIGRAM = 1.0, 0.7, 0.5

    def __init__(self, dimensions: int = 384, *, char_trigrams: bool = True) -> None:
        if dimensions < 1:
            raise ValueError("dimensions must be positive")
        self._dimensions, self._char_trigrams = dimensions, char_trigrams
        # Hashing is pure Python (~2 ms per passage); the same texts come back often (seeded
        # knowledge, agent descriptions, repeated questions), so recent results are kept.
        self._cache: dict[str, list[float]] = {}

    @property
    def dimensions(self) -> int:
        return self._dimensions

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return [list(self._cached(text)) for text in texts]

    def _cached(self, text: str) -> list[float]:
        vector = self._cache.get(text)
        if vector is None:
            if len(self._cache) >= _CACHE_ENTRIES:
                del self._cache[next(iter(self._cache))]  # the oldest entry
            vector = self._cache[text] = self._embed_one(text)
        return vector

    def _embed_one(self, text: str) -> list[float]:
        vector = [0.0] * self._dimensions
        words = [w for w in _WORD.findall(text.lower()) if w not in _STOP_WORDS]
        for word in words:
            self._add(vector, f"w:{word}", self._UNIGRAM)
            if not self._char_trigrams:
                continue
            padded = f"#{word}#"
            for start in range(len(padded) - 2):
                self._add(vector, f"c:{padded[start : start + 3]}", self._TRIGRAM)
        for first, second in itertools.pairwise(words):
            self._add(vector, f"b:{first} {second}", self._BIGRAM)
        norm = math.sqrt(sum(x * x for x in vector))
        return [x / norm for x in vector] if norm else vector

    def _add(self, vector: list[float], feature: str, weight: float) -> None:
        digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
        value = int.from_bytes(digest, "big")
        # The sign bit keeps colliding features from only ever adding up (signed hashing).
        vector[(value >> 1) % self._dimensions] += weight if value & 1 else -weight
