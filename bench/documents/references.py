"""Expected texts from readers independent of ours: pdftotext (Debian's poppler-utils)
for PDF, mammoth for Word, and for a web page the text of its article element,
chosen by eye per page (an XPath in the declared table) and read with lxml."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

PDFTOTEXT_MISSING = ("pdftotext is not installed: the PDF references come from Debian's poppler-utils "
                     "(apt-get install -y poppler-utils), or leave PDFs out with --kinds docx,html")
MAMMOTH_MISSING = "mammoth is not installed: pip install -e '.[bench]' (or pip install mammoth)"
PDFMINER_MISSING = "pdfminer.six is not installed: pip install -e '.[bench]' (a second reference reads with it)"
# Never part of an article's visible text.
_DROPPED = ("script", "style", "noscript", "template", "figure", "aside", "svg", "button", "form")
_BLOCKS = {"p", "div", "section", "article", "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
           "li", "ul", "ol", "table", "tr", "td", "th", "blockquote", "pre", "dl", "dt", "dd", "br",
           "main", "figcaption", "hr", "address"}


class NoReference(Exception):
    """The independent reader gives no text (a password it lacks, a damaged file)."""


def pdftotext_version() -> str | None:
    """pdftotext's version line, or None when it is not installed."""
    if not shutil.which("pdftotext"):
        return None
    done = subprocess.run(["pdftotext", "-v"], capture_output=True, text=True)
    first = (done.stderr or done.stdout).strip().splitlines()
    return first[0] if first else "pdftotext"


def pdf_reference(path: Path) -> str:
    """Plain pdftotext (its reading order, not -layout), UTF-8; NoReference when it cannot read the file."""
    if not shutil.which("pdftotext"):
        raise RuntimeError(PDFTOTEXT_MISSING)
    done = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, timeout=300)
    if done.returncode != 0:
        raise NoReference(f"pdftotext exit status {done.returncode}"
                          + (" (an encrypted PDF that needs its password)" if done.returncode == 1 else ""))
    return done.stdout.decode("utf-8", "replace")


def second_pdf_reference(path: Path, spec: dict) -> str:
    """A second reading, for a file whose plain pdftotext reading a person would not follow (declared
    with why in expected.json): "pdftotext -layout" (the page's lines across, a table row by row),
    "pdftotext by region": plain pdftotext of each region [page, x, y, width, height(, "layout")] in
    points from the page's top left, in the order declared (a page's columns, its sidebar), or
    "pdfminer.six" (another reader's layout analysis; `word_margin`, when declared, is the gap between
    two characters, in their size, from which it adds a space between them: 0.1 by default)."""
    if spec["reader"] == "pdftotext -layout":
        return _pdftotext(path, ["-layout"])
    if spec["reader"] == "pdfminer.six":
        return _pdfminer(path, spec.get("word_margin"))
    if spec["reader"] == "pdftotext by region":
        parts = []
        for page, x, y, width, height, *mode in spec["regions"]:
            parts.append(_pdftotext(path, ["-f", str(page), "-l", str(page), "-x", str(x), "-y", str(y),
                                           "-W", str(width), "-H", str(height), "-r", "72",
                                           *(["-layout"] if mode == ["layout"] else [])]))
        return "\n".join(parts)
    raise ValueError(f"unknown second reader {spec['reader']!r}")


def _pdftotext(path: Path, options: list[str]) -> str:
    done = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", *options, str(path), "-"],
                          capture_output=True, timeout=300, check=True)
    return done.stdout.decode("utf-8", "replace")


def _pdfminer(path: Path, word_margin: float | None) -> str:
    try:
        from pdfminer.high_level import extract_text
        from pdfminer.layout import LAParams
    except ImportError:
        raise RuntimeError(PDFMINER_MISSING) from None
    laparams = LAParams() if word_margin is None else LAParams(word_margin=word_margin)
    return extract_text(str(path), laparams=laparams)


def docx_reference(path: Path) -> str:
    """mammoth's HTML of the body, footnotes and endnotes, as text (its note marks and back links left out)."""
    try:
        import mammoth
    except ImportError:
        raise RuntimeError(MAMMOTH_MISSING) from None
    from lxml import html

    with path.open("rb") as handle:
        converted = mammoth.convert_to_html(handle).value
    if not converted.strip():
        raise NoReference("mammoth finds no text")
    root = html.fragment_fromstring(converted, create_parent="div")
    for link in root.xpath("//a[starts-with(@href, '#footnote') or starts-with(@href, '#endnote')]"):
        parent = link.getparent()
        link.drop_tree()
        if parent.tag == "sup" and not parent.text_content().strip():
            parent.drop_tree()
    return element_text(root)


def html_reference(path: Path, xpath: str, drop: tuple[str, ...] = ()) -> str:
    """The visible text of the page's article element(s) that `xpath` selects, less what the `drop`
    XPaths (relative to each) select: a page's own non-article parts; NoReference when none is found.
    An element inside another one selected is read once, as part of the outer one."""
    from lxml import html

    tree = html.fromstring(page_text(path.read_bytes()))
    selected = tree.xpath(xpath)
    found = [e for e in selected if not any(a in selected for a in e.iterancestors())]
    if not found:
        raise NoReference(f"no element at {xpath}")
    for element in found:
        for path_ in drop:
            for child in element.xpath(path_):
                child.drop_tree()
    return "\n\n".join(element_text(element) for element in found)


def page_text(data: bytes) -> str:
    """A saved page's characters: its declared charset, else UTF-8, else Windows-1252."""
    declared = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", data[:4096], re.I)
    for encoding in ([declared.group(1).decode("ascii")] if declared else []) + ["utf-8", "cp1252"]:
        try:
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
        return re.sub(r"^\s*<\?xml[^>]*>", "", text)
    return data.decode("utf-8", "replace")


def element_text(element) -> str:
    """An element's visible text, paragraphs apart, without script, style, figures and asides."""
    for tag in _DROPPED:
        for child in element.xpath(f".//{tag}"):
            child.drop_tree()
    for child in element.xpath(".//*[@hidden or contains(translate(@style, ' ', ''), 'display:none')]"):
        child.drop_tree()
    parts: list[str] = []
    _collect(element, parts)
    text = "".join(parts)
    return re.sub(r"\n\s*\n\s*", "\n\n", text).strip()


def _collect(element, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    block = tag.lower() in _BLOCKS
    if block:
        parts.append("\n\n")
    if tag and element.text:
        parts.append(element.text)
    for child in element:
        _collect(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append("\n\n")
