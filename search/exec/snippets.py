"""Marked fragments and marked whole statements, as escaped HTML.

A word is marked when it was indexed under a term the query searched for in
that field, so «выборов» is marked for the query «выборы», and the words a
prefix or fuzzy term stood for are marked too. All other text is
HTML-escaped; `<mark>` is the only markup produced.

Body text is marked from the character offsets the index stores with each
term (`index_marks`): no re-analysis, and a match deep in a long statement is
found as cheaply as one at its start. Short texts without stored offsets
(titles) are marked by analysing them (`Marker`).
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from html import escape

from search import schema as S
from search.lang.analysis import (
    PART_RE, WORD_RE, exact_term, fold, fold_text, is_capitalised, is_stop_word, word_terms,
)

from search.exec.postings import at_statements, occurrences_at
from search.query.build import Highlights, analyzer
from search.results import Snippet

FRAGMENT_CHARS = 240
MAX_FRAGMENTS = 3
_LEAD = 60  # characters of context before a fragment's first match
PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]*)*")  # lines up to a blank line


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    key: str  # what matched (a term, a prefix or a word): counts distinct matches


_UNSEEN = object()
_FIELD_LANG = {fieldname: lang for lang, fieldname in S.BODY.items()}  # (the title: None, mixed text)


@functools.lru_cache(maxsize=200_000)
def _readings(form: str, capitalised: bool, lang: str | None) -> tuple[str, bool, tuple[str, ...]]:
    """A word form as a query's marks judge it, the same for every query: the
    word folded, whether it is a stop word in `lang`, and the terms it is
    indexed under, its exact form's first."""
    word = fold(form)
    return word, is_stop_word(word, lang), (exact_term(word), *word_terms(word, capitalised, lang))


class Marker:
    """Finds the words to mark in a text, for one query."""

    def __init__(self, highlights: Highlights):
        self.hl = highlights
        self._prefixes = tuple(sorted(highlights.prefixes))
        self._memo: dict[str, dict[str, str | None]] = {}  # field → a word as written → what it matched

    def _judge(self, word: str, fieldname: str, capitalised: bool = False) -> str | None:
        """What a word form (folded as a text is, written in capitals, or not)
        matches in a field (a term, its exact form, a prefix or a word), or None."""
        word, stop, candidates = _readings(word, capitalised, _FIELD_LANG.get(fieldname))
        if word in self.hl.words:
            return word
        for prefix in self._prefixes:
            if word.startswith(prefix):
                return prefix
        terms = self.hl.terms.get(fieldname)
        if not terms or stop:
            return None
        for term in candidates:
            if term in terms:
                return term
        return None

    def marks(self, text: str, fieldname: str) -> list[Mark]:
        """Matches in `text`, in order; a compound is marked whole when it
        matches whole, else its matching parts are.

        Each distinct word form is judged once per query, so a long statement
        costs one regular-expression pass and a dictionary look-up a word.
        """
        if not self.hl:
            return []
        memo = self._memo.setdefault(fieldname, {})
        out: list[Mark] = self._phrase_marks(text, fieldname)
        for m in WORD_RE.finditer(fold_text(text)):  # same length: offsets carry over
            start, end = m.span()
            written = text[start:end]  # (the memo's key: folding and capitals follow from it)
            key = memo.get(written, _UNSEEN)
            if key is _UNSEEN:
                key = memo[written] = self._judge(m.group(), fieldname, is_capitalised(written))
            if key is not None:
                out.append(Mark(start, end, key))
            elif "-" in m.group():
                for part in PART_RE.finditer(m.group()):
                    part_start, part_end = start + part.start(), start + part.end()
                    written = text[part_start:part_end]
                    key = memo.get(written, _UNSEEN)
                    if key is _UNSEEN:
                        key = memo[written] = self._judge(part.group(), fieldname, is_capitalised(written))
                    if key is not None:
                        out.append(Mark(part_start, part_end, key))
        return _without_overlaps(out) if self.hl.phrases.get(fieldname) else out

    def _phrase_marks(self, text: str, fieldname: str) -> list[Mark]:
        """The words of the query's phrases where they stand together in `text`,
        found by analysing it as the index does (titles have no stored offsets)."""
        phrases = self.hl.phrases.get(fieldname)
        if not phrases:
            return []
        # Each term's (position, start, end), as the token chain gives them in index mode.
        found = analyzer(fieldname).term_postings(text, title=True)
        out = []
        for n, phrase in enumerate(sorted(phrases, key=repr)):
            slots: list[dict[int, tuple[int, int]]] = [{} for _ in phrase]
            for slot, alts in zip(slots, phrase):
                for term in alts:
                    for pos, start, end in found.get(term, ()):
                        slot[pos] = _widest(slot.get(pos), start, end)
            out += phrase_marks(slots, f"phrase {n}")
        return out


def index_marks(searcher, docnums, highlights: Highlights, cache=None) -> dict[int, dict[str, list[Mark]]]:
    """Marks in the body fields of some statements, from the index's offsets.

    One posting list is read per query term, skipping forward through the
    (sorted) statements, so the cost grows with the terms, not the text. With
    `cache` (a PostingsCache), each term's offsets are read once per segment
    and kept: a page of hits then reads nothing from the posting lists.
    """
    found: dict[int, dict[str, list[Mark]]] = {d: {} for d in docnums}
    wanted = sorted(found)
    for fieldname in S.BODY.values():
        for term in sorted(highlights.terms.get(fieldname, ())):
            for docnum, chars in _characters(searcher, cache, fieldname, term, wanted):
                marks = found[docnum].setdefault(fieldname, [])
                marks.extend(Mark(start, end, term) for _, start, end in chars)
        for n, phrase in enumerate(sorted(highlights.phrases.get(fieldname, ()), key=repr)):
            # Per word of the phrase: statement → {position: (start, end)}.
            slots: list[dict[int, dict[int, tuple[int, int]]]] = [{} for _ in phrase]
            for slot, alts in zip(slots, phrase):
                for term in sorted(alts):
                    for docnum, chars in _characters(searcher, cache, fieldname, term, wanted):
                        at = slot.setdefault(docnum, {})
                        for pos, start, end in chars:
                            at[pos] = _widest(at.get(pos), start, end)
            for docnum in set.intersection(*(set(slot) for slot in slots)):
                found[docnum].setdefault(fieldname, []).extend(
                    phrase_marks([slot[docnum] for slot in slots], f"phrase {n}"))
    for by_field in found.values():
        for fieldname, marks in by_field.items():
            by_field[fieldname] = _without_overlaps(marks)
    return found


def _characters(searcher, cache, fieldname: str, term: str, wanted):
    """(docnum, its occurrences of the term as (position, start, end)) for the statements of `wanted`."""
    if cache is not None:
        yield from occurrences_at(searcher, cache, fieldname, term, wanted)
        return
    for docnum, postings in at_statements(searcher, fieldname, term, wanted):
        yield docnum, postings.value_as("characters")


def _widest(old: tuple[int, int] | None, start: int, end: int) -> tuple[int, int]:
    """A position's characters: a compound and its first part share one, and the compound spans both."""
    return (start, end) if old is None else (min(old[0], start), max(old[1], end))


def phrase_marks(slots: list[dict[int, tuple[int, int]]], key: str) -> list[Mark]:
    """A mark on each word of each occurrence of a phrase, where `slots[k]` maps
    the positions of its k-th word to their characters: the words at
    consecutive positions, as the phrase matched them."""
    out = []
    for pos in sorted(slots[0]):
        if all(pos + k in slots[k] for k in range(1, len(slots))):
            out.extend(Mark(*slots[k][pos + k], key) for k in range(len(slots)))
    return out


def _without_overlaps(marks: list[Mark]) -> list[Mark]:
    """In text order; where marks overlap (a compound and its part), the first and longest."""
    out: list[Mark] = []
    for m in sorted(marks, key=lambda m: (m.start, -m.end)):
        if not out or m.start >= out[-1].end:
            out.append(m)
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


def mark_paragraphs(text: str, marks: list[Mark]) -> list[str]:
    """A whole section as paragraphs of escaped HTML with the marks marked."""
    out = []
    for m in PARAGRAPH.finditer(text):
        html = render(text, marks, m.start(), m.end())
        out.append(html.replace("\n", "<br>"))
    return out


def snippets(sections: list[tuple[str, str]], marks_by_field: dict[str, list[Mark]],
             max_fragments: int = MAX_FRAGMENTS) -> list[Snippet]:
    """Up to `max_fragments` fragments from the sections that matched, best
    first by distinct matches, shown in reading order. With no match at all,
    the opening of the first section."""
    candidates = []
    for order, (lang, text) in enumerate(sections):
        marks = marks_by_field.get(S.BODY[lang], [])
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
