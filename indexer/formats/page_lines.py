"""A page written in lines rather than paragraphs (text beside a block's <div>s, a <div> a line, as
blog editors write): its article's lines made paragraphs, which trafilatura reads and otherwise drops."""

from __future__ import annotations

from collections import Counter
from copy import deepcopy

from indexer.formats.page_marks import shown_words

# Elements that start a block of their own; any other element runs on in a line of text.
_BLOCKS = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "h1", "h2", "h3",
    "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote", "pre", "figure", "form", "hr", "address",
    "details", "fieldset", "iframe", "script", "style", "noscript", "template", "center", "menu",
}
_CONTAINERS = ("div", "section", "article", "main")
# The blocks the found main text is looked for in, to tell which element holds the article.
_READ_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", "td", "dd", "div")
_ARTICLE_SHARE = 0.8  # (of a block's runs of words, found: it is read; of the found text's runs,
#                        held: the deepest element holding as much is the article)
_PAGE_SHARE = 2  # (an element with more than twice the found text's words holds more than the article)
_LINE_MIN = 3  # (a shorter loose line is a label: "Read also", "Share")
_LINE_WORDS = 5  # (an article whose loose lines hold fewer words is written in paragraphs;
#                   blocks are looked for in the found text by runs of as many words)
_KEPT_SHARE = 0.98  # (of the words first found, that the read of the lines must keep)
_MADE = "data-line"  # (marks the paragraphs made of loose lines, until they are counted)


def lines_as_paragraphs(tree, found: str):
    """A copy of the page whose article (the element holding the `found` main text) has its loose
    lines of text made paragraphs; None when it has none."""
    article = _article(tree, found)
    if article is None or len(shown_words(article)) > _PAGE_SHARE * len(found.split()):
        return None  # (none, or it is the page: its menus and footer would be read as lines)
    copy = deepcopy(tree)
    article = copy.getroottree().xpath(tree.getroottree().getpath(article))[0]
    written = [box for box in [article, *article.iterdescendants(*_CONTAINERS)] if _paragraphs_of_loose_text(box)]
    if sum(len(shown_words(p)) for box in written for p in box.iterchildren("p") if p.get(_MADE)) < _LINE_WORDS:
        return None
    for box in written:  # (its other lines: a <div> a line, in bare <div>s as a text editor nests them)
        for line in list(box.iter("div")):
            if (not any(_is_block(e) for e in line.iterdescendants()) and _is_line(line)
                    and all(e.tag == "div" and not e.attrib for e in _between(line, box))):
                line.tag = "p"
    for made in copy.iter("p"):
        made.attrib.pop(_MADE, None)
    return copy


def keeps(first: str, again: str) -> bool:
    """Whether a second reading keeps (nearly) all the words of the first and adds some."""
    before, after = Counter(first.split()), Counter(again.split())
    lost = sum((before - after).values())
    return lost <= (1 - _KEPT_SHARE) * sum(before.values()) and sum(after.values()) > sum(before.values())


def _article(tree, found: str):
    """The deepest element that holds most of the found main text (its runs of words), looked for
    among those that hold a block of it."""
    found_runs = set(_runs(found.split()))
    holders = set()
    for block in tree.iter(*_READ_BLOCKS):
        if block.tag == "div" and any(_is_block(e) for e in block.iterdescendants()):
            continue
        runs = _runs(shown_words(block))  # (a block of fewer than 5 words is anywhere: "Python", "Home")
        if runs and sum(r in found_runs for r in runs) >= _ARTICLE_SHARE * len(runs):
            holders.update(a for a in block.iterancestors(*_CONTAINERS) if a not in holders)
    for holder in sorted(holders, key=lambda e: sum(1 for _ in e.iterancestors()), reverse=True):
        if len(found_runs.intersection(_runs(shown_words(holder)))) >= _ARTICLE_SHARE * len(found_runs):
            return holder
    return None


def _runs(words: list[str]) -> list[tuple[str, ...]]:
    return [tuple(words[i:i + _LINE_WORDS]) for i in range(len(words) - _LINE_WORDS + 1)]


def _is_block(element) -> bool:
    return isinstance(element.tag, str) and element.tag.lower() in _BLOCKS


def _between(element, box) -> list:
    """The elements between an element and a box that holds it."""
    out = []
    for ancestor in element.iterancestors():
        if ancestor is box:
            return out
        out.append(ancestor)
    return out


def _is_line(element) -> bool:
    """Whether an element's text is a line of prose: a few words, not all of them a link's."""
    shown = len(shown_words(element))
    return shown >= _LINE_MIN and shown > len(" ".join(element.xpath(".//a//text()")).split())


def _paragraphs_of_loose_text(box) -> int:
    """Wraps each line of text between a container's blocks (with its links, emphasis and line
    breaks) in a <p> of its own; the number of lines so wrapped."""
    children = list(box)
    if not any(_is_block(child) for child in children):
        return 0
    runs: list[tuple[str | None, list]] = [(box.text, [])]  # (leading text, inline elements)
    order: list = [runs[0]]
    for child in children:
        if _is_block(child):
            order.append(child)
            runs.append((child.tail, []))
            order.append(runs[-1])
            child.tail = None
        else:
            runs[-1][1].append(child)
    box.text = None
    for child in children:
        box.remove(child)
    lines = 0
    for item in order:
        if not isinstance(item, tuple):
            box.append(item)
            continue
        text, inline = item
        paragraph = box.makeelement("p", {_MADE: "1"})
        paragraph.text = text
        paragraph.extend(inline)
        if _is_line(paragraph):
            box.append(paragraph)
            lines += 1
        else:  # (spaces, an image, a label, a link: left in place)
            inline = list(paragraph)
            if len(box):
                box[-1].tail = (box[-1].tail or "") + (text or "")
            else:
                box.text = (box.text or "") + (text or "")
            box.extend(inline)
    return lines
