"""Word .docx: the text of the body (paragraphs, tables, text boxes) in
document order, then the footnotes and endnotes.

A .docx is a ZIP of XML parts; the body is read by walking its XML, which
reaches every paragraph wherever it sits (python-docx's `paragraphs` skips
tables and text boxes).
"""

from __future__ import annotations

import io
import zipfile
import xml.etree.ElementTree as ET

from indexer.decode import Decoded
from search.errors import ReadError

# WordprocessingML's namespace as Word writes it (Transitional), and as ISO 29500
# Strict files (Word's "Strict Open XML Document") write the same elements.
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_STRICT = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
BODY = "word/document.xml"
NOTES = ("word/footnotes.xml", "word/endnotes.xml")
# A part larger than this unpacked is refused: a small ZIP can unpack to
# gigabytes, and a parsed tree takes about ten times its XML. (Word's XML of the
# 2 MB of text a statement keeps is some 20-40 MB.)
MAX_PART_BYTES = 64 * 1024 * 1024
# Word's XML packs 5-20 to 1; a part packed tighter than this is a bomb, not a document.
MAX_PACKING = 200
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_docx(data: bytes) -> tuple[Decoded, dict]:
    """(text of a .docx, {}); raises ReadError for a file that is not one."""
    if data.startswith(_OLE_MAGIC):
        raise ReadError("not a .docx: an encrypted Word file or a Word 97–2003 .doc renamed")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as err:
        raise ReadError(f"not a .docx: not a ZIP archive ({err})") from err
    with archive:
        names = set(archive.namelist())
        if BODY not in names:
            raise ReadError(f"a ZIP archive but not a Word document (it has no {BODY})")
        try:
            paragraphs = _paragraphs(_part(archive, BODY))
            for name in NOTES:
                if name in names:
                    paragraphs += _paragraphs(_part(archive, name), notes=True)
        except RecursionError:  # (Word nests a few dozen levels; this is not a document)
            raise ReadError("damaged .docx: its XML is nested too deep to read") from None
    return Decoded("\n\n".join(p for p in paragraphs if p.strip())), {}


def _part(archive: zipfile.ZipFile, name: str) -> ET.Element:
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise ReadError(f"damaged .docx: {name} unpacks to {info.file_size / 2**20:,.0f} MB "
                        f"(the limit is {MAX_PART_BYTES / 2**20:,.0f} MB)")
    if info.file_size > 1024 * 1024 and info.file_size > MAX_PACKING * max(info.compress_size, 1):
        raise ReadError(f"damaged .docx: {name} unpacks {info.file_size // max(info.compress_size, 1):,} "
                        f"times its packed size (a compression bomb, not a document)")
    try:
        return ET.fromstring(archive.read(name))
    except ET.ParseError as err:
        raise ReadError(f"damaged .docx: {name} is not well-formed XML ({err})") from err
    except (zipfile.BadZipFile, OSError, RuntimeError) as err:  # bad CRC, encrypted entry
        raise ReadError(f"damaged .docx: {name} cannot be unpacked ({err})") from err


def _paragraphs(root: ET.Element, notes: bool = False) -> list[str]:
    """Every paragraph's text in document order; a text box's paragraphs follow
    the paragraph that anchors it."""
    w = _W_STRICT if root.tag.startswith(_W_STRICT) else _W
    out: list[str] = []
    if notes:
        # Separator "notes" hold only the line above the footnotes.
        items = [n for n in root if not n.get(f"{w}type")]
    else:
        items = [root]
    for item in items:
        _walk(item, out, w)
    return out


def _walk(element: ET.Element, out: list[str], w: str) -> None:
    for child in element:
        if child.tag == _FALLBACK:
            continue  # the same content again, for older readers
        if child.tag == f"{w}p":
            boxes: list[str] = []
            out.append(_paragraph_text(child, boxes, w))
            out.extend(boxes)
        else:
            _walk(child, out, w)


def _paragraph_text(paragraph: ET.Element, boxes: list[str], w: str) -> str:
    """A paragraph's text (`w`: the document's WordprocessingML namespace); its text boxes go to `boxes`."""
    parts: list[str] = []

    def visit(element: ET.Element) -> None:
        for child in element:
            tag = child.tag
            if tag == _FALLBACK:
                continue
            if tag == f"{w}t":
                parts.append(child.text or "")
            elif tag == f"{w}tab":
                parts.append(" ")
            elif tag in (f"{w}br", f"{w}cr"):
                parts.append("\n")
            elif tag == f"{w}noBreakHyphen":
                parts.append("-")
            elif tag == f"{w}txbxContent":
                _walk(child, boxes, w)  # a text box inside the paragraph
            elif tag != f"{w}delText":
                visit(child)

    visit(paragraph)
    return "".join(parts)
