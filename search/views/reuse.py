"""Text reuse of a search: the statements it finds that share a passage of at
least 12 words (by lemma) with another statement, and the pairs, earlier
statement first, so a researcher sees who said it first.

The passages are the commit's (search.views.passages: found from the lemma columns the
indexer writes, boilerplate left out); a pair is listed when either statement
is found by the search (`within=corpus`), or only when both are (`within=found`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from search.views import passages as R
from search import schema as S
from search.fields import CHOICE, WHOLE, Param, ParameterError
from search.exec.matching import find
from search.query.parser import parse
from search.results import Filters
from search.views.reuse_lists import Spans, order_key
from search.views.view import View

DEFAULT_LIMIT = 50  # pairs listed
MAX_LIMIT = 1000
ORDERS = ("date", "words")  # earliest statement first, or most words shared first
WITHIN = ("corpus", "found")  # the other statement anywhere, or among those found too


@dataclass
class Said:
    """One statement of a pair."""

    id: str
    title: str
    date: str | None

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "date": self.date}


@dataclass
class PairPassage:
    lang: str
    words: int
    earlier: object  # search.views.reuse_lists.Side, in the earlier statement
    later: object  # in the later one

    def as_dict(self) -> dict:
        return {"lang": self.lang, "words": self.words, "earlier": self.earlier.as_dict(),
                "later": self.later.as_dict()}


@dataclass
class Pair:
    """Two statements sharing passages, the earlier first (by date; undated last; then by id)."""

    earlier: Said
    later: Said
    words: int  # words shared, over all passages
    passages: list[PairPassage]

    def as_dict(self) -> dict:
        return {"earlier": self.earlier.as_dict(), "later": self.later.as_dict(), "words": self.words,
                "passages": [p.as_dict() for p in self.passages]}


@dataclass
class Reusing:
    """A statement found that shares passages."""

    id: str
    title: str
    date: str | None
    others: int  # statements it shares passages with
    words: int  # words it shares, over all its passages

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "date": self.date, "others": self.others, "words": self.words}


@dataclass
class Reuse:
    query: str
    parsed: str
    filters: Filters
    matched: int  # statements the search finds
    reusing: int  # of them, those sharing a passage
    total_pairs: int
    total_passages: int
    boilerplate_left_out: int  # passages of the found statements' texts left out as boilerplate
    boilerplate_limit: dict[str, int]  # per language: a passage in more statements than this is boilerplate
    order: str
    within: str
    limit: int | None
    statements: list[Reusing]  # the `limit` sharing the most words
    pairs: list[Pair]  # the first `limit` pairs in `order`
    took_ms: float
    passage_words: int = R.PASSAGE_WORDS
    boilerplate_share: float = R.BOILERPLATE_SHARE
    notices: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "query": self.query, "parsed": self.parsed, "filters": self.filters.as_dict(),
            "matched": self.matched, "reusing": self.reusing, "total_pairs": self.total_pairs,
            "total_passages": self.total_passages, "shown": len(self.pairs), "limit": self.limit,
            "order": self.order, "within": self.within, "passage_words": self.passage_words,
            "boilerplate_left_out": self.boilerplate_left_out, "boilerplate_limit": self.boilerplate_limit,
            "boilerplate_share": self.boilerplate_share, "statements": [s.as_dict() for s in self.statements],
            "pairs": [p.as_dict() for p in self.pairs],
            "notices": self.notices, "took_ms": round(self.took_ms, 2),
        }


@dataclass(frozen=True)
class ReuseRequest:
    query: str = ""
    filters: Filters | None = None
    raw: bool = False
    limit: int | None = DEFAULT_LIMIT  # pairs listed (None: every one, for the CSV)
    order: str = "date"
    within: str = "corpus"


def reuse(snap, req: ReuseRequest) -> Reuse:
    """The pairs of statements sharing passages where the search finds one (or both) of them."""
    started = time.perf_counter()
    if req.limit is not None and not 1 <= req.limit <= MAX_LIMIT:
        raise ParameterError("limit", f"must be between 1 and {MAX_LIMIT:,}")
    for name, value, choices in (("order", req.order, ORDERS), ("within", req.within, WITHIN)):
        if value not in choices:
            raise ParameterError(name, f"{value!r} is not one of {', '.join(choices)}")
    filters = Filters() if req.filters is None else req.filters
    parsed = parse(req.query, raw=req.raw, registry=snap.registry)
    found = find(snap, parsed, filters, scored=False).final
    pairs: dict[tuple[int, int], list[tuple[R.Table, int]]] = {}
    boilerplate, limits = 0, {}
    for lang in S.REUSE:
        t = R.table(snap, lang)
        limits[lang] = t.boilerplate_limit
        boilerplate += int(t.boilerplate[found].sum())
        hit = (found[t.a] & found[t.b]) if req.within == "found" else (found[t.a] | found[t.b])
        for i in np.flatnonzero(hit):
            pairs.setdefault((int(t.a[i]), int(t.b[i])), []).append((t, int(i)))
    searcher, datekey = snap.searcher, snap.table.datekey
    stored: dict[int, dict] = {}

    def fields_of(d: int) -> dict:
        if d not in stored:
            stored[d] = searcher.stored_fields(d)
        return stored[d]

    ids = _Ids(fields_of)
    ordered = {}
    for (a, b), found_in in pairs.items():
        first, second = sorted((a, b), key=lambda d: order_key(datekey, ids, d))
        ordered[(first, second)] = (sum(int(t.words[i]) for t, i in found_in), found_in)
    if req.order == "words":
        keys = sorted(ordered, key=lambda k: (-ordered[k][0], order_key(datekey, ids, k[0]),
                                              order_key(datekey, ids, k[1])))
    else:
        keys = sorted(ordered, key=lambda k: (order_key(datekey, ids, k[0]), order_key(datekey, ids, k[1])))
    shown = keys if req.limit is None else keys[:req.limit]
    spans = Spans(snap)
    listed = [_pair(first, second, *ordered[(first, second)], spans, fields_of) for first, second in shown]
    per_statement: dict[int, list[int]] = {}
    for (first, second), (words, _) in ordered.items():
        for d in (first, second):
            if found[d]:
                entry = per_statement.setdefault(d, [0, 0])
                entry[0] += 1
                entry[1] += words
    top = sorted(per_statement, key=lambda d: (-per_statement[d][1], order_key(datekey, ids, d)))
    statements = [Reusing(ids[d], fields_of(d).get(S.TITLE, ""), fields_of(d).get(S.DATE),
                          *per_statement[d]) for d in (top if req.limit is None else top[:req.limit])]
    return Reuse(
        query=req.query, parsed=str(parsed), filters=filters, matched=int(found.sum()),
        reusing=len(per_statement), total_pairs=len(ordered),
        total_passages=sum(len(v[1]) for v in ordered.values()), boilerplate_left_out=boilerplate,
        boilerplate_limit=limits, order=req.order, within=req.within, limit=req.limit,
        statements=statements, pairs=listed, took_ms=(time.perf_counter() - started) * 1000,
        notices=list(parsed.notices))


class _Ids:
    """A statement's id by document number, read from its stored fields when first asked for."""

    def __init__(self, fields_of):
        self._fields_of = fields_of

    def __getitem__(self, docnum: int) -> str:
        return self._fields_of(docnum).get(S.ID, "")


def _pair(first: int, second: int, words: int, found_in, spans: Spans, fields_of) -> Pair:
    passages = []
    for t, i in found_in:
        passages.append(PairPassage(t.lang, int(t.words[i]), *spans.sides(t, i, first)))
    passages.sort(key=lambda p: (p.lang, p.earlier.start))

    def said(d: int) -> Said:
        f = fields_of(d)
        return Said(f.get(S.ID, ""), f.get(S.TITLE, ""), f.get(S.DATE))

    return Pair(said(first), said(second), words, passages)


CSV_COLUMNS = ("earlier_id", "earlier_date", "later_id", "later_date", "lang", "words",
               "earlier_text", "later_text", "earlier_title", "later_title")  # one row per passage

VIEW = View(
    "reuse", "Text reuse: the pairs of statements sharing passages of at least 12 words (by lemma, "
    "boilerplate left out) where the search finds one of them, the earlier statement first.",
    ReuseRequest, Reuse, reuse,
    params=(
        Param("limit", WHOLE, DEFAULT_LIMIT, "Pairs listed, and statements (the CSV lists every "
              "passage).", bounds=(1, MAX_LIMIT)),
        Param("order", CHOICE, "date", "date (the earlier statement's date first) or words "
              "(most words shared first).", choices=ORDERS),
        Param("within", CHOICE, "corpus", "corpus (the other statement anywhere) or found (both "
              "found by the search).", choices=WITHIN),
    ),
    csv_columns=CSV_COLUMNS,
    example={"q": "territorial integrity", "collection": "UN General Debate"},
)
