"""The ``DocumentParser`` of the platform: dispatch on the file extension.

Parsing is CPU work (a large PDF takes seconds), so it runs in a worker thread and never stalls
the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import PurePosixPath

from itl_core.knowledge.model import ParsedDocument

from itl_adapters.knowledge.html import parse_html
from itl_adapters.knowledge.office import parse_docx, parse_pdf
from itl_adapters.knowledge.text import parse_csv, parse_markdown, parse_plain

__all__ = ["FORMATS", "FileParser"]

FORMATS: dict[str, Callable[[bytes], ParsedDocument]] = {
    ".txt": parse_plain,
    ".text": parse_plain,
    ".md": parse_markdown,
    ".markdown": parse_markdown,
    ".html": parse_html,
    ".htm": parse_html,
    ".pdf": parse_pdf,
    ".docx": parse_docx,
    ".csv": parse_csv,
}


def _suffix(filename: str) -> str:
    return PurePosixPath(filename.replace("\\", "/")).suffix.lower()


class FileParser:
    """Parses .txt, .md, .html, .pdf, .docx and .csv files."""

    def supports(self, filename: str) -> bool:
        return _suffix(filename) in FORMATS

    async def parse(self, filename: str, content: bytes) -> ParsedDocument:
        return await asyncio.to_thread(FORMATS[_suffix(filename)], content)
