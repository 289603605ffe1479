"""A web page's visible date, for pages whose markup gives none: the date line
next to the article's heading («15 августа 2016, 13:43», "August 15, 2016"),
never a date from a list of links, a sidebar, comments or the footer, nor one
in the article's sentences (an event's date is not the statement's)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from lxml import etree

from indexer.extract import YEAR_WORD_ALT, find_dates
from indexer.formats.page_titles import norm

# Blocks of text: a date line is one of them.
BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav",
    "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tr", "td", "th",
    "blockquote", "pre", "figure", "figcaption", "dl", "dt", "dd", "hr", "address",
    "br", "time", "body",
}
# Text never shown: no date line is in it, and it takes no room in the window.
HIDDEN_TAGS = {"script", "style", "noscript", "template", "head", "title", "iframe", "svg", "object"}
# Nothing in these is the article's date: navigation, related news, widgets, users' panels
# (unless the article's heading is in it too: a site may put its article in an <aside>).
SKIPPED_TAGS = {"nav", "aside", "footer", "form", "button", "select"}
SKIPPED_CLASS = re.compile(
    r"related|sidebar|comment|widget|recommend|similar|teaser|promo|footer|menu|navbar|"
    r"breadcrumb|share|social|subscribe|popular|most-read|trending|banner|advert|"
    r"also|more-news|other-news|cookie|user|member|profile|signature|avatar", re.I)
# A heading's lead, a photo's caption: long, but not yet the article's text.
LEAD_TAGS = {"h2", "h3", "h4", "h5", "h6", "figure", "figcaption"}
LEAD_CLASS = re.compile(r"caption|lead|summary|subtitle|standfirst|kicker|excerpt|description", re.I)
VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "wbr", "source", "area", "col", "embed"}

LONG_BLOCK = 160  # characters: a block this long is the article's text; the header ends there
WINDOW_AFTER = 8  # blocks read after the heading
WINDOW_BEFORE = 3  # blocks read before it (a date line above the heading)
MAX_REST_WORDS = 6  # words beside the date on a date line ("Политика", "By Jane Doe, Reuters")
# What a date line may hold beside the date: its time, «г.», «года», a zone.
_TIME_RE = re.compile(r"\b\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?|"
                      rf"(?<!\w)(?:{YEAR_WORD_ALT})(?!\w)|\b(?:MSK|МСК|GMT|UTC|ET|EST|EDT|BST|CET|CEST)\b", re.I)


@dataclass
class Block:
    """A block of visible text, whether it is a heading, and what leaves it out."""

    text: str
    heading: bool = False
    within: frozenset = frozenset()  # the left-out containers (a sidebar, a menu) it is in
    item: int | None = None  # the list item with a link it is in (a list of links)
    lead: bool = False  # in a lead or a caption
    link: bool = False  # all its text is a link's (a teaser's title, a tag)
    path: tuple = ()  # the elements it is in, outermost first


class DateLines:
    """Collects a page's blocks from start, end and text events (lxml's or HTMLParser's)."""

    def __init__(self):
        self.blocks: list[Block] = []
        self.stack: list[tuple[str, int, bool, bool]] = []  # (tag, its number, left out, lead)
        self.parts: list[str] = []
        self.link_parts: list[str] = []
        self.links = self.hidden = self.in_h1 = self.count = 0
        self.items: list[int] = []
        self.linked_items: set[int] = set()

    def _flush(self, heading: bool = False):
        text = " ".join("".join(self.parts).split())
        link_text = " ".join("".join(self.link_parts).split())
        self.parts, self.link_parts = [], []
        if text or link_text:
            within = frozenset(n for _, n, skipped, _ in self.stack if skipped)
            lead = any(lead for *_, lead in self.stack)
            self.blocks.append(Block(text or link_text, heading, within,
                                     self.items[-1] if self.items else None, lead, not text,
                                     tuple(n for _, n, _, _ in self.stack)))

    def start(self, tag: str, attrs: dict):
        tag = tag.lower()
        names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        skipped = tag in SKIPPED_TAGS or bool(SKIPPED_CLASS.search(names)) or attrs.get("hidden") is not None
        if tag in BLOCK_TAGS or skipped:
            self._flush()
        if tag in VOID_TAGS:
            return
        self.count += 1
        lead = tag in LEAD_TAGS or bool(LEAD_CLASS.search(names))
        self.stack.append((tag, self.count, skipped, lead))
        if tag == "a":
            self.links += 1
            self.linked_items.update(self.items)
        elif tag == "li":
            self.items.append(self.count)
        elif tag == "h1":
            self.in_h1 += 1
        elif tag in HIDDEN_TAGS:
            self.hidden += 1

    def end(self, tag: str):
        tag = tag.lower()
        if tag in VOID_TAGS or not any(entry[0] == tag for entry in self.stack):
            return
        while self.stack:
            top, _, skipped, _ = self.stack[-1]
            if top in BLOCK_TAGS or skipped:
                self._flush(heading=top == "h1" and self.in_h1 == 1)
            self.stack.pop()
            if top == "a":
                self.links -= 1
            elif top == "li" and self.items:
                self.items.pop()
            elif top == "h1":
                self.in_h1 -= 1
            elif top in HIDDEN_TAGS:
                self.hidden -= 1
            if top == tag:
                break

    def data(self, text: str):
        if text and not self.hidden:  # (a link's text is no date line)
            (self.parts if self.in_h1 or not self.links else self.link_parts).append(text)

    def close(self) -> list[Block]:
        while self.stack:
            self.end(self.stack[-1][0])
        self._flush()
        return [replace(b, item=None) if b.item not in self.linked_items else b for b in self.blocks]


def tree_blocks(tree) -> list[Block]:
    """The blocks of an lxml page."""
    lines = DateLines()
    body = tree.find(".//body")
    for event, element in etree.iterwalk(body if body is not None else tree, events=("start", "end")):
        if not isinstance(element.tag, str):  # (a comment: only its tail is text)
            if event == "end":
                lines.data(element.tail or "")
            continue
        if event == "start":
            lines.start(element.tag, dict(element.attrib))
            lines.data(element.text or "")
        else:
            lines.end(element.tag)
            lines.data(element.tail or "")
    return lines.close()


def visible_date(blocks: list[Block], title: str | None = None,
                 today: dt.date | None = None) -> str | None:
    """The ISO date on the date line next to the article's heading, or None."""
    headings = [i for i, b in enumerate(blocks) if b.heading]
    if not headings:
        return None
    wanted = f" {norm(title or '')} "
    if wanted.strip():  # (a heading that is not the title is the site's name: its date is today's)
        at = next((i for i in headings if _is_title(norm(blocks[i].text), wanted)), None)
        if at is None:
            return None
    else:
        at = next((i for i in headings if not blocks[i].within), headings[0])
    forgiven = blocks[at].within  # (the containers the article itself is in)

    def left_out(block):
        return bool(block.within - forgiven) or block.item is not None

    def teaser(j, after_heading):
        """A date beside a link of its own, with more dates around, is a list of other news."""
        beside = (j - 1, j + 1) if after_heading else (j + 1,)
        linked = any(k < len(blocks) and blocks[k].link and not blocks[k].heading
                     and not left_out(blocks[k]) for k in beside)
        return linked and any(find_dates(b.text) for b in blocks[max(0, j - 3):j] + blocks[j + 1:j + 4])

    # Above the heading, only beside it: within its grandparent (a site's header may show today's date).
    near = blocks[at].path[-3] if len(blocks[at].path) >= 3 else None
    before = []
    for j in range(at - 1, -1, -1):
        if len(before) == WINDOW_BEFORE or left_out(blocks[j]) or len(blocks[j].text) > LONG_BLOCK \
                or near not in blocks[j].path:
            break
        if not blocks[j].link:
            before.insert(0, j)
    after = []
    for j in range(at + 1, len(blocks)):
        block = blocks[j]
        if len(after) == WINDOW_AFTER or (not left_out(block) and not block.lead
                                          and not block.link and len(block.text) > LONG_BLOCK):
            break
        if not block.link:
            after.append(j)
    latest = today or dt.date.today()
    for j in before + after:
        date = None if left_out(blocks[j]) else _date_line(blocks[j].text)
        if date:  # (the first date line decides: a teaser's or a future date leaves the page undated)
            ok = dt.date(1900, 1, 1) <= date <= latest and not teaser(j, j > at)
            return date.isoformat() if ok else None
    return None


def _date_line(text: str) -> dt.date | None:
    """The date of a line that is a date (with its time, a label, a byline), not a sentence."""
    found = find_dates(text)
    if not found:
        return None
    first = found[0]
    rest = _TIME_RE.sub(" ", text[:first.start] + " " + text[first.end:])
    words = re.findall(r"\w+", rest)
    if len(words) > MAX_REST_WORDS or (words and rest.rstrip().endswith((".", "!", "?")) and len(words) > 2):
        return None
    return first.date


def _is_title(heading: str, title: str) -> bool:
    """Whether a heading is the page's title, or most of it (not a logo's "МИД")."""
    return bool(heading) and f" {heading} " in title and 2 * len(heading) >= len(title.strip())


