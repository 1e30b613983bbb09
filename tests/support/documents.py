"""Small, real files of every supported format, made in code (no binary fixtures in git).

``minimal_pdf`` writes a valid PDF 1.4 by hand (catalog, page tree, one page per paragraph
list, Helvetica, a correct xref table): pypdf cannot author text, and this keeps the test
independent of a PDF writer library.
"""

from __future__ import annotations

import io

import docx


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def minimal_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A PDF whose pages show the given lines; a blank line separates paragraphs."""
    objects: list[str] = []
    page_ids = [4 + 2 * i for i in range(len(pages))]
    objects.append("<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for index, lines in enumerate(pages):
        content_id = page_ids[index] + 1
        objects.append(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
            f" /Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>"
        )
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 740 Td"]
        for line in lines:
            ops.append(f"{_pdf_string(line)} Tj T*" if line else "T*")
        ops.append("ET")
        stream = "\n".join(ops)
        objects.append(
            f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream"
        )
    info_ref = ""
    if title is not None:
        objects.append(f"<< /Title {_pdf_string(title)} >>")
        info_ref = f" /Info {len(objects)} 0 R"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info_ref} >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def small_docx(title: str, sections: dict[str, list[str]], table: list[list[str]]) -> bytes:
    """A Word document: a title, one Heading 1 per section with its paragraphs, then a table."""
    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(title, level=0)
    for heading, paragraphs in sections.items():
        document.add_heading(heading, level=1)
        for paragraph in paragraphs:
            if paragraph.startswith("- "):
                document.add_paragraph(paragraph[2:], style="List Bullet")
            else:
                document.add_paragraph(paragraph)
    grid = document.add_table(rows=len(table), cols=len(table[0]))
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# One file per format, each about one distinctive topic, with a word found nowhere else.
SAMPLE_FILES: dict[str, bytes] = {
    "reefer.txt": (
        b"Reefer containers\n\nA reefer keeps frozen cargo at minus eighteen degrees. "
        b"Pre-cool the zanzibarite cargo before loading.\n\n- Set point in the booking\n"
        b"- Ventilation closed for frozen goods\n"
    ),
    "warehouse.md": (
        b"# Warehouse hours\n\n## Opening times\n\nThe Antwerp warehouse opens at 06:00 for "
        b"quokkafruit deliveries.\n\n| Day | Hours |\n|---|---|\n| Saturday | 08:00-12:00 |\n"
    ),
    "airfreight.html": (
        b"<html><head><title>Air freight</title><script>var x = 'ignored';</script></head><body>"
        b"<h1>Air freight</h1><p>Volumetric weight uses the factor 6000 for "
        b"xylophonic parcels.</p><ul><li>Chargeable weight is the higher one</li></ul>"
        b"<table><tr><th>Airport</th><th>Cut-off</th></tr><tr><td>AMS</td><td>18:00</td></tr>"
        b"</table></body></html>"
    ),
    "rates.csv": (
        b"Lane,Mode,Transit days\nRotterdam-Lyon,road,1\nShanghai-Rotterdam,sea,32 brontosaurine\n"
    ),
    "customs.pdf": minimal_pdf(
        [
            ["Customs brokers", "", "Our brokers clear jabberwocky shipments at Rotterdam."],
            ["Second page about EORI numbers."],
        ],
        title="Customs brokerage",
    ),
    "claims.docx": small_docx(
        "Claims handbook",
        {
            "Notifying damage": ["Report hidden damage within seven days for snarkhunting cargo."],
            "Evidence": ["- Photos of the damage", "- The delivery note with remarks"],
        },
        [["Mode", "Limit"], ["Road", "8.33 SDR per kg"]],
    ),
}
# The distinctive word of each sample, for "find it by searching" checks.
SAMPLE_WORDS = {
    "reefer.txt": "zanzibarite",
    "warehouse.md": "quokkafruit",
    "airfreight.html": "xylophonic",
    "rates.csv": "brontosaurine",
    "customs.pdf": "jabberwocky",
    "claims.docx": "snarkhunting",
}
