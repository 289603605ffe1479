"""File formats: one module per family, each turning a file's bytes into text
and the metadata the file itself gives.

`read_text_file` reads the formats that hold one statement per file; JSON
and JSON Lines hold records (see `records`). A new format is a module here
and an entry in `TEXT_READERS`.
"""

from __future__ import annotations

from indexer.decode import Decoded
from indexer.formats import docx, html, isolated, pdf, text

# suffix → reader(bytes) → (Decoded text, given metadata)
TEXT_READERS = {
    ".txt": text.read_plain,
    ".md": text.read_markdown,
    ".markdown": text.read_markdown,
    ".html": html.read_html,
    ".htm": html.read_html,
    ".pdf": isolated.bounded(pdf.read_pdf),  # (PDFium can be made to ask for gigabytes)
    ".docx": docx.read_docx,
}
RECORD_SUFFIXES = {".json", ".jsonl"}
SUPPORTED_SUFFIXES = set(TEXT_READERS) | RECORD_SUFFIXES


def read_text_file(suffix: str, data: bytes) -> tuple[Decoded, dict]:
    """(text as read, metadata the file gives) of a one-statement file; raises ReadError."""
    return TEXT_READERS[suffix.lower()](data)

