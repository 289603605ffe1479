"""Key terms: the lemmas and stems most over-represented in a search's statements.

Each language's terms in the matching statements (a bounded random sample of
them when they are many) are compared with the whole corpus by Dunning's
log-likelihood (as Rayson and Garside's keyness calculator computes it), with
the counts and sizes on both sides. Counts are the index's own: the sample's
words become terms as the analysers make them (stop words out, every lemma of
a homonym), and the corpus side is each term's frequency in the index, so
both sides count the same things (a sample's forms' terms are read from a
column the indexer writes, search.views.formterms, so no morphology is run).
Abbreviations (ООН, UN, EU) are terms like any other and stay.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import asdict, dataclass, field

import numpy as np

from search import schema as S
from search.exec import storage
from search.lang.analysis import WORD_RE, has_letters
from search.errors import InvalidInput
from search.fields import WHOLE, Param
from search.views.formterms import form_terms, learn
from search.lang.table import LANGUAGE, LANGUAGES
from search.exec.matching import find
from search.query.parser import parse
from search.results import Filters
from search.exec.snapshots import Snapshot
from search.exec.texts import Texts
from search.views.view import View

DEFAULT_SAMPLE = 1000  # statements read when a search finds more
MAX_SAMPLE = 10_000
DEFAULT_LIMIT = 30  # key terms shown per language
MAX_LIMIT = 200
MIN_COUNT = 3  # occurrences in the sample a key term needs
MIN_LL = 10.83  # log-likelihood of p < 0.001 (one degree of freedom)
SAMPLE_SEED = 16  # the same search samples the same statements


@dataclass
class KeyTerm:
    term: str  # the index term: a lemma (Russian) or a stem (English)
    word: str  # how it is most often written in the sample: what a link adds to the query
    count: int  # occurrences in the sample
    corpus_count: int  # occurrences in the whole corpus
    ll: float  # log-likelihood (over-representation only)
    log_ratio: float  # log2 of the ratio of relative frequencies (effect size)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class LanguageKeyTerms:
    lang: str
    tokens: int  # terms counted in the sample
    corpus_tokens: int  # terms in the whole corpus
    terms: list[KeyTerm]

    def as_dict(self) -> dict:
        return {"lang": self.lang, "tokens": self.tokens, "corpus_tokens": self.corpus_tokens,
                "terms": [t.as_dict() for t in self.terms]}


@dataclass
class KeyTerms:
    query: str
    parsed: str
    filters: Filters
    matched: int  # statements the search finds
    sampled: int  # of them, those read (all, up to the sample size)
    corpus: int  # statements in the corpus
    limit: int
    took_ms: float
    languages: list[LanguageKeyTerms]
    notices: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "query": self.query, "parsed": self.parsed, "filters": self.filters.as_dict(),
            "matched": self.matched, "sampled": self.sampled, "corpus": self.corpus,
            "limit": self.limit, "took_ms": round(self.took_ms, 2),
            "languages": [x.as_dict() for x in self.languages], "notices": self.notices,
        }


def log_likelihood(a, b, c, d):
    """Dunning's G² for a term seen a times in c (the sample) and b times in d (the reference).

    Works on numbers or numpy arrays; 0·log 0 is 0.
    """
    a, b, c, d = (np.asarray(x, dtype=np.float64) for x in (a, b, c, d))
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * np.log(a / e1), 0.0)
        t2 = np.where(b > 0, b * np.log(b / e2), 0.0)
    return 2 * (t1 + t2)


def check(sample: int, limit: int) -> None:
    if not 1 <= sample <= MAX_SAMPLE:
        raise InvalidInput(f"sample must be 1 to {MAX_SAMPLE:,} statements")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be 1 to {MAX_LIMIT}")


@dataclass(frozen=True)
class KeyTermsRequest:
    query: str = ""
    filters: Filters | None = None
    raw: bool = False
    sample: int = DEFAULT_SAMPLE  # statements read, at most
    limit: int = DEFAULT_LIMIT  # key terms per language, at most


def keyterms(snap: Snapshot, req: KeyTermsRequest) -> KeyTerms:
    """The key terms of a search, per language."""
    started = time.perf_counter()
    query, raw, sample, limit = req.query, req.raw, req.sample, req.limit
    check(sample, limit)
    filters = Filters() if req.filters is None else req.filters  # (one with only exact_names is falsy)
    parsed = parse(query, raw=raw, registry=snap.registry)
    found = find(snap, parsed, filters, scored=False)
    notices = list(parsed.notices)
    docs = np.flatnonzero(found.final)
    matched = len(docs)
    if parsed.is_empty and not filters:
        notices.append("Give words or filters: key terms compare the statements they find "
                       "with the whole corpus.")
        docs = docs[:0]
    if len(docs) > sample:
        docs = np.sort(np.random.default_rng(SAMPLE_SEED).choice(docs, sample, replace=False))
        notices.append(f"Key terms come from a random sample of {sample:,} of the "
                       f"{matched:,} statements found.")
    searcher = snap.searcher
    # A language filter keeps that language's terms, not only its statements.
    wanted = [lang for lang in LANGUAGES if not filters.langs or lang in filters.langs]
    # Each language's word forms in the sample, counted (each distinct one is
    # analysed once, as the indexer analyses it, or learnt from the index).
    forms: dict[str, Counter] = {lang: Counter() for lang in wanted}
    bodies, form_columns = Texts(searcher), Texts(searcher, S.FORM_TERMS)
    for docnum in docs:
        for lang in wanted:
            text = bodies.text(int(docnum), lang)
            if text:
                found = WORD_RE.findall(text)
                learn(found, form_columns.value(int(docnum), lang), lang)  # (no morphology for them)
                forms[lang].update(found)
    languages = []
    for lang in wanted:
        if forms[lang]:
            found_terms = _language_terms(snap, lang, forms[lang], limit)
            if found_terms is not None:
                languages.append(found_terms)
    return KeyTerms(
        query=query, parsed=str(parsed), filters=filters, matched=matched, sampled=len(docs),
        corpus=int(snap.table.live.sum()), limit=limit,
        took_ms=(time.perf_counter() - started) * 1000, languages=languages, notices=notices,
    )


def _language_terms(snap: Snapshot, lang: str, forms: Counter, limit: int) -> LanguageKeyTerms | None:
    """One language's key terms, from its word forms in the sample."""
    fieldname = S.BODY[lang]
    counts, spellings = count_terms(forms, lang)
    return ranked(lang, counts, spellings, corpus_frequency(snap, fieldname),
                  int(snap.searcher.field_length(fieldname)), limit)


def ranked(lang: str, counts: Counter, spellings: Counter, frequency, corpus_tokens: int,
           limit: int) -> LanguageKeyTerms | None:
    """One language's key terms from a sample's term counts and (term, spelling)
    counts, against a corpus of `corpus_tokens` terms, `frequency(term)` each
    (search/corpus_counts.py gives them from the analysed corpus)."""
    tokens = sum(counts.values())
    if not tokens or not corpus_tokens:
        return None
    candidates = sorted((t for t, n in counts.items()
                         if n >= MIN_COUNT and len(t) > 1 and has_letters(t)),
                        key=lambda t: (-counts[t], t))
    a, b, ll = _scored(frequency, candidates, counts, tokens, corpus_tokens, limit)
    over = (a / tokens > b / corpus_tokens) & (ll >= MIN_LL)
    terms, seen, written = [], set(), commonest(spellings)
    forms_of: dict[str, set[str]] = {}
    for term, form in spellings:
        forms_of.setdefault(term, set()).add(form.lower())
    shown_forms: set[str] = set()
    for i in sorted(np.flatnonzero(over), key=lambda i: (-ll[i], candidates[i])):
        word = shown_word(candidates[i], written[candidates[i]], lang)
        # A homonym's lemmas come from the same forms: a term written only in
        # forms a key term above was written in is those words read another
        # way (a search for «выборы» counts «выборов» under «выбор» too, as the
        # index does), and is not shown again.
        if word.lower() in seen or forms_of[candidates[i]] <= shown_forms:
            continue
        seen.add(word.lower())
        shown_forms |= forms_of[candidates[i]]
        terms.append(KeyTerm(
            term=candidates[i], word=word, count=int(a[i]), corpus_count=int(b[i]),
            ll=round(float(ll[i]), 2),
            log_ratio=round(float(np.log2((a[i] / tokens) / (b[i] / corpus_tokens))), 2)))
        if len(terms) == limit:
            break
    return LanguageKeyTerms(lang, tokens, corpus_tokens, terms)


def _scored(frequency, candidates, counts, tokens, corpus_tokens, limit):
    """(sample counts, corpus counts, log-likelihoods) of the candidates (commonest
    first) that could be among the `limit` best; the rest are never looked up.

    A term seen a times scores at most as if the corpus had it only there
    (b = a), so once that bound falls below the limit-th score found, no rarer
    candidate can enter.
    """
    a = np.array([counts[t] for t in candidates], dtype=np.float64)
    bound = log_likelihood(a, a, tokens, corpus_tokens)
    b = np.full(len(a), np.inf)
    ll = np.zeros(len(a))
    done = 0
    while done < len(a):
        chunk = range(done, min(len(a), done + 4 * limit))
        b[chunk.start:chunk.stop] = [frequency(candidates[i]) for i in chunk]
        b[chunk.start:chunk.stop] = np.maximum(b[chunk.start:chunk.stop], a[chunk.start:chunk.stop])
        done = chunk.stop
        ll[:done] = log_likelihood(a[:done], b[:done], tokens, corpus_tokens)
        over = np.where(a[:done] / tokens > b[:done] / corpus_tokens, ll[:done], 0.0)
        best = np.sort(over)[::-1]
        threshold = max(MIN_LL, best[limit - 1] if len(best) >= limit else MIN_LL)
        if done < len(a) and bound[done] < threshold:
            break
    return a[:done], b[:done], ll[:done]


KEEP_FREQUENCIES = 4  # (commit content, field) pairs whose terms' corpus counts are kept


def count_terms(forms: Counter, lang: str) -> tuple[Counter, Counter]:
    """Each index term's occurrences among some counted word forms of a language,
    and (term, spelling) pairs' occurrences, for how each term is written: a
    hyphenated word gives its whole and its parts, a stop word nothing."""
    counts: Counter = Counter()
    spellings: Counter = Counter()
    for form, n in forms.items():
        for pair in form_terms(form, lang):
            counts[pair[0]] += n
            spellings[pair] += n
    return counts, spellings


def corpus_frequency(snap: Snapshot, fieldname: str):
    """A term's occurrences in the whole corpus, remembered for the commit (by the
    snapshot's index: (commit content, field) → term → corpus count)."""
    searcher = snap.searcher
    kept = snap.kept("keyterms", dict)
    key = (storage.content_key(searcher.reader()), fieldname)
    known = kept.get(key)
    if known is None:
        while len(kept) >= KEEP_FREQUENCIES:
            kept.pop(next(iter(kept)), None)
        known = kept.setdefault(key, {})

    def frequency(term: str) -> int:
        n = known.get(term)
        if n is None:
            n = known[term] = int(searcher.frequency(fieldname, term))
        return n

    return frequency


def commonest(spellings: Counter) -> dict[str, str]:
    """Each term's commonest spelling in the sample (of equally common ones, the one sorting last)."""
    best: dict[str, tuple[int, str]] = {}
    for (term, written), n in spellings.items():
        known = best.get(term)
        if known is None or (n, written) > known:
            best[term] = (n, written)
    return {term: written for term, (_, written) in best.items()}


def shown_word(term: str, written: str, lang: str) -> str:
    """The word a key term is shown as, from its commonest spelling: an abbreviation
    as written (ООН, UN), a Russian lemma as itself, an English stem as written."""
    if len(written) > 1 and written.isupper():
        return written
    if LANGUAGE[lang].morphology and has_letters(term) and not term.isascii():
        return term
    return written


VIEW = View(
    "keyterms", "The key terms of a search, per language: the lemmas and stems most "
    "over-represented in the statements it finds (log-likelihood).",
    KeyTermsRequest, KeyTerms, keyterms,
    params=(
        Param("sample", WHOLE, DEFAULT_SAMPLE, "Statements read when the search finds more "
              "(a random sample).", bounds=(1, MAX_SAMPLE)),
        Param("limit", WHOLE, DEFAULT_LIMIT, "Key terms shown per language.", bounds=(1, MAX_LIMIT)),
    ),
    example={"q": "выборы"},
)
