"""PDF (pypdf) and Word .docx (python-docx) to blocks.

Both libraries raise a zoo of exceptions on damaged files (their own, ``zipfile``, ``KeyError``,
``ValueError`` ...); any of them while reading means the file is unusable, so each is
translated into ValidationFailed naming the format. Encrypted PDFs are read only when they
open with the empty password (as viewers do); scanned PDFs have no text layer and say so.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from itl_core.errors import ValidationFailed
from itl_core.knowledge.model import Block, BlockKind, ParsedDocument

from itl_adapters.knowledge.text import table_row

_BLANK_LINES = re.compile(r"\n\s*\n")
_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)


def parse_pdf(content: bytes) -> ParsedDocument:
    from pypdf import PdfReader  # imported on use: only PDF uploads pay for it

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationFailed.single("file", "is an encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or None
    except ValidationFailed:
        raise
    except Exception as e:
        raise ValidationFailed.single("file", f"is not a readable PDF ({type(e).__name__})") from e
    blocks = [
        Block(kind=BlockKind.PARAGRAPH, text=paragraph)
        for text in pages
        for paragraph in _BLANK_LINES.split(text)
        if paragraph.strip()
    ]
    if not blocks:
        raise ValidationFailed.single("file", "has no text layer (a scanned PDF needs OCR first)")
    return ParsedDocument(blocks=tuple(blocks), title=str(title).strip() if title else None)


def parse_docx(content: bytes) -> ParsedDocument:
    import docx  # imported on use: only .docx uploads pay for it

    try:
        document = docx.Document(io.BytesIO(content))
        blocks = list(_docx_blocks(document))
        title = document.core_properties.title or None
    except Exception as e:
        raise ValidationFailed.single(
            "file", f"is not a readable .docx ({type(e).__name__})"
        ) from e
    return ParsedDocument(blocks=tuple(blocks), title=title)


def _docx_blocks(document: object) -> Iterator[Block]:
    from docx.table import Table

    for item in document.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(item, Table):
            rows = [[cell.text.strip() for cell in row.cells] for row in item.rows]
            if rows:
                header, *records = rows
                for record in records:
                    yield Block(kind=BlockKind.TABLE_ROW, text=table_row(header, record))
            continue
        text = item.text.strip()
        if not text:
            continue
        style = (item.style.name if item.style is not None else "") or ""
        if style.lower() == "title":
            yield Block(kind=BlockKind.HEADING, text=text, level=1)
        elif heading := _HEADING_STYLE.match(style):
            yield Block(kind=BlockKind.HEADING, text=text, level=int(heading[1]))
        elif style.lower().startswith("list"):
            yield Block(kind=BlockKind.LIST_ITEM, text=text)
        else:
            yield Block(kind=BlockKind.PARAGRAPH, text=text)
