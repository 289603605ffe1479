"""The words beside a match in a concordance line: its contexts and its sort keys.

Contexts are whole words (a width in words, or the words within a width in
characters), with the punctuation that opens or closes them, on one line.
Sort keys are the folded words nearest the match, outwards, as CQPweb and
AntConc compare them.
"""

from __future__ import annotations

import re

from search.lang.analysis import WORD_RE, fold_text

SORT_WORDS = 4  # words beside the match an alphabetical sort compares
_WORDISH = re.compile(r"[\w\u0300-\u036f\u00ad\-\u2010\u2011'\u2019\u02bc]")
_SPACES = re.compile(r"\s+")


def words_beside(text: str, at: int, left: bool) -> tuple[str, ...]:
    """The folded words nearest a match, outwards: what an alphabetical sort compares."""
    if left:
        lo = max(0, at - 40 * SORT_WORDS)
        window = fold_text(text[lo:at])
        words = WORD_RE.findall(window)
        if words and lo > 0 and _WORDISH.match(text, lo - 1) and window.startswith(words[0]):
            words.pop(0)  # (cut by the window)
        return tuple(words[:-SORT_WORDS - 1:-1])
    hi = min(len(text), at + 40 * SORT_WORDS)
    window = fold_text(text[at:hi])
    words = WORD_RE.findall(window)
    if words and hi < len(text) and _WORDISH.match(text, hi) and window.endswith(words[-1]):
        words.pop()
    return tuple(words[:SORT_WORDS])


def _complete_words(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """(start, end) of the words lying wholly within text[lo:hi]."""
    spans = [m.span() for m in WORD_RE.finditer(text, lo, hi)]
    if spans and lo > 0 and spans[0][0] == lo and _WORDISH.match(text, lo - 1):
        spans.pop(0)
    if spans and hi < len(text) and spans[-1][1] == hi and _WORDISH.match(text, hi):
        spans.pop()
    return spans


def context(text: str, at: int, width: int, unit: str, left: bool) -> str:
    """The words beside a match (`width` of them, or those within `width`
    characters), whole, with the punctuation that opens or closes them («, »)."""
    reach = width if unit == "chars" else 12 * width + 40
    while True:
        lo, hi = (max(0, at - reach), at) if left else (at, min(len(text), at + reach))
        spans = _complete_words(text, lo, hi)
        if unit == "chars" or len(spans) > width or (lo == 0 if left else hi == len(text)):
            break
        reach *= 2
    if unit == "words":
        spans = spans[-width:] if left else spans[:width]
    if left:
        begin = spans[0][0] if spans else at
        while begin > 0 and not text[begin - 1].isspace() and not _WORDISH.match(text, begin - 1):
            begin -= 1
        return flat(text[begin:at])
    finish = spans[-1][1] if spans else at
    while finish < len(text) and not text[finish].isspace() and not _WORDISH.match(text, finish):
        finish += 1
    return flat(text[at:finish])


def flat(text: str) -> str:
    """Line breaks and runs of spaces as one space: a line is one line."""
    return _SPACES.sub(" ", text)
