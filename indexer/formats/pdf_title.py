"""A PDF's title as a person sees it on its first page: the first line of
words, a heading that wraps read whole, a running head without its page
number, and no title from a page that opens with a label."""

from __future__ import annotations

import re

from indexer.extract import find_docno, find_heading

TITLE_LINES = 6  # the title is among the first lines of the page
# Letters of one heading differ in height by less than this share; a heading
# stands out when its letters are this many times as high as the page's
# middle letter, and then the lines below it of its height are its own.
SAME_HEIGHT = 0.15
STANDS_OUT = 1.2
# A number this many letter heights apart from the rest of the line is not
# part of it: a running head's page number.
APART = 1.5
MAX_TITLE = 200
_WORD_RE = re.compile(r"[^\W\d_]{3,}")


def _height(b: tuple) -> float:
    return b[3] - b[1]


def _across(line: list[tuple]) -> bool:
    """Whether a line runs across the page (not down it, as a drawing's turned text does)."""
    boxes = [b for _, b in line if b]
    return (max(b[2] for b in boxes) - min(b[0] for b in boxes)
            >= max(b[3] for b in boxes) - min(b[1] for b in boxes))


def _without_page_number(line: list[tuple]) -> list[tuple]:
    """A line without a number standing apart at its start or end (a page number by a running head)."""
    boxed = [k for k, (_, b) in enumerate(line) if b]
    cuts = [k for k, k2 in zip(boxed, boxed[1:])
            if line[k2][1][0] - line[k][1][2] > APART * _height(line[k][1])]
    if not cuts:
        return line
    first, last = cuts[0], cuts[-1]
    head = "".join(ch for ch, _ in line[:first + 1]).strip()
    tail = "".join(ch for ch, _ in line[last + 1:]).strip()
    if tail.isdigit() and len(tail) <= 4:
        line = line[:last + 1]
    if head.isdigit() and len(head) <= 4:
        line = line[first + 1:]
    return line


def _leading_run(line: list[tuple]) -> list[tuple]:
    """The start of a line in the height of its first letter (a heading, not the small print after it)."""
    first = next(b for _, b in line if b)
    for k, (_, b) in enumerate(line):
        if b and abs(_height(b) - _height(first)) > SAME_HEIGHT * _height(first):
            return line[:k]
    return line


def _words(line: list[tuple]) -> str:
    return " ".join("".join(ch for ch, _ in line).split())


def _has_words(text: str) -> bool:
    """Whether a line is words: one of three letters or more, and letters half its characters."""
    visible = text.replace(" ", "")
    return bool(_WORD_RE.search(text)) and sum(map(str.isalpha, visible)) >= 0.5 * len(visible)


def title_of(lines: list[list[tuple]]) -> str | None:
    """The title among a page's first lines (as pdf_layout.page_text gives
    them): the first line of words (its
    leading run in one height, a page number apart left out), with the lines
    right below it in its height when it stands out; "" (no title) when that
    line is a label ("English:"), None when there is no line of words or it is a date."""
    heights = sorted(_height(b) for line in lines for _, b in line if b)
    if not heights:
        return None
    middle = heights[len(heights) // 2]
    for k, line in enumerate(lines[:TITLE_LINES]):
        across = _across(line)
        run = _leading_run(_without_page_number(line)) if across else line
        title = _words(run)
        if not _has_words(title):
            continue
        boxes = [b for _, b in run if b]
        height, bottom = _height(boxes[0]), min(b[1] for b in boxes)
        if across and height >= STANDS_OUT * middle:
            for below in lines[k + 1:]:
                boxes = [b for _, b in below if b]
                if (any(abs(_height(b) - height) > SAME_HEIGHT * height for b in boxes)
                        or bottom - max(b[3] for b in boxes) > height):
                    break
                title += "\n" + _words(below)
                bottom = min(b[1] for b in boxes)
        title = title.strip(" .;,")
        if title.endswith(":"):
            return ""
        if len(title) > MAX_TITLE:
            return None
        found = find_heading([title], find_docno([title]))
        return found[0] if found else None
    return None
