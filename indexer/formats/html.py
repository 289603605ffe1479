"""HTML: the visible text of a page, its heading or title, and a dated meta tag."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

from indexer.decode import Decoded, decode_text


class _VisibleText(HTMLParser):
    """Collects the visible text of an HTML page, a title, and dated meta tags."""

    HIDDEN = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object"}
    BLOCKS = {
        "p", "div", "section", "article", "header", "footer", "main", "aside", "nav",
        "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tr", "blockquote",
        "pre", "figure", "figcaption", "dl", "dt", "dd", "hr", "address",
    }
    DATE_META = {"date", "dc.date", "dcterms.date", "article:published_time", "pubdate"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.title_parts: list[str] | None = None
        self.title = ""
        self.h1_parts: list[str] | None = None
        self.h1 = ""
        self.date = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            name = (attrs.get("name") or attrs.get("property") or "").lower()
            if name in self.DATE_META and attrs.get("content") and not self.date:
                self.date = attrs["content"]
            return
        if tag == "time" and attrs.get("datetime") and not self.date:
            self.date = attrs["datetime"]
        if tag == "title":
            self.title_parts = []
        elif tag in self.HIDDEN:
            self.hidden += 1
        if tag == "h1" and not self.h1:
            self.h1_parts = []
        if tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag == "title" and self.title_parts is not None:
            self.title = " ".join("".join(self.title_parts).split())
            self.title_parts = None
        elif tag in self.HIDDEN and self.hidden:
            self.hidden -= 1
        if tag == "h1" and self.h1_parts is not None:
            self.h1 = " ".join("".join(self.h1_parts).split())
            self.h1_parts = None
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self.title_parts is not None:
            self.title_parts.append(data)
            return
        if self.hidden:
            return
        if self.h1_parts is not None:
            self.h1_parts.append(data)
        self.parts.append(data)


_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)


def read_html(data: bytes) -> tuple[Decoded, dict]:
    m = _CHARSET_RE.search(data[:4096])
    declared = m.group(1).decode("ascii") if m else None
    decoded = decode_text(data, declared)
    parser = _VisibleText()
    parser.feed(decoded.text)
    parser.close()
    given = {}
    if parser.h1 or parser.title:
        given["title"] = parser.h1 or parser.title
    if parser.date:
        given["date"] = parser.date
    return replace(decoded, text="".join(parser.parts)), given
