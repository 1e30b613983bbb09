"""Every supported format becomes structural blocks; unusable files are refused with a reason."""

from __future__ import annotations

import pytest
from itl_adapters.knowledge.parsers import FileParser
from itl_core.errors import ValidationFailed
from itl_core.knowledge.model import BlockKind

from tests.support.documents import SAMPLE_FILES, SAMPLE_WORDS, minimal_pdf

parser = FileParser()


@pytest.mark.parametrize("filename", sorted(SAMPLE_FILES))
async def test_each_format_yields_its_text(filename: str) -> None:
    parsed = await parser.parse(filename, SAMPLE_FILES[filename])
    assert SAMPLE_WORDS[filename] in " ".join(b.text for b in parsed.blocks)


async def test_structure_is_kept_headings_lists_and_table_rows_with_their_header() -> None:
    md = await parser.parse("warehouse.md", SAMPLE_FILES["warehouse.md"])
    assert [b.kind for b in md.blocks] == [
        BlockKind.HEADING,
        BlockKind.HEADING,
        BlockKind.PARAGRAPH,
        BlockKind.TABLE_ROW,
    ]
    assert md.title == "Warehouse hours"
    assert md.blocks[-1].text == "Day: Saturday; Hours: 08:00-12:00"
    html = await parser.parse("airfreight.html", SAMPLE_FILES["airfreight.html"])
    assert "ignored" not in " ".join(b.text for b in html.blocks)  # scripts are not knowledge
    assert html.title == "Air freight"
    assert html.blocks[-1].text == "Airport: AMS; Cut-off: 18:00"
    csv = await parser.parse("rates.csv", SAMPLE_FILES["rates.csv"])
    assert csv.blocks[0].text == "Lane: Rotterdam-Lyon; Mode: road; Transit days: 1"
    word = await parser.parse("claims.docx", SAMPLE_FILES["claims.docx"])
    kinds = [b.kind for b in word.blocks]
    assert kinds.count(BlockKind.LIST_ITEM) == 2 and kinds[-1] is BlockKind.TABLE_ROW
    assert word.title == "Claims handbook"


@pytest.mark.parametrize(
    ("filename", "content", "reason"),
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("notes.md", b"text\x01\x02\x03\x04\x05\x06 more", "binary"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", "PDF"),
        ("truncated.pdf", minimal_pdf([["cut short"]])[:120], "PDF"),
        ("scan.pdf", minimal_pdf([[]]), "no text layer"),
        ("fake.docx", b"PK\x03\x04 not really a zip", ".docx"),
    ],
)
async def test_unusable_files_are_refused_with_the_reason(
    filename: str, content: bytes, reason: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        await parser.parse(filename, content)
    assert reason in refused.value.message


async def test_legacy_encodings_are_read_and_only_known_types_are_supported() -> None:
    parsed = await parser.parse("old.csv", "Stadt,Preis\nKöln,10 €\n".encode("cp1252"))
    assert parsed.blocks[0].text == "Stadt: Köln; Preis: 10 €"
    assert parser.supports("REPORT.PDF") and not parser.supports("archive.zip")
    assert not parser.supports("no-extension")
