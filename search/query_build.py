"""Query tree → Whoosh query, and the terms to mark in the text found.

Word forms come from the same analysers that indexed the text, so a query
finds every form of its words; prefixes and fuzzy words expand into the
corpus's own words (see search.vocabulary) within a budget per query.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass, field

from whoosh import matching
from whoosh import query as wq

from search import schema as S
from search.analysis import fold, is_stop_word, query_positions, script
from search.gazetteer import gazetteer, generic_terms, other_forms
from search.langdata import LANGUAGES
from search.fields import BY_SYNTAX, DATE_RANGE, KEYWORD, LANGUAGE
from search.phrases import Adjacent
from search.query_tree import Filter, MatchAll, Not, ParsedQuery, Text

MAX_EXPANSIONS = 200  # words a prefix or fuzzy term may stand for
MAX_QUERY_EXPANSIONS = 1000  # words all the prefix and fuzzy terms of one query may stand for
MIN_EXPANSIONS = 10  # what each may still stand for once a query has used that up
# The weight of a name's forms in the other language. They only add the
# statements that name it in that language alone (the typed language's
# matches keep their scores); at 4 such statements reach the top 10 for 92%
# of the names measured by bench/cross_language.py on corpus/ (85% at 2).
OTHER_LANGUAGE_BOOST = 4.0


@functools.lru_cache(maxsize=1)
def whoosh_schema():
    """The index schema, built once: its analysers are what queries are analysed with."""
    return S.build_schema()


def analyzer(fieldname: str):
    return whoosh_schema()[fieldname].analyzer


@dataclass
class Highlights:
    """What to mark in text: index terms per field, prefixes, exact word forms."""

    terms: dict[str, set[str]] = field(default_factory=dict)
    prefixes: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)

    def add(self, fieldname: str, term: str) -> None:
        self.terms.setdefault(fieldname, set()).add(term)

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes or self.words)


class QueryBuilder:
    """Turns a parsed query into a Whoosh query and the terms to highlight.

    `vocabulary` (see search.vocabulary) expands prefixes and fuzzy words into
    the corpus's own word forms; without it they become Whoosh's own Prefix
    and FuzzyTerm queries over the index terms.
    """

    def __init__(self, vocabulary=None):
        self.vocabulary = vocabulary
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
        return q, highlights

    def _node(self, node, hl: Highlights, negated: bool):
        if isinstance(node, MatchAll):
            return wq.Every()
        if isinstance(node, Text):
            return self._text(node, hl if not negated else Highlights())
        if isinstance(node, Filter):
            return filter_query(node)
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
        typed = self._typed(node, fields, hl)
        other = self._other_language(node, fields, hl) if self._names else None
        if other is None:
            return typed
        # Statements the typed words find keep their scores; the other
        # language's forms add the statements that have only them.
        return other if typed is None else wq.Or([typed, AndNot(other, typed)])

    def _with_names(self, nodes: list, hl: Highlights, negated: bool) -> list:
        """The queries of an AND's items, where adjacent words typed without quotes
        that make one name (United States) also find its other language's names."""
        out, i = [], 0
        while i < len(nodes):
            run = self._name_run(nodes, i)
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
            other = self._other_language(phrase, list(S.TEXT_FIELDS), hl if not negated else Highlights())
            if other is None:
                out.append(typed)
            else:
                out.append(other if typed is None else wq.Or([typed, AndNot(other, typed)]))
            i += len(run)
        return out

    def _name_run(self, nodes: list, i: int) -> list:
        """The longest run of plain words from `i`, side by side as typed, that is a gazetteer name."""
        run = []
        for node in nodes[i:]:
            if not (isinstance(node, Text) and node.kind == "word" and node.field is None and node.span):
                break
            if run and self._query_text[run[-1].span[1]:node.span[0]].strip():
                break
            run.append(node)
        while len(run) >= 2:
            text = self._query_text[run[0].span[0]:run[-1].span[1]]
            if gazetteer().whole_name(text):
                return run
            run.pop()
        return run[:1]

    def _typed(self, node: Text, fields, hl: Highlights):
        """A word or phrase in the forms of the language it was typed in."""
        if node.kind == "word" and is_stop_word(fold(node.text)):
            return None
        parts = []
        for fieldname in fields:
            positions = query_positions(analyzer(fieldname), node.text)
            if not positions:
                continue
            for alts in positions:
                for term in alts:
                    hl.add(fieldname, term)
            if len(positions) == 1:
                parts.append(_alternatives(fieldname, positions[0]))
            else:  # a phrase, or a word the analyser splits (a hyphenated one)
                parts.append(Adjacent([_alternatives(fieldname, alts) for alts in positions]))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else wq.Or(parts)

    def _other_language(self, node: Text, fields, hl: Highlights):
        """A word or phrase that is a gazetteer name, as that entity's names in the
        other language («НАТО» for "NATO"), at OTHER_LANGUAGE_BOOST; None for other text."""
        ids = gazetteer().whole_name(node.text)
        if not ids:
            return None
        typed = script(fold(node.text))
        parts, seen = [], set()
        for lang in LANGUAGES:
            if lang == typed:
                continue
            forms = [f for i in ids for f in other_forms(i, lang)]
            # Searched where that language is written: its body and the titles.
            for fieldname, form in ((f, form) for f in fields if f in (S.TITLE, S.BODY[lang])
                                    for form in forms):
                positions = query_positions(analyzer(fieldname), form)
                key = (fieldname, tuple(map(tuple, positions)))
                if not positions or key in seen:
                    continue
                seen.add(key)
                for alts in positions:
                    for term in alts:  # ("Republic" of «Республика Армения» alone is not marked)
                        if len(positions) == 1 or term not in generic_terms():
                            hl.add(fieldname, term)
                if len(positions) == 1:
                    parts.append(_alternatives(fieldname, positions[0], OTHER_LANGUAGE_BOOST))
                else:
                    parts.append(Adjacent([_alternatives(fieldname, alts) for alts in positions],
                                          boost=OTHER_LANGUAGE_BOOST))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else wq.Or(parts)

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
            terms = sorted({t for w in words for alts in query_positions(analyzer(fieldname), w)
                            for t in alts})
            for term in terms:
                hl.add(fieldname, term)
            if terms:
                parts.append(wq.Or([wq.Term(fieldname, t) for t in terms]))
        if not parts:
            return wq.NullQuery
        return parts[0] if len(parts) == 1 else wq.Or(parts)


class AndNot(wq.AndNot):
    """Whoosh's AndNot, whose first match is checked against the excluded side
    too: whoosh3 3.54 lets it through when the excluded side starts earlier."""

    def matcher(self, searcher, context=None):
        return _AndNotMatcher(self.a.matcher(searcher, context),
                              self.b.matcher(searcher, searcher.boolean_context()))


class _AndNotMatcher(matching.AndNotMatcher):
    def _find_first(self):
        if self.a.is_active() and self.b.is_active():
            if self.b.id() < self.a.id():
                self.b.skip_to(self.a.id())
            if self.b.is_active() and self.a.id() == self.b.id():
                self._find_next()


class Alternatives(wq.DisjunctionMax):
    """One position's alternative terms (a word's lemmas): any of them matches,
    and a statement scores by the best of those it holds. Whoosh's
    DisjunctionMaxMatcher (whoosh3 3.54) takes the best of its sub-matchers'
    scores wherever they stand, so a lemma the statement lacks lent it its
    score in the next statement that has it."""

    def _matcher(self, subs, searcher, context):
        r = searcher.reader()
        return self._tree_matcher(subs, _BestMatcher, searcher, context,
                                  lambda q: q.estimate_size(r), tiebreak=self.tiebreak)


class _BestMatcher(matching.DisjunctionMaxMatcher):
    def score(self):
        a, b = self.a, self.b
        if not a.is_active():
            return b.score()
        if not b.is_active():
            return a.score()
        a_id, b_id = a.id(), b.id()
        if a_id != b_id:  # (only the one at the current statement matches it)
            return a.score() if a_id < b_id else b.score()
        return max(a.score(), b.score())


def _without_span(node):
    return dataclasses.replace(node, span=None) if isinstance(node, Text) else node


def _alternatives(fieldname: str, terms: list[str], boost: float = 1.0) -> wq.Query:
    """One position's terms: a homonym's lemmas are alternatives, scored by the best."""
    if len(terms) == 1:
        return wq.Term(fieldname, terms[0], boost=boost)
    return Alternatives([wq.Term(fieldname, t) for t in terms], boost=boost)


def filter_query(node: Filter) -> wq.Query:
    """The Whoosh query of a metadata filter."""
    if node.field == "no":
        return wq.Term(S.DOCNO, node.lo)
    f = BY_SYNTAX[node.field]
    if f.kind == DATE_RANGE:
        return date_query(node.lo, node.hi)
    if f.kind in (LANGUAGE, KEYWORD):
        return wq.Term(f.index_field, node.lo)
    return wq.NumericRange(f.index_field, node.lo, node.hi)


def date_query(lo: dt.date | None, hi: dt.date | None) -> wq.Query:
    """Statements dated within [lo, hi]; those known only by year, when it overlaps.

    A statement known only by its year Y has the date key Y0000, which sorts
    before every day of Y: the range catches the years after lo's, and one
    more clause catches lo's own year.
    """
    lo_key, hi_key = date_key_range(lo, hi)
    dated = wq.NumericRange(S.DATEKEY, lo_key, hi_key)
    if lo is None:
        return dated
    first_year = S.date_key(lo.year)
    return wq.Or([dated, wq.NumericRange(S.DATEKEY, first_year, first_year)])


def date_key_range(lo: dt.date | None, hi: dt.date | None) -> tuple[int, int | None]:
    """Date-key bounds of a date range; unknown dates (key 0) never match."""
    lo_key = S.date_key(lo.year, lo.month, lo.day) if lo else 1
    hi_key = S.date_key(hi.year, hi.month, hi.day) if hi else None
    return lo_key, hi_key
