"""Structure-following chunking: blocks in, retrievable passages out (pure, deterministic).

Rules, in order of precedence:

1. A heading closes the current chunk and sets the heading path (its level replaces that level
   and everything below it); chunks never span two sections.
2. Paragraphs, list items and table rows are packed whole into a chunk while the chunk stays
   within ``max_tokens``; a unit that alone exceeds the bound is split at sentence ends, then at
   word boundaries.
3. A chunk that continues the previous one inside the same section starts with the last
   ``overlap_tokens`` words of it, so a fact near a boundary is found from either side.

Tokens are approximated by whitespace-separated words (a "token-ish" bound: real tokenisers
give about 1.3 tokens per English word, so the default 180 words stays under 256 tokens).
Each passage is prefixed by nothing; the heading path travels separately for citations, and
``indexed_text`` joins both for embedding and keyword search.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from itl_core.knowledge.model import Block, BlockKind

DEFAULT_MAX_TOKENS = 180
DEFAULT_OVERLAP_TOKENS = 24
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


@dataclass(frozen=True, slots=True, kw_only=True)
class ChunkDraft:
    """A passage before it has ids and an embedding."""

    position: int
    text: str
    heading_path: tuple[str, ...] = ()

    @property
    def indexed_text(self) -> str:
        """What is embedded and searched: the section's headings give the passage its topic."""
        return " / ".join((*self.heading_path, self.text)) if self.heading_path else self.text


def count_tokens(text: str) -> int:
    return len(text.split())


def chunk_blocks(
    blocks: Iterable[Block],
    *,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS,
) -> list[ChunkDraft]:
    """Passages in reading order with positions 0, 1, ...; empty blocks are dropped."""
    if max_tokens < 1 or not 0 <= overlap_tokens < max_tokens:
        raise ValueError("need max_tokens >= 1 and 0 <= overlap_tokens < max_tokens")
    packer = _Packer(max_tokens, overlap_tokens)
    path: list[tuple[int, str]] = []
    for block in blocks:
        text = " ".join(block.text.split())
        if not text:
            continue
        if block.kind is BlockKind.HEADING:
            packer.close_section()
            level = max(1, block.level)
            path = [(lvl, t) for lvl, t in path if lvl < level] + [(level, text)]
            packer.heading_path = tuple(t for _, t in path)
            continue
        for piece in _fit(text, max_tokens - overlap_tokens):
            packer.add(piece)
    packer.close_section()
    return packer.drafts


class _Packer:
    def __init__(self, max_tokens: int, overlap_tokens: int) -> None:
        self.max_tokens, self.overlap_tokens = max_tokens, overlap_tokens
        self.heading_path: tuple[str, ...] = ()
        self.drafts: list[ChunkDraft] = []
        self._units: list[str] = []
        self._tokens = 0
        self._has_new = False  # the open chunk holds more than carried-over overlap

    def add(self, unit: str) -> None:
        size = count_tokens(unit)
        if self._has_new and self._tokens + size > self.max_tokens:
            self._emit()
            tail = (
                self.drafts[-1].text.split()[-self.overlap_tokens :] if self.overlap_tokens else []
            )
            self._units = [" ".join(tail)] if tail else []
            self._tokens = len(tail)
        self._units.append(unit)
        self._tokens += size
        self._has_new = True

    def close_section(self) -> None:
        if self._has_new:
            self._emit()
        self._units, self._tokens, self._has_new = [], 0, False

    def _emit(self) -> None:
        self.drafts.append(
            ChunkDraft(
                position=len(self.drafts),
                text="\n".join(self._units),
                heading_path=self.heading_path,
            )
        )
        self._has_new = False


def _fit(text: str, limit: int) -> Iterator[str]:
    """``text`` whole if it fits, else sentence-sized (or, failing that, word-sized) pieces."""
    if count_tokens(text) <= limit:
        yield text
        return
    piece: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        words = sentence.split()
        if piece and len(piece) + len(words) > limit:
            yield " ".join(piece)
            piece = []
        while len(words) > limit:
            yield " ".join(words[:limit])
            words = words[limit:]
        piece.extend(words)
    if piece:
        yield " ".join(piece)
