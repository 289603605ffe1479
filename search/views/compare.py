"""Compare: two sets of statements side by side, each a query with its own
filters, or one query split by two values of a facet.

For each set: its size, its key terms against the other set (Dunning's
log-likelihood per language, as search.views.keyterms computes it, with the
counts and sizes of both sides), its facet counts, and its statements per
year as a share of all the year's statements its filters admit (so sets of
different sizes share one chart). One query alone is compared with the rest
of the corpus.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np

from search import schema as S
from search.lang.analysis import WORD_RE, has_letters
from search.fields import MAX_QUERY_CHARS, TEXT, WHOLE, Param, ParameterError
from search.views.formterms import learn
from search.lang.table import LANGUAGES
from search.exec.matching import find
from search.query.parser import parse
from search.results import Filters
from search.exec.texts import Texts
from search.views.keyterms import MIN_COUNT, MIN_LL, SAMPLE_SEED, commonest, count_terms, log_likelihood, shown_word
from search.views.view import View

DEFAULT_SAMPLE = 1000  # statements read of each set, at most
MAX_SAMPLE = 10_000
DEFAULT_LIMIT = 20  # key terms per language and side
MAX_LIMIT = 200
FACET_VALUES = 10  # values of each facet shown side by side
SIDES = ("a", "b")
REST = "the rest of the corpus"


@dataclass
class Term:
    word: str  # how it is most often written on its side (what a link adds)
    term: str
    count: int  # occurrences on its side
    other: int  # occurrences on the other side
    ll: float
    log_ratio: float


@dataclass
class Side:
    name: str  # "a" or "b"
    label: str
    query: str
    filters: Filters
    statements: int  # the set's size
    sampled: int
    tokens: dict[str, int]  # terms counted per language
    terms: dict[str, list[Term]]  # key terms against the other set, per language
    per_year: list[int]  # statements per year of Comparison.years
    year_totals: list[int]  # all the year's statements its filters admit
    rest: bool = False  # the set is everything the other is not

    @property
    def shares(self) -> list[float | None]:
        return [round(c / t, 6) if t else None for c, t in zip(self.per_year, self.year_totals)]

    def as_dict(self) -> dict:
        return {"name": self.name, "label": self.label, "query": self.query, "filters": self.filters.as_dict(),
                "rest": self.rest, "statements": self.statements, "sampled": self.sampled,
                "tokens": self.tokens,
                "terms": {lang: [vars(t) for t in ts] for lang, ts in self.terms.items()},
                "per_year": self.per_year, "year_totals": self.year_totals, "shares": self.shares}


@dataclass
class Comparison:
    sides: list[Side]
    years: list[int]
    facets: dict[str, list[dict]]  # facet → [{value, a, b}], the values commonest on either side
    filters: Filters  # those both sets share
    took_ms: float
    notices: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"sides": [s.as_dict() for s in self.sides], "years": self.years, "facets": self.facets,
                "filters": self.filters.as_dict(), "notices": self.notices, "took_ms": round(self.took_ms, 2)}


@dataclass(frozen=True)
class CompareRequest:
    queries: tuple[str, ...] | list[str] = ()  # A's and B's (one: A against the rest)
    filters: Filters | None = None  # both sets'
    raw: bool = False
    a_filters: Filters | None = None  # A's own (replacing a shared filter of the same facet)
    b_filters: Filters | None = None
    split: str | None = None  # a facet: one query, A and B its two `values`
    values: tuple[str, ...] = ()
    sample: int = DEFAULT_SAMPLE
    limit: int = DEFAULT_LIMIT


def merged(shared: Filters, own: Filters | None, registry) -> Filters:
    """The shared filters with a side's own in place of those of the same facet."""
    if not own:
        return shared
    out = shared
    for f in registry.fields:
        if f.active(own):
            if f.declared:
                declared = dict(out.declared)
                declared[f.name] = f.value(own)
                out = replace(out, declared=tuple(declared.items()))
            else:
                out = replace(out, **{a: getattr(own, a) for a in f.attrs})
    return out


def _sets(snap, req: CompareRequest, shared: Filters):
    """[(label, query, filters)] of A and B, and whether B is the rest."""
    queries = list(req.queries)
    if len(queries) > 2:
        raise ParameterError("q", f"{len(queries)} queries given; compare takes two (a_q and b_q)")
    if req.split is not None:
        f = next((f for f in snap.registry.fields if f.name == req.split and not f.is_range), None)
        if f is None or f.kind not in ("keyword", "year", "integer", "language"):
            names = ", ".join(f.name for f in snap.registry.fields if not f.is_range)
            raise ParameterError("split", f"{req.split!r} is not a facet; one of {names}")
        if len(req.values) != 2:
            raise ParameterError("values", f"gives {len(req.values)} values of {req.split}; a split takes "
                                           "two, comma-separated (values=ARM,AZE)")
        q = queries[0] if queries else ""
        out = []
        for value in req.values:
            parsed = f.parse(f.params[0], value, "values")
            one = Filters(declared=((f.name, (parsed,)),)) if f.declared else Filters(**{f.attrs[0]: (parsed,)})
            out.append((f"{f.label}: {parsed}", q, merged(shared, one, snap.registry)))
        return out, False
    a_q = queries[0] if queries else ""
    a = (a_q or "All statements", a_q, merged(shared, req.a_filters, snap.registry))
    if len(queries) < 2 and not req.b_filters:
        return [a, (REST, "", shared)], True
    b_q = queries[1] if len(queries) > 1 else ""
    return [a, (b_q or "All statements", b_q, merged(shared, req.b_filters, snap.registry))], False


def compare(snap, req: CompareRequest) -> Comparison:
    """Two sets of statements compared: sizes, key terms each against the other, facets, years."""
    started = time.perf_counter()
    for name, value, hi in (("sample", req.sample, MAX_SAMPLE), ("limit", req.limit, MAX_LIMIT)):
        if not 1 <= value <= hi:
            raise ParameterError(name, f"must be between 1 and {hi:,}")
    shared = Filters() if req.filters is None else req.filters
    sets, rest = _sets(snap, req, shared)
    table, notices, masks, universes = snap.table, [], [], []
    everything = parse("", registry=snap.registry)
    for label, q, filters in sets:
        parsed = parse(q, raw=req.raw, registry=snap.registry)
        notices += [f"{label}: {n}" for n in parsed.notices]
        masks.append(find(snap, parsed, filters, scored=False).final)
        universes.append(find(snap, everything, filters, scored=False).final)
    if rest:
        masks[1] = universes[1] & ~masks[0]
    counted = [_forms(snap, mask, req.sample, shared) for mask in masks]
    year = table.year
    dated = (masks[0] | masks[1]) & (year > 0)  # (the years of the sets; the totals' other years are left out)
    lo, hi = (int(year[dated].min()), int(year[dated].max())) if dated.any() else (0, -1)
    size = hi - lo + 1

    def per_year(mask):
        return np.bincount(year[mask & (year >= lo) & (year <= hi)] - lo, minlength=size).tolist() if size > 0 else []

    sides = []
    for n, (label, q, filters) in enumerate(sets):
        forms, sampled = counted[n]
        other, _ = counted[1 - n]
        tokens, terms = {}, {}
        for lang in forms:
            tokens[lang], terms[lang] = _key_terms(forms[lang], other.get(lang, Counter()), lang, req.limit)
        sides.append(Side(SIDES[n], label, q, filters, int(masks[n].sum()), sampled, tokens, terms,
                          per_year(masks[n]), per_year(universes[n]), rest=rest and n == 1))
    if sum(s.sampled < s.statements for s in sides):
        notices.append(f"Key terms come from a random sample of at most {req.sample:,} statements of each set.")
    return Comparison(sides, list(range(lo, hi + 1)), _facets(table, masks), shared,
                      (time.perf_counter() - started) * 1000, notices)


def _forms(snap, mask, sample: int, filters: Filters) -> tuple[dict[str, Counter], int]:
    """Each language's word forms in (a sample of) a set's statements."""
    docs = np.flatnonzero(mask)
    if len(docs) > sample:
        docs = np.sort(np.random.default_rng(SAMPLE_SEED).choice(docs, sample, replace=False))
    wanted = [lang for lang in LANGUAGES if not filters.langs or lang in filters.langs]
    forms = {lang: Counter() for lang in wanted}
    bodies, columns = Texts(snap.searcher), Texts(snap.searcher, S.FORM_TERMS)
    for docnum in docs:
        for lang in wanted:
            text = bodies.text(int(docnum), lang)
            if text:
                found = WORD_RE.findall(text)
                learn(found, columns.value(int(docnum), lang), lang)
                forms[lang].update(found)
    return {lang: c for lang, c in forms.items() if c}, len(docs)


def _key_terms(mine: Counter, theirs: Counter, lang: str, limit: int) -> tuple[int, list[Term]]:
    """(terms counted here, key terms here against there) for one language."""
    counts, spellings = count_terms(mine, lang)
    other, _ = count_terms(theirs, lang)
    here, there = sum(counts.values()), sum(other.values())
    candidates = [t for t, c in counts.items() if c >= MIN_COUNT and len(t) > 1 and has_letters(t)]
    if not here or not there or not candidates:
        return here, []
    a = np.array([counts[t] for t in candidates], dtype=np.float64)
    b = np.array([other.get(t, 0) for t in candidates], dtype=np.float64)
    ll = log_likelihood(a, b, here, there)
    written = commonest(spellings)
    over = [i for i in np.flatnonzero((a / here > b / there) & (ll >= MIN_LL))]
    terms = []
    for i in sorted(over, key=lambda i: (-ll[i], candidates[i]))[:limit]:
        ratio = (a[i] / here) / (max(b[i], 0.5) / there)  # (a term never seen there: as if half once)
        terms.append(Term(shown_word(candidates[i], written[candidates[i]], lang), candidates[i], int(a[i]),
                          int(b[i]), round(float(ll[i]), 2), round(float(np.log2(ratio)), 2)))
    return here, terms


def _facets(table, masks) -> dict[str, list[dict]]:
    """Each counted facet's values commonest on either side, with both sides' counts."""
    a, b = (table.facets(m & table.live, Filters(), {}) for m in masks)
    out = {}
    for name in a:
        ca, cb = ({str(v.value): v.count for v in side.get(name, [])} for side in (a, b))
        values = sorted(set(ca) | set(cb), key=lambda v: (-(ca.get(v, 0) + cb.get(v, 0)), v))[:FACET_VALUES]
        if values:
            out[name] = [{"value": v, "a": ca.get(v, 0), "b": cb.get(v, 0)} for v in values]
    return out


CSV_COLUMNS = ("side", "label", "lang", "word", "term", "count", "other", "tokens", "other_tokens", "ll",
               "log_ratio")

VIEW = View(
    "compare", "Two sets of statements side by side (two queries with their own filters, or one "
    "query split by a facet): sizes, key terms each against the other, facets and years.",
    CompareRequest, Comparison, compare,
    params=(
        Param("a_q", TEXT, "", "Set A's query (the filters prefixed a_ are its own).", max_chars=MAX_QUERY_CHARS),
        Param("b_q", TEXT, "", "Set B's query (the filters prefixed b_ are its own).", max_chars=MAX_QUERY_CHARS),
        Param("split", TEXT, None, "A facet splitting one query q into A and B (with values).", max_chars=100),
        Param("values", TEXT, None, "The split's two values, comma-separated (ARM,AZE).", max_chars=400),
        Param("sample", WHOLE, DEFAULT_SAMPLE, "Statements of each set read for key terms, at most.",
              bounds=(1, MAX_SAMPLE)),
        Param("limit", WHOLE, DEFAULT_LIMIT, "Key terms per language and side.", bounds=(1, MAX_LIMIT)),
    ),
    csv_columns=CSV_COLUMNS, queries=2,
    example={"q": "ceasefire", "split": "country", "values": "ARM,AZE"},
)
