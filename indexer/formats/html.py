"""HTML: a web page's main text (menus, footers and related links left out),
its title (without the site's name), date (from the markup, else the date line
by its heading) and original address; all its visible text when no main text is found."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from lxml import etree

from indexer.decode import Decoded, decode_text
from indexer.formats.page_dates import DateLines, tree_blocks, visible_date
from indexer.formats.page_lines import keeps, lines_as_paragraphs
from indexer.formats.page_marks import for_reading
from indexer.formats.page_titles import clean_title


class _VisibleText(HTMLParser):
    """Collects the visible text of an HTML page, a title, headings, the site's name,
    dated meta tags and the blocks a date line is looked for in."""

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
        self.meta: dict[str, str] = {}
        self.lines = DateLines()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.lines.start(tag, attrs)
        if tag == "meta":
            name = (attrs.get("name") or attrs.get("property") or "").lower()
            if name in self.DATE_META and attrs.get("content") and not self.date:
                self.date = attrs["content"]
            if name in ("og:title", "og:site_name") and attrs.get("content"):
                self.meta.setdefault(name, attrs["content"])
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
        self.lines.end(tag)
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
        self.lines.data(data)
        if self.title_parts is not None:
            self.title_parts.append(data)
            return
        if self.hidden:
            return
        if self.h1_parts is not None:
            self.h1_parts.append(data)
        self.parts.append(data)


@dataclass
class Article:
    """What trafilatura finds in a page: its main text in paragraphs, and metadata."""

    text: str
    title: str | None
    date: str | None  # ISO, from the page's markup (meta tags, <time>, the URL)


# trafilatura's XML: these elements are paragraphs (rows of a table, items of a list).
_PARAGRAPHS = {"head", "p", "item", "quote", "row", "list", "table", "div", "section", "pre"}


def parsed(html: str):
    """The page as an lxml tree, or None when lxml cannot make one of it."""
    from trafilatura import load_html  # (here: it takes 0.1 s to import; a run that reads no page skips it)

    try:
        return load_html(html)
    except Exception:  # (lxml on odd markup; the visible-text reader still reads it)
        return None


def main_text(tree) -> Article | None:
    """The page's main text and metadata, or None when trafilatura finds no main text."""
    prepared = for_reading(tree)
    found = _extraction(prepared, with_metadata=True)
    if found is None or found.body is None:
        return None
    text = _paragraph_text(found.body)
    if not text.strip():
        return None
    lined = lines_as_paragraphs(prepared, text)
    if lined is not None:  # (an article written in lines: read again with its lines as paragraphs)
        again = _extraction(lined, with_metadata=False)
        if again is not None and again.body is not None and keeps(text, _paragraph_text(again.body)):
            text = _paragraph_text(again.body)
    title = found.title or None
    h2 = tree.xpath("(//h2)[1]")
    if title and not tree.xpath("//h1") and h2 and title == " ".join(h2[0].text_content().split()):
        # (trafilatura's last resort, the first <h2>, is often "Related news": the <title> is better)
        title = " ".join((tree.findtext(".//title") or "").split()) or title
    return Article(text, title, found.date or None)


def _extraction(tree, with_metadata: bool):
    """trafilatura's reading of the page, None when it fails on odd markup."""
    from trafilatura import bare_extraction

    try:
        return bare_extraction(
            tree, with_metadata=with_metadata, include_comments=False, include_tables=True,
            favor_precision=True,  # (menus and related links out, even at some cost in text)
            # Dates from the markup only (a date in the text may be any event's),
            # as old as statements go (htmldate's default floor is 1995).
            date_extraction_params={"extensive_search": False, "original_date": True,
                                    "min_date": "1900-01-01"},
        )
    except Exception:  # (an extractor failure on odd markup: all visible text is read instead)
        return None


def page_address(tree) -> str | None:
    """The page's own address: its canonical link (made absolute by og:url), else og:url."""
    og_url = next((u.strip() for u in tree.xpath('//meta[@property="og:url"]/@content') if u.strip()), "")
    for link in tree.xpath("//link[@rel][@href]"):
        if "canonical" in link.get("rel").lower().split() and link.get("href").strip():
            joined = urljoin(og_url, link.get("href").strip())
            if urlsplit(joined).scheme:  # (a relative link with no og:url to place it is no address)
                return joined
            break
    return og_url or None


def _paragraph_text(body) -> str:
    """Text of trafilatura's XML body, a blank line between paragraphs."""
    parts: list[str] = []
    for event, element in etree.iterwalk(body, events=("start", "end")):
        block = element.tag in _PARAGRAPHS
        if event == "start":
            parts.append("\n\n" if block else "\n" if element.tag == "lb"
                         else " " if element.tag == "cell" else "")
            parts.append(element.text or "")
        else:
            parts.append("\n\n" if block else "")
            if element is not body:
                parts.append(element.tail or "")
    return "".join(parts)


def page_clues(tree) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """What tells a title from its site's name: the <title>, the <h1>s (not a logo's link)
    and og:title, og:site_name."""
    def first(path):
        return next((" ".join(v.split()) for v in tree.xpath(path) if v.strip()), "")
    headings = [" ".join(h.text_content().split()) for h in tree.xpath("//h1[not(.//a) and not(ancestor::a)]")]
    headings.append(first('//meta[@property="og:title"]/@content'))
    return (first("//title/text()"), tuple(h for h in headings if h),
            tuple(n for n in [first('//meta[@property="og:site_name"]/@content')] if n))


_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)


def read_html(data: bytes) -> tuple[Decoded, dict]:
    m = _CHARSET_RE.search(data[:4096])
    declared = m.group(1).decode("ascii") if m else None
    decoded = decode_text(data, declared)
    tree = parsed(decoded.text)
    given = {}
    url = page_address(tree) if tree is not None else None
    if url:
        given["url"] = url
    article = main_text(tree) if tree is not None else None
    if article:
        text, title, date = article.text, article.title, article.date
    else:
        page = _VisibleText()
        page.feed(decoded.text)
        page.close()
        text, title, date = "".join(page.parts), page.h1 or page.title, page.date
    if tree is not None:
        page_title, headings, site_names = page_clues(tree)
        blocks = tree_blocks(tree) if not date else []
    else:
        page_title, site_names = page.title, tuple(n for n in [page.meta.get("og:site_name")] if n)
        headings = tuple(h for h in (page.h1, page.meta.get("og:title")) if h)
        blocks = page.lines.close()
    if title:
        given["title"] = clean_title(title, page_title=page_title, headings=headings,
                                     site_names=site_names, url=url)
    date = date or visible_date(blocks, given.get("title") or title)
    if date:
        given["date"] = date
    return replace(decoded, text=text), given
