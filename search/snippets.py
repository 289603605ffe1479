"""Marked fragments and marked whole statements, as escaped HTML.

A word is marked when it analyses to a term the query searched for in that
field (so «выборов» is marked for the query «выборы»), when it starts with a
query prefix, or when it is one of the words a fuzzy term stood for. All
other text is HTML-escaped; `<mark>` is the only markup produced.

Statements are scanned whole, so a match deep in a long statement still
gives a fragment; word analysis is memoised per marker.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from html import escape

from search import schema as S
from search.analysis import is_stop_word, spans as word_spans, word_terms
from search.query import Highlights
from search.results import Snippet

FRAGMENT_CHARS = 240
MAX_FRAGMENTS = 3
_LEAD = 60  # characters of context before a fragment's first match


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    key: str  # what matched (a term, a prefix or a word): counts distinct matches


class Marker:
    """Finds the words to mark in a text, for one query."""

    def __init__(self, highlights: Highlights):
        self.hl = highlights
        self._memo: dict[tuple[str, str], str | None] = {}

    def _match(self, fieldname: str, word: str) -> str | None:
        key = (fieldname, word)
        if key in self._memo:
            return self._memo[key]
        found = None
        if word in self.hl.words:
            found = word
        else:
            for prefix in self.hl.prefixes:
                if word.startswith(prefix):
                    found = prefix
                    break
        if found is None:
            terms = self.hl.terms.get(fieldname)
            lang = next((lang for lang, f in S.BODY.items() if f == fieldname), None)
            if terms and not is_stop_word(word, lang):
                found = next((t for t in word_terms(word) if t in terms), None)
        self._memo[key] = found
        return found

    def marks(self, text: str, fieldname: str) -> list[Mark]:
        """Matches in `text`, in order, without overlaps (a compound's whole
        word wins over its parts)."""
        if not self.hl:
            return []
        out: list[Mark] = []
        for start, end, word in word_spans(text):
            key = self._match(fieldname, word)
            if key is None:
                continue
            if out and start < out[-1].end:
                continue  # a part of a compound already marked whole
            out.append(Mark(start, end, key))
        return out


def render(text: str, marks: list[Mark], start: int = 0, end: int | None = None) -> str:
    """text[start:end] escaped, with the marks inside it wrapped in <mark>."""
    end = len(text) if end is None else end
    out, pos = [], start
    for m in marks:
        if m.start < start or m.end > end:
            continue
        out.append(escape(text[pos : m.start]))
        out.append(f"<mark>{escape(text[m.start : m.end])}</mark>")
        pos = m.end
    out.append(escape(text[pos:end]))
    return "".join(out)


def mark_title(title: str, marker: Marker | None) -> str:
    return render(title, marker.marks(title, S.TITLE) if marker else [])


def mark_paragraphs(text: str, fieldname: str, marker: Marker | None) -> list[str]:
    """A whole section as paragraphs of escaped HTML with every match marked."""
    marks = marker.marks(text, fieldname) if marker else []
    out = []
    for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]*)*", text):
        html = render(text, marks, m.start(), m.end())
        out.append(html.replace("\n", "<br>"))
    return out


def snippets(sections: list[tuple[str, str]], marker: Marker,
             max_fragments: int = MAX_FRAGMENTS) -> list[Snippet]:
    """Up to `max_fragments` fragments from the sections that matched, best
    first by distinct matches, shown in reading order. With no match at all,
    the opening of the first section."""
    candidates = []
    for order, (lang, text) in enumerate(sections):
        marks = marker.marks(text, S.BODY[lang])
        for window in _windows(text, marks):
            candidates.append((window[0], order, lang, text, marks, window[1], window[2]))
    candidates.sort(key=lambda c: (-c[0], c[1], c[5]))
    chosen = []
    for cand in candidates:
        _, order, _, _, _, start, end = cand
        if any(o == order and start < e and s < end for _, o, _, _, _, s, e in chosen):
            continue
        chosen.append(cand)
        if len(chosen) == max_fragments:
            break
    if not chosen:
        if not sections:
            return []
        lang, text = sections[0]
        start, end = _snap(text, 0, FRAGMENT_CHARS)
        return [Snippet(lang, _fragment_html(text, [], start, end))]
    chosen.sort(key=lambda c: (c[1], c[5]))
    return [Snippet(lang, _fragment_html(text, marks, s, e)) for _, _, lang, text, marks, s, e in chosen]


def _windows(text: str, marks: list[Mark]):
    """(score, start, end) of a fragment around each match."""
    starts = [m.start for m in marks]
    for m in marks:
        lo = max(0, m.start - _LEAD)
        hi = lo + FRAGMENT_CHARS
        inside = marks[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]
        inside = [x for x in inside if x.end <= hi]
        score = 10 * len({x.key for x in inside}) + len(inside)
        start, end = _snap(text, lo, hi)
        yield score, start, end


def _snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Moves a window's edges to word boundaries (a nearby sentence start if any)."""
    end = min(end, len(text))
    if start > 0:
        sentence = max(text.rfind(". ", start - 40, start + 20), text.rfind("\n", start - 40, start + 20))
        if sentence != -1 and sentence + 2 <= start + 20:
            start = sentence + (2 if text[sentence] == "." else 1)
        else:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < start + 20 else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return start, end


def _fragment_html(text: str, marks: list[Mark], start: int, end: int) -> str:
    html = re.sub(r"\s*\n\s*", " ", render(text, marks, start, end))
    if start > 0:
        html = "… " + html
    if end < len(text):
        html += " …"
    return html
