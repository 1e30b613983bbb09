"""Parsers of text formats: plain text, Markdown and CSV (standard library only).

Every text format is decoded strictly: UTF-8 (with or without BOM), UTF-16 with a BOM, else
Windows-1252 (legacy spreadsheet exports), and refused as binary when it holds NUL bytes or
more than a trace of control characters, so an image renamed ``.txt`` never becomes chunks.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from itl_core.errors import ValidationFailed
from itl_core.knowledge.model import Block, BlockKind, ParsedDocument

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^(=+|-+)\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+\u2022]|\d{1,3}[.)])\s+(.*)$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def decode_text(content: bytes) -> str:
    """The text in ``content``, or ValidationFailed when it is not text."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode(content, "utf-16")
    elif b"\x00" in content:
        raise ValidationFailed.single("file", "is binary, not text (it contains NUL bytes)")
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _decode(content, "cp1252")
    if len(_CONTROL.findall(text)) > max(2, len(text) // 1000):
        raise ValidationFailed.single("file", "is binary, not text (it contains control bytes)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(content: bytes, encoding: str) -> str:
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as e:
        raise ValidationFailed.single(
            "file", f"is not text in a known encoding ({e.reason})"
        ) from e


def parse_plain(content: bytes) -> ParsedDocument:
    """Paragraphs separated by blank lines; bulleted or numbered lines are list items."""
    blocks: list[Block] = []
    for paragraph in _paragraphs(decode_text(content).split("\n")):
        blocks.extend(_list_or_paragraph(paragraph))
    return ParsedDocument(blocks=tuple(blocks))


def parse_markdown(content: bytes) -> ParsedDocument:
    """ATX and setext headings, paragraphs, list items, fenced code, pipe tables (rows keep
    their header). The first top-level heading is the title."""
    lines = decode_text(content).split("\n")
    blocks: list[Block] = []
    buffer: list[str] = []
    table_header: list[str] | None = None
    in_fence = False

    def flush() -> None:
        if buffer:
            blocks.extend(_list_or_paragraph(buffer))
            buffer.clear()

    for index, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            buffer.append(line)
            continue
        if heading := _ATX.match(line):
            flush()
            blocks.append(Block(kind=BlockKind.HEADING, text=heading[2], level=len(heading[1])))
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if (
            line.strip()
            and _SETEXT.match(following)
            and not _BULLET.match(line)
            and "|" not in line
        ):
            flush()
            level = 1 if following.strip().startswith("=") else 2
            blocks.append(Block(kind=BlockKind.HEADING, text=line.strip(), level=level))
            continue
        if _SETEXT.match(line):
            flush()  # the underline of the heading above, or a thematic break
            continue
        if line.strip().startswith("|"):
            flush()
            if _TABLE_SEPARATOR.match(line):
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if table_header is None:
                table_header = cells
            else:
                blocks.append(Block(kind=BlockKind.TABLE_ROW, text=table_row(table_header, cells)))
            continue
        table_header = None
        if not line.strip():
            flush()
        elif _BULLET.match(line):
            flush()
            buffer.append(line)
        else:
            buffer.append(line)
    flush()
    title = next((b.text for b in blocks if b.kind is BlockKind.HEADING and b.level == 1), None)
    return ParsedDocument(blocks=tuple(blocks), title=title)


def parse_csv(content: bytes) -> ParsedDocument:
    """One table row per record, each carrying the header: ``Column: value; ...``."""
    text = decode_text(content)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:8192], ",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [
            row for row in csv.reader(io.StringIO(text), dialect) if any(c.strip() for c in row)
        ]
    except csv.Error as e:
        raise ValidationFailed.single("file", f"is not valid CSV ({e})") from e
    if not rows:
        return ParsedDocument(blocks=())
    header, *records = rows
    blocks = [Block(kind=BlockKind.TABLE_ROW, text=table_row(header, r)) for r in records]
    return ParsedDocument(blocks=tuple(blocks))


def table_row(header: list[str], cells: list[str]) -> str:
    """A row as ``Header: value`` pairs, so a row chunk keeps its meaning alone."""
    pairs = []
    for index, cell in enumerate(cells):
        if not cell.strip():
            continue
        name = header[index].strip() if index < len(header) and header[index].strip() else ""
        pairs.append(f"{name}: {cell.strip()}" if name else cell.strip())
    return "; ".join(pairs)


def _paragraphs(lines: list[str]) -> Iterator[list[str]]:
    paragraph: list[str] = []
    for line in lines:
        if line.strip():
            paragraph.append(line)
        elif paragraph:
            yield paragraph
            paragraph = []
    if paragraph:
        yield paragraph


def _list_or_paragraph(lines: list[str]) -> Iterator[Block]:
    """List items (a bullet line plus its continuation lines), else one paragraph."""
    if not _BULLET.match(lines[0]):
        yield Block(kind=BlockKind.PARAGRAPH, text=" ".join(line.strip() for line in lines))
        return
    item: list[str] = []
    for line in lines:
        if bullet := _BULLET.match(line):
            if item:
                yield Block(kind=BlockKind.LIST_ITEM, text=" ".join(item))
            item = [bullet[1].strip()]
        else:
            item.append(line.strip())
    if item:
        yield Block(kind=BlockKind.LIST_ITEM, text=" ".join(item))
