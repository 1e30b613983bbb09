"""Chunking follows the document's structure and bounds passage size."""

from __future__ import annotations

import itertools

from itl_core.knowledge.chunking import chunk_blocks, count_tokens
from itl_core.knowledge.model import Block, BlockKind

H, P, LI, ROW = BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.TABLE_ROW


def block(kind: BlockKind, text: str, level: int = 0) -> Block:
    return Block(kind=kind, text=text, level=level)


def test_a_heading_starts_a_new_chunk_and_sets_the_heading_path() -> None:
    chunks = chunk_blocks(
        [
            block(H, "Guide", 1),
            block(P, "Intro."),
            block(H, "Pallets", 2),
            block(P, "Euro pallets."),
            block(H, "Height", 3),
            block(LI, "1.80 m by road"),
            block(H, "Containers", 2),
            block(P, "Weight evenly."),
        ]
    )
    assert [(c.position, c.heading_path, c.text) for c in chunks] == [
        (0, ("Guide",), "Intro."),
        (1, ("Guide", "Pallets"), "Euro pallets."),
        (2, ("Guide", "Pallets", "Height"), "1.80 m by road"),
        (3, ("Guide", "Containers"), "Weight evenly."),
    ]
    assert chunks[2].indexed_text == "Guide / Pallets / Height / 1.80 m by road"


def test_small_units_of_one_section_are_packed_together_whole() -> None:
    rows = [block(ROW, f"Lane: L{i}; Days: {i}") for i in range(5)]
    [chunk] = chunk_blocks([block(H, "Rates", 1), *rows])
    assert chunk.text.split("\n") == [r.text for r in rows]


def test_chunks_stay_within_the_bound_and_overlap_their_predecessor() -> None:
    paragraphs = [block(P, " ".join(f"w{p}_{i}" for i in range(30))) for p in range(20)]
    chunks = chunk_blocks(paragraphs, max_tokens=100, overlap_tokens=10)
    assert len(chunks) > 5
    assert all(count_tokens(c.text) <= 100 for c in chunks)
    for before, after in itertools.pairwise(chunks):
        assert after.text.split()[:10] == before.text.split()[-10:]
    words = {w for c in chunks for w in c.text.split()}
    assert words == {w for p in paragraphs for w in p.text.split()}  # nothing lost


def test_an_oversized_paragraph_is_split_at_sentences_then_words() -> None:
    sentence = " ".join(["word"] * 40) + "."
    chunks = chunk_blocks([block(P, " ".join([sentence] * 6)), block(P, "x " * 500)], max_tokens=60)
    assert all(count_tokens(c.text) <= 60 for c in chunks)
    assert sum(c.text.count("x") for c in chunks) >= 500


def test_empty_blocks_and_empty_documents_give_no_chunks() -> None:
    assert chunk_blocks([]) == []
    assert chunk_blocks([block(P, "   "), block(H, "Only a heading", 1)]) == []
