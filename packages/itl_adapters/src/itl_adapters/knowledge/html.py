"""HTML to blocks with the standard library's tolerant parser (it never raises on bad markup).

Headings ``h1``-``h6``, paragraphs, list items and table rows become blocks (a row whose cells
are all ``th`` is the header of the rows after it); text in other containers (``div``,
``section``) becomes paragraphs at the container's edges. Scripts, styles, templates and
navigation chrome are dropped: they are not knowledge.
"""

from __future__ import annotations

from html.parser import HTMLParser

from itl_core.knowledge.model import Block, BlockKind, ParsedDocument

from itl_adapters.knowledge.text import decode_text, table_row

_SKIP = frozenset({"script", "style", "template", "noscript", "nav", "head", "svg", "iframe"})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BREAKS = frozenset(
    {"p", "div", "section", "article", "main", "aside", "header", "footer", "blockquote", "pre",
     "ul", "ol", "dl", "dt", "dd", "figure", "figcaption", "br", "hr", "table", "form"}
)  # fmt: skip


class _BlockCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.title: str | None = None
        self._text: list[str] = []
        self._skip_depth = 0
        self._in_title = False
        self._heading: int | None = None
        self._row: list[str] | None = None
        self._row_is_header = True
        self._cell: list[str] | None = None
        self._header: list[str] | None = None
        self._in_item = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP and tag != "head":
            self._skip_depth += 1
        if tag == "title":
            self._in_title = True
        elif tag in _HEADINGS:
            self._flush()
            self._heading = _HEADINGS[tag]
        elif tag == "li":
            self._flush()
            self._in_item = True
        elif tag == "tr":
            self._flush()
            self._row, self._row_is_header = [], True
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            self._row_is_header &= tag == "th"
        elif tag in _BREAKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and tag != "head":
            self._skip_depth = max(0, self._skip_depth - 1)
        if tag == "title":
            self._in_title = False
        elif tag in _HEADINGS:
            self._flush()
            self._heading = None
        elif tag == "li":
            self._flush()
            self._in_item = False
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr":
            self._end_row()
        elif tag == "table":
            self._end_row()
            self._header = None
        elif tag in _BREAKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = ((self.title or "") + data).strip() or None
        elif self._skip_depth:
            return
        elif self._cell is not None:
            self._cell.append(data)
        else:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self._end_row()
        self._flush()

    def _end_row(self) -> None:
        if self._row is None:
            return
        row, self._row = self._row, None
        if not any(row):
            return
        if self._row_is_header and self._header is None:
            self._header = row
        else:
            self.blocks.append(
                Block(kind=BlockKind.TABLE_ROW, text=table_row(self._header or [], row))
            )

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        self._text = []
        if not text:
            return
        if self._heading is not None:
            self.blocks.append(Block(kind=BlockKind.HEADING, text=text, level=self._heading))
        elif self._in_item:
            self.blocks.append(Block(kind=BlockKind.LIST_ITEM, text=text))
        else:
            self.blocks.append(Block(kind=BlockKind.PARAGRAPH, text=text))


def parse_html(content: bytes) -> ParsedDocument:
    collector = _BlockCollector()
    collector.feed(decode_text(content))
    collector.close()
    return ParsedDocument(blocks=tuple(collector.blocks), title=collector.title)
