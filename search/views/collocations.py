"""Collocations: the lemmas (Russian) and stems (English) standing near a search's
matches, per language, ranked by log-likelihood, MI or t-score.

A match is a concordance line's (search.views.occurrences: the character offsets the
index keeps). Its window is the `window` words on each side within its
sentence (search.views.windows), the match's own words left out. Per language:
O is a term's occurrences in the windows; E = f(node) · f(collocate) · 2·window / N,
with f(node) the matches read, f(collocate) the term's occurrences in the
corpus and N the corpus's terms (Evert's window-based expected frequency);
LL is Dunning's G² on the 2×2 table of (in windows, elsewhere) × (the term,
other terms); MI = log2(O/E); t = (O − E)/√O. Terms come from each
statement's FORM_TERMS column, as key terms count them (stop words have none).
When the matches are in more statements than `sample`, a seeded random sample of
them is read, and the answer says so.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import asdict, dataclass, field

import numpy as np

from search.views import occurrences
from search import schema as S
from search.lang.analysis import has_letters
from search.fields import CHOICE, WHOLE, Param
from search.lang.table import LANGUAGES
from search.exec.matching import find
from search.query.parser import parse
from search.results import Filters
from search.exec.snapshots import Snapshot
from search.views.keyterms import commonest, corpus_frequency, shown_word
from search.views.view import View
from search.views.windows import spelled, statement_windows
from search.views.windows import window as around
from search.exec.distinct import distinct

MEASURES = ("ll", "mi", "t")
DEFAULT_WINDOW = 5  # words each side, as CQPweb's default
MAX_WINDOW = 10
DEFAULT_MIN_FREQ = 5  # O a collocate needs, as CQPweb's default
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
DEFAULT_SAMPLE = 1000  # statements read when the matches are in more
MAX_SAMPLE = 10_000
SAMPLE_SEED = 25


@dataclass
class Collocate:
    term: str  # the index term: a lemma (Russian) or a stem (English)
    word: str  # how it is most often written in the windows
    observed: int  # O: its occurrences in the windows
    expected: float  # E
    corpus_count: int  # f(collocate): its occurrences in the corpus
    lines: int  # the matches with it in their window (what its concordance link shows)
    ll: float
    mi: float
    t: float

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class LanguageCollocates:
    lang: str
    nodes: int  # f(node): the matches read in this language
    window_tokens: int  # the words their windows hold, the matches' own left out
    corpus_tokens: int  # N
    collocates: list[Collocate]

    def as_dict(self) -> dict:
        return {"lang": self.lang, "nodes": self.nodes, "window_tokens": self.window_tokens,
                "corpus_tokens": self.corpus_tokens, "collocates": [c.as_dict() for c in self.collocates]}


@dataclass
class Collocations:
    query: str
    parsed: str
    filters: Filters
    window: int
    measure: str
    min_freq: int
    limit: int
    matched: int  # statements the search finds
    statements: int  # of them, those with a match in their text
    read: int  # of those, the statements read (all, up to `sample`)
    sampled: bool
    took_ms: float
    languages: list[LanguageCollocates]
    notices: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__ if k not in ("languages", "filters")}
        out.update(filters=self.filters.as_dict(), took_ms=round(self.took_ms, 2),
                   languages=[x.as_dict() for x in self.languages])
        return out


@dataclass(frozen=True)
class CollocationsRequest:
    query: str = ""
    filters: Filters | None = None
    raw: bool = False
    window: int = DEFAULT_WINDOW
    measure: str = "ll"
    min_freq: int = DEFAULT_MIN_FREQ
    limit: int = DEFAULT_LIMIT
    sample: int = DEFAULT_SAMPLE


def scores(o, e, f_node_span, f_coll, n):
    """(LL, MI, t) for observed o and expected e, from the 2×2 table of the windows'
    f_node_span words against the corpus's n, of which f_coll are the collocate's.

    Works on numbers or numpy arrays; 0·log 0 is 0.
    """
    o, e, r1, c1, n = (np.asarray(x, dtype=np.float64) for x in (o, e, f_node_span, f_coll, n))
    cells = ((o, r1 * c1 / n), (r1 - o, r1 * (n - c1) / n), (c1 - o, (n - r1) * c1 / n),
             (n - r1 - c1 + o, (n - r1) * (n - c1) / n))
    with np.errstate(divide="ignore", invalid="ignore"):
        ll = 2 * sum(np.where(obs > 0, obs * np.log(obs / exp), 0.0) for obs, exp in cells)
        mi = np.log2(o / e)
        t = (o - e) / np.sqrt(o)
    return ll, mi, t


def collocations(snap: Snapshot, req: CollocationsRequest) -> Collocations:
    """The collocates of a search's matches, per language."""
    started = time.perf_counter()
    filters = Filters() if req.filters is None else req.filters
    parsed = parse(req.query, raw=req.raw, registry=snap.registry)
    found = find(snap, parsed, filters, scored=False)
    notices = list(parsed.notices)
    if parsed.is_empty:
        notices.append("Give words to find: collocations are the words near their matches.")
    patterns = occurrences.patterns(snap, parsed, found.highlights)
    if filters.langs:  # a language filter keeps that language's matches, not only its statements
        patterns = {f: v for f, v in patterns.items() if f in {S.BODY[x] for x in filters.langs}}
    docs, langs, starts, ends = occurrences.occurrences(snap.searcher, patterns, found.final)
    having = distinct(docs)
    chosen = having
    if len(having) > req.sample:
        chosen = np.sort(np.random.default_rng(SAMPLE_SEED).choice(having, req.sample, replace=False))
        keep = np.isin(docs, chosen)
        docs, langs, starts, ends = docs[keep], langs[keep], starts[keep], ends[keep]
        notices.append(f"Collocations come from a random sample of {req.sample:,} of the "
                       f"{len(having):,} statements with a match.")
    counts = {lang: (Counter(), Counter(), Counter()) for lang in LANGUAGES}  # O, lines, spellings
    nodes, spans = Counter(), Counter()
    for indices, lang, w in statement_windows(snap, docs, langs, starts, ends, req.window):
        observed, lines, spellings = counts[lang]
        for i in indices:
            here = list(spelled(w, int(starts[i]), int(ends[i]), req.window, lang))
            spellings.update(here)
            observed.update(term for term, _ in here)
            lines.update({term for term, _ in here})
            nodes[lang] += 1
            spans[lang] += _span(w, int(starts[i]), int(ends[i]), req.window)
    languages = [found_lang for lang in LANGUAGES if nodes[lang]
                 for found_lang in [_language(snap, lang, nodes[lang], spans[lang], *counts[lang], req)]]
    return Collocations(
        query=req.query, parsed=str(parsed), filters=filters, window=req.window, measure=req.measure,
        min_freq=req.min_freq, limit=req.limit, matched=found.total, statements=len(having),
        read=len(chosen), sampled=len(chosen) < len(having),
        took_ms=(time.perf_counter() - started) * 1000, languages=languages, notices=notices)


def _span(w, start: int, end: int, window: int) -> int:
    """The words of a match's window, its own left out."""
    own, where = around(w, start, end, window)
    return len(where) - len(own)


def _language(snap, lang, f_node, window_tokens, observed, lines, spellings, req) -> LanguageCollocates:
    """One language's collocates, from its counts in the windows."""
    fieldname = S.BODY[lang]
    n = int(snap.searcher.field_length(fieldname))
    terms = sorted(t for t, o in observed.items() if o >= req.min_freq and len(t) > 1 and has_letters(t))
    frequency = corpus_frequency(snap, fieldname)
    o = np.array([observed[t] for t in terms], dtype=np.float64)
    f = np.array([max(frequency(t), observed[t]) for t in terms], dtype=np.float64)
    r1 = f_node * 2 * req.window
    e = f_node * f * 2 * req.window / max(n, 1)
    ll, mi, t = scores(o, e, r1, f, max(n, r1 + 1))
    rank = {"ll": ll, "mi": mi, "t": t}[req.measure]
    written = commonest(spellings)  # (shown as key terms show them: a lemma as itself, an abbreviation as written)
    chosen = sorted((i for i in range(len(terms)) if o[i] > e[i]), key=lambda i: (-rank[i], terms[i]))
    forms_of: dict[str, set[str]] = {}
    for term, form in spellings:
        forms_of.setdefault(term, set()).add(form.lower())
    collocates, shown_forms = [], set()
    for i in chosen:
        # A homonym's lemmas come from the same forms: a term written only in forms a
        # collocate above was written in is those words read another way («после» as
        # «посол»), and is not listed again (as key terms do).
        if forms_of[terms[i]] <= shown_forms:
            continue
        shown_forms |= forms_of[terms[i]]
        collocates.append(Collocate(
            term=terms[i], word=shown_word(terms[i], written.get(terms[i], terms[i]), lang), observed=int(o[i]),
            expected=round(float(e[i]), 4), corpus_count=int(f[i]), lines=lines[terms[i]],
            ll=round(float(ll[i]), 2), mi=round(float(mi[i]), 3), t=round(float(t[i]), 3)))
        if len(collocates) == req.limit:
            break
    return LanguageCollocates(lang, f_node, window_tokens, n, collocates)


CSV_COLUMNS = ("lang", "term", "word", "observed", "expected", "corpus_count", "lines", "ll", "mi", "t",
               "concordance_url")

VIEW = View(
    "collocations", "The collocates of a search's matches, per language: the lemmas and stems within "
    "a window of words around them in their sentence, by log-likelihood, MI or t-score.",
    CollocationsRequest, Collocations, collocations,
    params=(
        Param("window", WHOLE, DEFAULT_WINDOW, "Words each side of a match, within its sentence.",
              bounds=(1, MAX_WINDOW)),
        Param("measure", CHOICE, "ll", "What ranks collocates: ll (log-likelihood), mi (mutual "
              "information) or t (t-score).", choices=MEASURES),
        Param("min_freq", WHOLE, DEFAULT_MIN_FREQ, "Co-occurrences (O) a collocate needs.",
              bounds=(1, 1000)),
        Param("limit", WHOLE, DEFAULT_LIMIT, "Collocates shown per language.", bounds=(1, MAX_LIMIT)),
        Param("sample", WHOLE, DEFAULT_SAMPLE, "Statements read when the matches are in more "
              "(a random sample).", bounds=(1, MAX_SAMPLE)),
    ),
    csv_columns=CSV_COLUMNS,
    example={"q": "выборы"}, csv_example={"q": "ceasefire", "lang": "en"},
)
