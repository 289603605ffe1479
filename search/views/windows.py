"""The words around a match, within a sentence: what collocations count and what
the concordance's `near` filter keeps, computed the same way for both.

A text's words are WORD_RE's (stop words among them: a window of 5 is 5 words
as read). A sentence ends at `.`, `!`, `?` or `…` (with any closing quote or
bracket) followed by a space or line break, and at a blank line; a window
never crosses one. A word's terms are the index's (search.views.formterms: a
lemma or stem each, every lemma of a homonym, none for a stop word), learnt
from the statement's FORM_TERMS column, so no morphology runs at query time.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from search.lang.analysis import WORD_RE
from search import schema as S
from search.views.formterms import form_terms, known, learn
from search.lang.table import LANGUAGES
from search.exec.texts import Texts, decode

SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'»”’)\]]*(?=\s)|\n[ \t]*\n")


@dataclass
class Words:
    """One text's words: their offsets, forms and sentences."""

    starts: list[int]
    ends: list[int]
    forms: list[str]
    sentences: list[int]  # each word's sentence, counted from 0


def words(text: str, lang: str, column_value: bytes | None = None) -> Words:
    """The words of a text; their forms' terms are learnt from its column value when given."""
    starts, ends, forms = [], [], []
    for m in WORD_RE.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
        forms.append(m.group())
    if column_value is not None and forms:
        learn(forms, column_value, lang)
    stops = [m.end() for m in SENTENCE_END.finditer(text)]
    return Words(starts, ends, forms, [bisect_right(stops, s) for s in starts])


REACH = 16  # characters a word takes at most, on average, in a stretch read around a match


def words_around(text: str, lang: str, column_value: bytes, spans: list[tuple[int, int]], span: int) -> Words:
    """The words of the stretches of a text around some matches (each far enough to
    hold their windows), without reading the rest of a long text: the same windows
    as `words(text)` gives. A form not met yet is learnt from the column value."""
    reach = REACH * span + 64
    stretches: list[list[int]] = []
    for start, end in spans:
        lo, hi = max(0, start - reach), min(len(text), end + reach)
        if stretches and lo <= stretches[-1][1]:
            stretches[-1][1] = max(stretches[-1][1], hi)
        else:
            stretches.append([lo, hi])
    starts, ends, forms, sentences = [], [], [], []
    for k, (lo, hi) in enumerate(stretches):
        # Out to the nearest spaces, so no word is cut; each stretch's sentences its own.
        while lo > 0 and not text[lo - 1].isspace():
            lo -= 1
        while hi < len(text) and not text[hi].isspace():
            hi += 1
        stops = [m.end() for m in SENTENCE_END.finditer(text, lo, hi)]
        first = len(starts)
        for m in WORD_RE.finditer(text, lo, hi):
            starts.append(m.start())
            ends.append(m.end())
            forms.append(m.group())
            sentences.append(k * 1_000_000 + bisect_right(stops, m.start()))
        if first < len(starts) and ((lo > 0 and sentences[first] == k * 1_000_000)
                                     or (hi < len(text) and sentences[-1] == k * 1_000_000 + len(stops))):
            edge_words = _open_edges(starts, sentences, first, spans, span, lo, hi, len(text))
            if edge_words:  # a window might reach past the stretch: read the whole text
                return words(text, lang, column_value)
    if not known(forms, lang):
        learn(WORD_RE.findall(text), column_value, lang)
    return Words(starts, ends, forms, sentences)


def _open_edges(starts, sentences, first, spans, span, lo, hi, length) -> bool:
    """Whether a match in the stretch text[lo:hi] (words from `first`) has fewer than
    `span` words between it and an edge of the stretch that no sentence end closes."""
    for start, end in spans:
        if not lo <= start < hi:
            continue
        at = bisect_right(starts, start, first) - 1
        past = bisect_right(starts, end - 1, first)
        if lo > 0 and at - span < first and sentences[max(at, first)] == sentences[first]:
            return True
        if hi < length and past + span > len(starts) and sentences[past - 1] == sentences[-1]:
            return True
    return False


def window(w: Words, start: int, end: int, span: int) -> tuple[range, range]:
    """(the match's own words, the words of its window): the `span` words each side
    of the match at text[start:end], within its sentence."""
    first = bisect_right(w.ends, start)  # the first word ending after the match starts
    last = bisect_left(w.starts, end)  # one past the last word starting before it ends
    if first >= last:
        return range(first, first), range(first, first)
    sentence = w.sentences[first]
    lo, hi = max(0, first - span), min(len(w.forms), last + span)
    while w.sentences[lo] != sentence:
        lo += 1
    while w.sentences[hi - 1] != w.sentences[last - 1]:
        hi -= 1
    return range(first, last), range(lo, hi)


def spelled(w: Words, start: int, end: int, span: int, lang: str) -> Iterator[tuple[str, str]]:
    """(term, as written) of the words in a match's window, the match's own left out
    (one per word and term: a word written twice in it gives its terms twice)."""
    own, around = window(w, start, end, span)
    for i in around:
        if i not in own:
            yield from form_terms(w.forms[i], lang)


def statement_windows(snap, docs, langs, starts, ends, span: int) -> Iterator[tuple[range, str, Words]]:
    """(the occurrences' indices, language, the words around them) for each run of occurrences
    of one statement and language (parallel arrays, grouped so): each text is read once."""
    bodies, form_columns = Texts(snap.searcher), Texts(snap.searcher, S.FORM_TERMS)
    at = 0
    while at < len(docs):
        nxt = at
        while nxt < len(docs) and docs[nxt] == docs[at] and langs[nxt] == langs[at]:
            nxt += 1
        docnum, lang = int(docs[at]), LANGUAGES[langs[at]]
        yield range(at, nxt), lang, words_around(
            decode(bodies.value(docnum, lang)), lang, form_columns.value(docnum, lang),
            list(zip(starts[at:nxt].tolist(), ends[at:nxt].tolist())), span)
        at = nxt


def near(snap, docs, langs, starts, ends, term: str, span: int):
    """Which occurrences (parallel arrays, grouped by statement and language) have
    `term` among the terms of their window: the concordance's `near` filter."""
    keep = np.zeros(len(docs), dtype=bool)
    for indices, lang, found in statement_windows(snap, docs, langs, starts, ends, span):
        for i in indices:
            keep[i] = any(t == term for t, _ in spelled(found, int(starts[i]), int(ends[i]), span, lang))
    return keep
