"""What one statement shares with others ("Also said in"), and the passages
of a pair as text, from a commit's tables of shared passages (search.views.passages).

A passage is given in both statements' own words (they may differ in
inflection), with its character offsets and an extract: the passage marked
with <mark>, a little context either side, escaped HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np

from search.views import passages as R
from search import schema as S
from search.exec.texts import Texts

CONTEXT_CHARS = 80  # characters of context either side of a passage in an extract
_MARK = '<mark class="reuse">'  # a passage's mark (a search's matches are plain <mark>)
LONGEST_SHOWN = 600  # a longer passage is shown by its two ends in an extract (its text is whole)


@dataclass
class Side:
    """A passage in one statement's text."""

    start: int  # character offsets in the statement's text in the passage's language
    end: int
    text: str
    extract_html: str  # the passage marked, with context

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "extract_html": self.extract_html}


@dataclass
class Passage:
    lang: str
    words: int
    here: Side  # in the statement asked about (or, in a pair, the earlier one)
    there: Side  # in the other statement (or the later one)


@dataclass
class Other:
    """Another statement sharing passages with the one asked about."""

    id: str
    title: str
    date: str | None
    relation: str  # the other against this one: "earlier", "later", "same date", "same year" (dates known by year) or "undated"
    passages: list[Passage]

    @property
    def words(self) -> int:
        return sum(p.words for p in self.passages)

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "date": self.date, "relation": self.relation,
                "words": self.words,
                "passages": [{"lang": p.lang, "words": p.words, "here": p.here.as_dict(),
                              "there": p.there.as_dict()} for p in self.passages]}


@dataclass
class StatementReuse:
    """A statement's "Also said in": the others sharing passages with it, earliest first."""

    id: str
    others: list[Other]
    boilerplate_left_out: int  # passages of its text left out as boilerplate
    boilerplate_limit: dict[str, int]  # per language: more statements than this make a passage boilerplate
    passage_words: int = R.PASSAGE_WORDS
    boilerplate_share: float = R.BOILERPLATE_SHARE
    boilerplate_min: int = R.BOILERPLATE_MIN

    def as_dict(self) -> dict:
        return {"id": self.id, "statements": len(self.others),
                "passages": sum(len(o.passages) for o in self.others),
                "passage_words": self.passage_words, "boilerplate_left_out": self.boilerplate_left_out,
                "boilerplate_limit": self.boilerplate_limit, "boilerplate_share": self.boilerplate_share,
                "others": [o.as_dict() for o in self.others]}


def order_key(datekey: np.ndarray, ids: list, docnum: int) -> tuple:
    """Earliest first: by date (undated last), then by id."""
    key = int(datekey[docnum])
    return (key == 0, key, ids[docnum])


def relation(datekey: np.ndarray, here: int, there: int) -> str:
    a, b = int(datekey[here]), int(datekey[there])
    if not a or not b:
        return "undated"
    if a == b:  # (a date known by its year alone is YYYY0000)
        return "same year" if a % 10000 == 0 else "same date"
    return "earlier" if b < a else "later"


class Spans:
    """The passages' sides in one snapshot: each statement's text read once per request."""

    def __init__(self, snap):
        self.texts = Texts(snap.searcher)
        self._found: dict[tuple[int, str], str] = {}

    def side(self, docnum: int, lang: str, start: int, end: int) -> Side:
        key = (docnum, lang)
        if key not in self._found:
            self._found[key] = self.texts.text(docnum, lang)
        text = self._found[key]
        return Side(start, end, text[start:end], extract_html(text, start, end))

    def sides(self, t: R.Table, i: int, docnum: int) -> tuple[Side, Side]:
        """Passage i of table t: (in `docnum`, its statement a or b; in the other)."""
        a_start, a_end, b_start, b_end = (int(n) for n in t.chars[i])
        a = self.side(int(t.a[i]), t.lang, a_start, a_end)
        b = self.side(int(t.b[i]), t.lang, b_start, b_end)
        return (a, b) if int(t.a[i]) == docnum else (b, a)


def extract_html(text: str, start: int, end: int) -> str:
    """The passage text[start:end] marked, with context cut at spaces, escaped."""
    lo = max(0, start - CONTEXT_CHARS)
    if lo:
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    hi = min(len(text), end + CONTEXT_CHARS)
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else hi
    inner = text[start:end]
    if len(inner) > LONGEST_SHOWN:
        half = LONGEST_SHOWN // 2
        marked = f"{_MARK}{escape(inner[:half])}</mark> … {_MARK}{escape(inner[-half:])}</mark>"
    else:
        marked = f"{_MARK}{escape(inner)}</mark>"
    return ("…" if lo else "") + escape(text[lo:start]) + marked + escape(text[end:hi]) + ("…" if hi < len(text) else "")


def statement_reuse(snap, doc_id: str) -> StatementReuse | None:
    """The statements sharing passages with `doc_id`, earliest first; None when there is no such statement."""
    searcher = snap.searcher
    docnum = searcher.document_number(**{S.ID: doc_id})
    if docnum is None:
        return None
    datekey = snap.table.datekey
    spans = Spans(snap)
    by_other: dict[int, list[Passage]] = {}
    boilerplate, limits = 0, {}
    for lang in S.REUSE:
        t = R.table(snap, lang)
        limits[lang] = t.boilerplate_limit
        boilerplate += int(t.boilerplate[docnum]) if docnum < len(t.boilerplate) else 0
        for i in t.of(docnum):
            other = int(t.b[i]) if int(t.a[i]) == docnum else int(t.a[i])
            by_other.setdefault(other, []).append(Passage(lang, int(t.words[i]), *spans.sides(t, int(i), docnum)))
    stored = {d: searcher.stored_fields(d) for d in by_other}
    ids = {d: fields.get(S.ID, "") for d, fields in stored.items()}
    others = [
        Other(id=ids[d], title=stored[d].get(S.TITLE, ""), date=stored[d].get(S.DATE),
              relation=relation(datekey, docnum, d),
              passages=sorted(by_other[d], key=lambda p: (p.lang, p.here.start)))
        for d in sorted(by_other, key=lambda d: order_key(datekey, ids, d))]
    return StatementReuse(id=doc_id, others=others, boilerplate_left_out=boilerplate, boilerplate_limit=limits)
