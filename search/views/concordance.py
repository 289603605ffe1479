"""The concordance: every occurrence of a search's words in the statements it finds.

Each line is left context | match | right context (search.views.kwic), with the
statement's id, title, date and language, and, for a bilingual statement,
the paragraph of its other language at the same place (search.views.align).
Occurrences come from the character offsets the index stores with each term,
as snippets do: the statements' text is never analysed again. Lines are
sorted by date, or alphabetically by the words left or right of the match
(nearest first, as CQPweb and AntConc sort), and paged.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from search.views import occurrences
from search import schema as S
from search.exec import storage
from search.views.align import Sections
from search.errors import InvalidInput
from search.fields import CHOICE, PAGE, TEXT, WHOLE, Param
from search.views.kwic import context, flat, words_beside
from search.lang.table import LANGUAGES
from search.exec.matching import find
from search.query.parser import parse
from search.query.tree import ParsedQuery
from search.results import Filters
from search.exec.snapshots import Snapshot
from search.exec.snippets import Mark, render
from search.exec.texts import Texts, compressed, decode
from search.views.view import View
from search.views.windows import near
from search.exec.distinct import distinct

SORTS = ("-date", "date", "left", "right")  # newest first, oldest first, by the words beside
UNITS = ("words", "chars")
DEFAULT_WIDTH = {"words": 8, "chars": 60}
MAX_WIDTH = {"words": 40, "chars": 400}
DEFAULT_PER_PAGE = 100
DEFAULT_WINDOW, MAX_WINDOW = 5, 10  # the `near` filter's words each side, as collocations count them
MAX_PER_PAGE = 1000


@dataclass
class Aligned:
    """The other language's paragraphs at the place of a line, marked (escaped HTML)."""

    lang: str
    paragraphs: list[int]  # their indices in that language's section, from 0
    text: str
    html: str


@dataclass
class Line:
    id: str
    title: str
    date: str | None
    lang: str
    start: int  # the match's character offsets in the stored text of its language
    end: int
    left: str
    match: str
    right: str
    paragraph: int  # the match's paragraph in its language's section, from 0
    aligned: Aligned | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Concordance:
    query: str
    parsed: str
    filters: Filters
    sort: str
    width: int
    unit: str
    page: int
    per_page: int
    total: int  # lines, on every page
    statements: int  # the statements the lines come from
    matched: int  # the statements the search finds (some match only in their title)
    took_ms: float
    lines: list[Line]
    notices: list[str] = field(default_factory=list)
    near: str = ""  # only the lines with this term within `window` words (search.views.windows)
    window: int = DEFAULT_WINDOW

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def as_dict(self) -> dict:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "lines"}
        out.update(filters=self.filters.as_dict(), pages=self.pages, took_ms=round(self.took_ms, 2),
                   lines=[x.as_dict() for x in self.lines])
        return out


@dataclass(frozen=True)
class ConcordanceRequest:
    query: str = ""
    filters: Filters = field(default_factory=Filters)
    sort: str = "-date"
    width: int | None = None  # None: the unit's default
    unit: str = "words"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    raw: bool = False
    near: str = ""  # a term (a collocate's): only the lines with it within `window` words
    window: int = DEFAULT_WINDOW

    def checked(self) -> ConcordanceRequest:
        """This request with its width filled in; InvalidInput naming what to change."""
        if self.sort not in SORTS:
            raise InvalidInput(f"sort must be one of {', '.join(SORTS)}")
        if self.unit not in UNITS:
            raise InvalidInput(f"unit must be one of {', '.join(UNITS)}")
        width = DEFAULT_WIDTH[self.unit] if self.width is None else self.width
        if not 1 <= width <= MAX_WIDTH[self.unit]:
            raise InvalidInput(f"width must be 1 to {MAX_WIDTH[self.unit]} {self.unit}")
        if self.page < 1 or not 1 <= self.per_page <= MAX_PER_PAGE:
            raise InvalidInput(f"page must be 1 or more and per_page 1 to {MAX_PER_PAGE}")
        if not 1 <= self.window <= MAX_WINDOW:
            raise InvalidInput(f"window must be 1 to {MAX_WINDOW} words")
        return replace(self, width=width, near=self.near.strip().lower())


@dataclass
class Plan:
    """Every occurrence of one request, in the order asked for (parallel arrays)."""

    req: ConcordanceRequest
    parsed: ParsedQuery
    matched: int
    docs: np.ndarray
    langs: np.ndarray  # index into LANGUAGES
    starts: np.ndarray
    ends: np.ndarray
    notices: list[str]
    content: tuple  # the commit's content key (storage.content_key)
    texts: dict = field(default_factory=dict)  # docnum → (what is shown, sections), read once
    by_doc: dict = field(default_factory=dict)  # docnum → the indices of its occurrences


KEEP_PLANS = 8  # recent requests whose sorted occurrences are kept, so paging is cheap
KEEP_TEXT_CHARS = 8_000_000  # statements' text kept between requests, in characters


class Kept:
    """What one open index keeps between concordance requests (a snapshot's `kept`):
    the last few plans, and the statements' texts most recently read."""

    def __init__(self):
        self.lock = threading.Lock()
        self.plans: OrderedDict = OrderedDict()  # (commit content, what finds and orders the lines) → Plan
        # (commit content, docnum, language) → a long (compressed) text; (commit content, docnum,
        # None) → what a line shows of a statement besides (id, title, date, languages).
        self.texts: OrderedDict = OrderedDict()
        self.chars = 0

    def keep(self, key: tuple, value) -> None:
        with self.lock:
            if key in self.texts:
                return
            self.texts[key] = value
            self.chars += _size(value)
            while self.chars > KEEP_TEXT_CHARS and len(self.texts) > 1:
                self.chars -= _size(self.texts.popitem(last=False)[1])

    def recall(self, key: tuple):
        """A kept text (or what a line shows of a statement), or None."""
        with self.lock:
            found = self.texts.get(key)
            if found is not None:
                self.texts.move_to_end(key)
            return found

    def clear(self, plans_only: bool = False) -> None:
        """Forgets the plans (and, unless `plans_only`, the texts): for benchmarks of first requests."""
        with self.lock:
            self.plans.clear()
            if not plans_only:
                self.texts.clear()
                self.chars = 0


def kept(snap: Snapshot) -> Kept:
    """The concordance's cache of the snapshot's index."""
    return snap.kept("concordance", Kept)


def plan(snap: Snapshot, req: ConcordanceRequest) -> Plan:
    """Every occurrence of the query's words in the statements it finds, sorted;
    the last few plans are kept, so the next page of one costs only its lines."""
    req = req.checked()
    content = storage.content_key(snap.searcher.reader())
    key = (content, req.query, repr(req.filters), req.sort, req.raw, req.near, req.window)
    cache = kept(snap)
    with cache.lock:
        found = cache.plans.get(key)
        if found is not None:
            cache.plans.move_to_end(key)
            return replace(found, req=req, texts={}, by_doc={})
    made = _plan(snap, req)
    with cache.lock:
        cache.plans[key] = replace(made, texts={})
        while len(cache.plans) > KEEP_PLANS:
            cache.plans.popitem(last=False)
    return made


def _plan(snap: Snapshot, req: ConcordanceRequest) -> Plan:
    parsed = parse(req.query, raw=req.raw, registry=snap.registry)
    found = find(snap, parsed, req.filters, scored=False)
    notices = list(parsed.notices)
    if parsed.is_empty:
        notices.append("Give words to find: the concordance lists their occurrences.")
    patterns = occurrences.patterns(snap, parsed, found.highlights)
    if req.filters.langs:  # a language filter keeps that language's lines, not only its statements
        patterns = {f: v for f, v in patterns.items() if f in {S.BODY[x] for x in req.filters.langs}}
    docs, langs, starts, ends = occurrences.occurrences(snap.searcher, patterns, found.final)
    if req.near:
        keep = near(snap, docs, langs, starts, ends, req.near, req.window)
        docs, langs, starts, ends = docs[keep], langs[keep], starts[keep], ends[keep]
    p = Plan(req, parsed, found.total, docs, langs, starts, ends, notices,
             storage.content_key(snap.searcher.reader()))
    _sort(snap, p)
    return p


def page(snap: Snapshot, req: ConcordanceRequest) -> Concordance:
    """One page of a request's concordance."""
    started = time.perf_counter()
    p = plan(snap, req)
    req = p.req
    first = (req.page - 1) * req.per_page
    lines = list(lines_of(snap, p, first, first + req.per_page))
    return Concordance(
        query=req.query, parsed=str(p.parsed), filters=req.filters, sort=req.sort,
        width=req.width, unit=req.unit, page=req.page, per_page=req.per_page,
        total=len(p.docs), statements=len(distinct(p.docs)), matched=p.matched,
        took_ms=(time.perf_counter() - started) * 1000, lines=lines, notices=p.notices,
        near=req.near, window=req.window,
    )


def lines_of(snap: Snapshot, p: Plan, first: int = 0, last: int | None = None) -> Iterator[Line]:
    """The plan's lines first..last (all by default), built as they are read."""
    last = len(p.docs) if last is None else min(last, len(p.docs))
    reader = _Reader(snap, p)
    for i in range(first, last):
        docnum, lang = int(p.docs[i]), LANGUAGES[p.langs[i]]
        stored, sections = reader.statement(docnum)
        text = sections.texts.get(lang, "")
        start, end = int(p.starts[i]), int(p.ends[i])
        where = sections.paragraph(lang, start)
        yield Line(
            id=stored[S.ID], title=stored.get(S.TITLE, ""), date=stored.get(S.DATE), lang=lang,
            start=start, end=end, left=context(text, start, p.req.width, p.req.unit, True),
            match=flat(text[start:end]), right=context(text, end, p.req.width, p.req.unit, False),
            paragraph=where, aligned=_aligned(p, docnum, sections, lang, where),
        )
        if len(p.texts) > 2000 and i + 1 < last and p.docs[i + 1] != docnum:
            p.texts.clear()  # (an export of every line keeps only a window of texts)


# --- order -----------------------------------------------------------------------------------


def _sort(snap: Snapshot, p: Plan) -> None:
    if not len(p.docs):
        return
    keys = snap.table.datekey[p.docs].astype(np.int64)
    tie = (p.starts, p.langs, p.docs)
    if p.req.sort == "-date":
        order = np.lexsort((*tie, -keys))
    elif p.req.sort == "date":
        order = np.lexsort((*tie, np.where(keys == 0, np.iinfo(np.int64).max, keys)))
    else:
        # By the words beside the match, then newest first: only the text of
        # the match's language is read, and one sort compares (words, rank).
        left = p.req.sort == "left"
        text = _Reader(snap, p).text
        at = (p.starts if left else p.ends).tolist()
        words = [words_beside(text(d, LANGUAGES[lang]), a, left)
                 for d, lang, a in zip(p.docs.tolist(), p.langs.tolist(), at)]
        newest = np.lexsort((*tie, -keys))
        rank = np.empty(len(newest), dtype=np.int64)
        rank[newest] = np.arange(len(newest))
        pairs = list(zip(words, rank.tolist()))
        order = np.array(sorted(range(len(pairs)), key=pairs.__getitem__), dtype=np.int64)
    p.docs, p.langs, p.starts, p.ends = p.docs[order], p.langs[order], p.starts[order], p.ends[order]


# --- statements and their other language -----------------------------------------------------


_SHOWN = (S.ID, S.TITLE, S.DATE, S.LANG)


class _Reader:
    """What one request's lines show of statements, each read once (search.exec.texts
    for the text), and kept for later requests."""

    def __init__(self, snap: Snapshot, p: Plan):
        self._searcher, self._texts, self._p = snap.searcher, Texts(snap.searcher), p
        self._kept = kept(snap)

    def text(self, docnum: int, lang: str) -> str:
        value = self._texts.value(docnum, lang)
        if not compressed(value):  # (read again as cheaply as it would be found kept)
            return decode(value)
        key = (self._p.content, docnum, lang)
        found = self._kept.recall(key)
        if found is None:
            found = decode(value)
            self._kept.keep(key, found)
        return found

    def statement(self, docnum: int) -> tuple[dict, Sections]:
        """(id, title, date and languages; language sections, cut and aligned once per plan)."""
        found = self._p.texts.get(docnum)
        if found is not None:
            return found
        key = (self._p.content, docnum, None)
        shown = self._kept.recall(key)
        if shown is None:
            fields = self._searcher.stored_fields(docnum)
            shown = {k: fields.get(k) for k in _SHOWN}
            self._kept.keep(key, shown)
        texts = {x: self.text(docnum, x) for x in (shown.get(S.LANG) or "").split() if x in S.TEXT}
        found = self._p.texts[docnum] = (shown, Sections({x: t for x, t in texts.items() if t}))
        return found


_SHOWN_CHARS = 100  # what a statement's id, date and languages count for, besides its title


def _size(value) -> int:
    """The characters a kept text, or what a line shows of a statement, counts for."""
    return len(value) if isinstance(value, str) else len(value.get(S.TITLE) or "") + _SHOWN_CHARS


def _aligned(p: Plan, docnum: int, sections: Sections, lang: str, where: int) -> Aligned | None:
    """The other language's paragraphs that render paragraph `where` of `lang`, marked."""
    found = sections.counterpart(lang, where)
    if found is None:
        return None
    other, chosen, lo, hi = found
    text = sections.texts[other]
    marks = _marks_in(p, docnum, LANGUAGES.index(other), lo, hi)
    return Aligned(other, list(chosen), text[lo:hi], render(text, marks, lo, hi).replace("\n", "<br>"))


def _marks_in(p: Plan, docnum: int, lang_index: int, lo: int, hi: int) -> list[Mark]:
    """The occurrences of the plan in a stretch of one statement's text, as marks."""
    mine = p.by_doc.get(docnum)
    if mine is None:
        mine = p.by_doc[docnum] = np.flatnonzero(p.docs == docnum)
    here = [i for i in mine if p.langs[i] == lang_index and p.starts[i] >= lo and p.ends[i] <= hi]
    return sorted((Mark(int(p.starts[i]), int(p.ends[i]), "") for i in here), key=lambda m: m.start)


def every_line(snap: Snapshot, req: ConcordanceRequest) -> Iterator[Line]:
    """Every line of a request, in order: the plan is made now, the lines as they are read."""
    return lines_of(snap, plan(snap, req))


CSV_COLUMNS = ("id", "title", "date", "lang", "left", "match", "right", "start", "end",
               "aligned_lang", "aligned", "url")

VIEW = View(
    "concordance", "Every occurrence of a search's words in context, paged; a bilingual "
    "statement's other language beside it.",
    ConcordanceRequest, Concordance, page,
    params=(
        Param("sort", CHOICE, "-date", "-date (newest first), date, left or right (the words beside "
              "the match).", choices=SORTS),
        Param("width", WHOLE, None, "Context each side, in the unit (default 8 words, 60 characters).",
              bounds=(1, MAX_WIDTH["words"])),
        Param("unit", CHOICE, "words", "What the width counts: words or chars.", choices=UNITS),
        PAGE,
        Param("per_page", WHOLE, DEFAULT_PER_PAGE, "Lines a page shows.", bounds=(1, MAX_PER_PAGE)),
        Param("near", TEXT, "", "Only the lines with this term (a collocate's) within `window` words of "
              "the match, in its sentence.", max_chars=100),
        Param("window", WHOLE, DEFAULT_WINDOW, "The words each side `near` looks at.", bounds=(1, MAX_WINDOW)),
    ),
    csv_columns=CSV_COLUMNS, lines=every_line,
    example={"q": "выборы", "sort": "left"}, csv_example={"q": "elections"},
    bounds=lambda name, values: (1, MAX_WIDTH[values.get("unit") or "words"]) if name == "width" else None,
)
