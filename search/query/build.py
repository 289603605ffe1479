"""Query tree → Whoosh query, and the terms to mark in the text found.

Word forms come from the same analysers that indexed the text, so a query
finds every form of its words; prefixes and fuzzy words expand into the
corpus's own words (see search.exec.vocabulary) within a budget per query.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass, field

from whoosh import query as wq

from search import schema as S
from search.lang.analysis import fold, is_stop_word, query_positions
from search.exec.concept import Concept
from search.lang.gazetteer import gazetteer, other_forms
from search.lang.table import LANGUAGES
from search.fields import DATE_RANGE, KEYWORD, LANGUAGE
from search.query.phrases import Adjacent
from search.query.nodes import Alternatives, AndNot
from search.query.related import with_related
from search.query.tree import FieldCondition, MatchAll, Not, ParsedQuery, Text
from search.registry import BUILT_IN, Registry

MAX_EXPANSIONS = 200  # words a prefix or fuzzy term may stand for
MAX_QUERY_EXPANSIONS = 1000  # words all the prefix and fuzzy terms of one query may stand for
MIN_EXPANSIONS = 10  # what each may still stand for once a query has used that up
# The score of the statements that hold a name's words typed without quotes
# apart (United ... States), naming no such entity, as a share of their
# words' score: they come after the statements that name it (a mention's
# least score, once in a statement ten times the average length, is some
# tenths of the entity's idf; the words' score rarely reaches 30).
WORDS_APART = 0.001
ANALYSED_QUERY_TEXTS = 20_000  # query words and phrases whose analysis per field is kept


@functools.lru_cache(maxsize=1)
def whoosh_schema():
    """The index schema, built once: its analysers are what queries are analysed with."""
    return S.build_schema()


def analyzer(fieldname: str):
    return whoosh_schema()[fieldname].analyzer


@functools.lru_cache(maxsize=ANALYSED_QUERY_TEXTS)
def field_positions(fieldname: str, text: str, exact: bool = False) -> tuple[tuple[str, ...], ...]:
    """`query_positions` of a query word or phrase in a field, memoised: the
    analysers never change, and a word searched again costs a look-up."""
    return tuple(tuple(alts) for alts in query_positions(analyzer(fieldname), text, exact=exact))


@dataclass
class Highlights:
    """What to mark in text: index terms per field, prefixes, exact word forms."""

    terms: dict[str, set[str]] = field(default_factory=dict)
    prefixes: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    # Phrases per field, each its positions' alternative terms: their words are
    # marked only where they stand together, as the phrase matched them.
    phrases: dict[str, set[tuple[frozenset[str], ...]]] = field(default_factory=dict)

    def add(self, fieldname: str, term: str) -> None:
        self.terms.setdefault(fieldname, set()).add(term)

    def add_phrase(self, fieldname: str, positions) -> None:
        self.phrases.setdefault(fieldname, set()).add(tuple(frozenset(alts) for alts in positions))

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes or self.words or self.phrases)


class QueryBuilder:
    """Turns a parsed query into a Whoosh query and the terms to highlight.

    `vocabulary` (see search.exec.vocabulary) expands prefixes and fuzzy words into
    the corpus's own word forms; without it they become Whoosh's own Prefix
    and FuzzyTerm queries over the index terms. Filters are read by `registry`'s
    fields (the index's, for the facets its corpus declares).
    """

    def __init__(self, vocabulary=None, registry: Registry = BUILT_IN):
        self.vocabulary = vocabulary
        self.registry = registry
        self._expansions: dict[tuple, tuple[list, Highlights]] = {}
        self._budget = MAX_QUERY_EXPANSIONS
        self._names, self._query_text = True, ""

    def build(self, parsed: ParsedQuery) -> tuple[wq.Query, Highlights]:
        highlights = Highlights()
        self._expansions, self._budget = {}, MAX_QUERY_EXPANSIONS
        self._names, self._query_text = parsed.names, parsed.text
        if parsed.raw is not None:
            for fieldname, text in parsed.raw.iter_all_terms():
                if fieldname in S.TEXT_FIELDS:
                    highlights.add(fieldname, text.decode() if isinstance(text, bytes) else text)
            return parsed.raw, highlights
        q = self._node(parsed.root, highlights, negated=False)
        if q is None:
            return wq.NullQuery, highlights
        return with_related(q, parsed, self.vocabulary, analyzer), highlights

    def _node(self, node, hl: Highlights, negated: bool):
        if isinstance(node, MatchAll):
            return wq.Every()
        if isinstance(node, Text):
            return self._text(node, hl if not negated else Highlights())
        if isinstance(node, FieldCondition):
            return filter_query(node, self.registry)
        if isinstance(node, Not):
            inner = self._node(node.item, hl, not negated)
            return wq.Not(inner) if inner is not None else None
        # x AND x is x, x OR x is x: a repeated clause is searched once.
        unique: dict = {}
        for x in node.items:
            unique.setdefault(_without_span(x), x)
        if node.op == "and" and self._names:
            items = self._with_names(list(unique.values()), hl, negated)
        else:
            items = [self._node(x, hl, negated) for x in unique.values()]
        items = [x for x in items if x is not None]
        if not items:
            return None
        if node.op == "or":
            return items[0] if len(items) == 1 else wq.Or(items)
        positives = [x for x in items if not isinstance(x, wq.Not)]
        negatives = [x.query for x in items if isinstance(x, wq.Not)]
        base = (positives[0] if len(positives) == 1 else wq.And(positives)) if positives else wq.Every()
        for neg in negatives:
            base = AndNot(base, neg)
        return base

    def _text(self, node: Text, hl: Highlights):
        fields = [S.TITLE] if node.field == "title" else list(S.TEXT_FIELDS)
        if node.kind in ("prefix", "fuzzy"):
            return self._expanded(node, fields, hl)
        if node.kind == "exact":  # (the form as typed: never a name's other forms)
            return _typed_query(self._typed_forms(node, fields, hl), one_word=True)
        typed = self._typed_forms(node, fields, hl)
        names = self._name_forms(node, fields, hl) if self._names else {}
        if not names:
            return _typed_query(typed, one_word=node.kind != "phrase")
        # A name: the entity as one term, all its forms in every language (search.exec.concept).
        return Concept({f: typed.get(f, []) + names.get(f, []) for f in {*typed, *names}})

    def _with_names(self, nodes: list, hl: Highlights, negated: bool) -> list:
        """The queries of an AND's items, where adjacent words typed without quotes
        that make one name (United States) are that entity as one term (the name
        as a phrase, and its other forms in every language); the statements that
        hold the words apart are found too, after them (WORDS_APART)."""
        out, i = [], 0
        while i < len(nodes):
            run = name_run(nodes, i, self._query_text)
            if len(run) < 2:
                out.append(self._node(nodes[i], hl, negated))
                i += 1
                continue
            self._names = False  # (the name's own words: not names on their own here)
            try:
                words = [q for q in (self._node(x, hl, negated) for x in run) if q is not None]
            finally:
                self._names = True
            typed = (words[0] if len(words) == 1 else wq.And(words)) if words else None
            start, end = run[0].span[0], run[-1].span[1]
            phrase = Text("phrase", self._query_text[start:end])
            fields = list(S.TEXT_FIELDS)
            names = self._name_forms(phrase, fields, hl if not negated else Highlights())
            if not names:
                out.append(typed)
            else:
                as_name = self._typed_forms(phrase, fields, Highlights())
                name = Concept({f: as_name.get(f, []) + names.get(f, []) for f in {*as_name, *names}})
                out.append(name if typed is None else
                           wq.Or([name, AndNot(typed.with_boost(typed.boost * WORDS_APART), name)]))
            i += len(run)
        return out

    def _typed_forms(self, node: Text, fields, hl: Highlights) -> dict[str, list]:
        """A word or phrase in the forms of the language it was typed in (those of
        the lemmas `analysis.query_terms` chooses), or, =exact, as typed: per
        field, its positions (each the alternative terms of one word)."""
        if node.kind in ("word", "exact") and is_stop_word(fold(node.text)):
            return {}
        out = {}
        for fieldname in fields:
            positions = field_positions(fieldname, node.text, exact=node.kind == "exact")
            if not positions:
                continue
            if node.kind in ("phrase", "exact") and len(positions) > 1:
                hl.add_phrase(fieldname, positions)
            else:
                for alts in positions:
                    for term in alts:
                        hl.add(fieldname, term)
            out[fieldname] = [tuple(tuple(alts) for alts in positions)]
        return out

    def _name_forms(self, node: Text, fields, hl: Highlights) -> dict[str, list]:
        """A word or phrase that is a gazetteer name, as that entity's forms in every
        language («НАТО» and "North Atlantic Treaty Organization" for "NATO"): per
        field, each form's positions; {} for other text."""
        ids = gazetteer().whole_name(node.text)
        if not ids:
            return {}
        out: dict[str, list] = {}
        for lang in LANGUAGES:
            forms = [f for i in ids for f in other_forms(i, lang)]
            # Searched where that language is written: its body and the titles.
            for fieldname, form in ((f, form) for f in fields if f in (S.TITLE, S.BODY[lang])
                                    for form in forms):
                positions = field_positions(fieldname, form)
                if not positions or positions in out.get(fieldname, ()):
                    continue
                out.setdefault(fieldname, []).append(positions)
                if len(positions) > 1:  # (a name of several words, where they stand together)
                    hl.add_phrase(fieldname, positions)
                else:
                    for term in positions[0]:
                        hl.add(fieldname, term)
        return out

    def _expanded(self, node: Text, fields, hl: Highlights):
        """A prefix or fuzzy word: the corpus words it stands for, in any form.

        A word repeated in a query is expanded once, and all the expansions of
        one query share a budget, so a long query cannot multiply the work.
        """
        key = (node.kind, fold(node.text), node.maxdist, tuple(fields), self.vocabulary is None)
        if key not in self._expansions:
            own = Highlights()
            query = self._expand(node, fields, own)
            self._expansions[key] = (query, own)
        query, own = self._expansions[key]
        hl.prefixes |= own.prefixes
        hl.words |= own.words
        for fieldname, terms in own.terms.items():
            for term in terms:
                hl.add(fieldname, term)
        return query

    def _expand(self, node: Text, fields, hl: Highlights):
        base = fold(node.text)
        limit = max(MIN_EXPANSIONS, min(MAX_EXPANSIONS, self._budget))
        if self.vocabulary is None:
            if node.kind == "prefix":
                hl.prefixes.add(base)
                return wq.Or([wq.Prefix(f, base) for f in fields])
            hl.words.add(base)
            return wq.Or([wq.FuzzyTerm(f, base, maxdist=node.maxdist, prefixlength=1) for f in fields])
        if node.kind == "prefix":
            words = self.vocabulary.prefix_words(base, limit)
            hl.prefixes.add(base)
        else:
            words = self.vocabulary.similar_words(base, node.maxdist, limit)
            hl.words.update(words)
        self._budget -= len(words)
        parts = []
        for fieldname in fields:
            terms = sorted({t for w in words for alts in field_positions(fieldname, w)
                            for t in alts})
            for term in terms:
                hl.add(fieldname, term)
            if terms:
                parts.append(wq.Or([wq.Term(fieldname, t) for t in terms]))
        if not parts:
            return wq.NullQuery
        return parts[0] if len(parts) == 1 else wq.Or(parts)


def name_run(nodes: list, i: int, text: str) -> list:
    """The longest run of plain words from `i`, side by side as typed in `text`,
    that is a gazetteer name (or the one node at `i`)."""
    run = []
    for node in nodes[i:]:
        if not (isinstance(node, Text) and node.kind == "word" and node.field is None and node.span):
            break
        if run and text[run[-1].span[1]:node.span[0]].strip() or len(run) == gazetteer().longest:
            break
        run.append(node)
    while len(run) >= 2:
        if gazetteer().whole_name(text[run[0].span[0]:run[-1].span[1]]):
            return run
        run.pop()
    return run[:1]


def _typed_query(forms: dict[str, list], one_word: bool = False):
    """The query of a word or phrase's typed forms: any field; a phrase's words adjacent.

    A phrase scores the sum of its words' scores; a word the analyser splits
    (`one_word`: a hyphenated one, "up-regulation") scores their mean, as one
    word: typed as one word, it must not weigh as two or three beside the others."""
    parts = []
    for fieldname, (positions,) in forms.items():
        if len(positions) == 1:
            parts.append(_alternatives(fieldname, list(positions[0])))
        else:  # a phrase, or a word the analyser splits (a hyphenated one)
            parts.append(Adjacent([_alternatives(fieldname, list(alts)) for alts in positions],
                                  boost=one_word_boost(len(positions)) if one_word else 1.0))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def one_word_boost(positions: int) -> float:
    """The factor that makes the summed scores of one word's `positions` parts their mean."""
    return 1.0 / positions


def _without_span(node):
    return dataclasses.replace(node, span=None) if isinstance(node, Text) else node


def _alternatives(fieldname: str, terms: list[str]) -> wq.Query:
    """One position's terms: a homonym's lemmas are alternatives, scored by the best."""
    if len(terms) == 1:
        return wq.Term(fieldname, terms[0])
    return Alternatives([wq.Term(fieldname, t) for t in terms])


def filter_query(node: FieldCondition, registry: Registry = BUILT_IN) -> wq.Query:
    """The Whoosh query of a metadata filter, its field one of `registry`'s."""
    if node.field == "no":
        return wq.Term(S.DOCNO, node.lo)
    f = registry.by_syntax[node.field]
    if f.kind == DATE_RANGE:
        return date_query(node.lo, node.hi)
    if f.kind in (LANGUAGE, KEYWORD):
        return wq.Term(f.index_field, node.lo)
    return wq.NumericRange(f.index_field, node.lo, node.hi)


def date_query(lo: dt.date | None, hi: dt.date | None) -> wq.Query:
    """Statements dated within [lo, hi]; those known only by their year, when the
    range covers that whole year (see date_key_range)."""
    lo_key, hi_key, partial_year = date_key_range(lo, hi)
    dated = wq.NumericRange(S.DATEKEY, lo_key, hi_key)
    if partial_year is None:
        return dated
    return AndNot(dated, wq.NumericRange(S.DATEKEY, partial_year, partial_year))


def date_key_range(lo: dt.date | None, hi: dt.date | None) -> tuple[int, int | None, int | None]:
    """(first key, last key, a year-only key inside them to leave out) of a date range.

    A statement known only by its year Y has the key Y0000, which sorts before
    every day of Y: a range from 1 January of Y starts at Y0000, so it takes
    them; one from a later day does not. A range ending before 31 December of
    Y would take them too: the third value leaves them out. Unknown dates (key
    0) never match.
    """
    lo_key = 1 if lo is None else (
        S.date_key(lo.year) if (lo.month, lo.day) == (1, 1) else S.date_key(lo.year, lo.month, lo.day))
    hi_key = S.date_key(hi.year, hi.month, hi.day) if hi else None
    partial = S.date_key(hi.year) if hi and (hi.month, hi.day) != (12, 31) else None
    return lo_key, hi_key, partial if partial is not None and partial >= lo_key else None
