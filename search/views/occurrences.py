"""Every occurrence of a search's words in the statements it finds, from the
character offsets the index stores with each term (the statements' text is
never analysed again): what the concordance's lines are made of."""

from __future__ import annotations

import numpy as np
from whoosh.reading import TermNotFound

from search import schema as S
from search.lang.analysis import fold_text, is_stop_word, query_positions
from search.lang.table import LANGUAGES
from search.query.build import QueryBuilder, analyzer
from search.query.tree import ParsedQuery
from search.exec.snapshots import Snapshot


def patterns(snap: Snapshot, parsed: ParsedQuery, highlights) -> dict[str, list[list[set[str]]]]:
    """Body field → what to find there: each pattern a list of positions, each
    position the set of terms that may stand there (one position: a word)."""
    out: dict[str, list[list[set[str]]]] = {}
    fields = list(S.BODY.values())
    if parsed.raw is not None:
        for fieldname in fields:
            out[fieldname] = [[{t}] for t in sorted(highlights.terms.get(fieldname, ()))]
        return out
    for leaf in parsed.texts():
        if leaf.field == "title":
            continue
        if leaf.kind in ("prefix", "fuzzy"):  # the corpus words the search expanded it into
            own = QueryBuilder(snap.vocabulary(), snap.registry).build(ParsedQuery(leaf.text, leaf))[1]
            for fieldname in fields:
                terms = own.terms.get(fieldname, set()) & highlights.terms.get(fieldname, set())
                if terms:
                    out.setdefault(fieldname, []).append([terms])
            continue
        if leaf.kind in ("word", "exact") and is_stop_word(fold_text(leaf.text)):
            continue
        for fieldname in fields:
            positions = query_positions(analyzer(fieldname), leaf.text, exact=leaf.kind == "exact")
            if positions:
                out.setdefault(fieldname, []).append([set(alts) for alts in positions])
    return out


def occurrences(searcher, patterns, final: np.ndarray):
    """(docnums, language indices, starts, ends) of every occurrence in the
    statements of `final`; where occurrences overlap, the first and longest."""
    docs, langs, starts, ends = [], [], [], []
    for lang_index, lang in enumerate(LANGUAGES):
        fieldname = S.BODY[lang]
        for pattern in patterns.get(fieldname, ()):
            for d, s, e in _pattern_spans(searcher, fieldname, pattern, final):
                docs.append(d)
                starts.append(s)
                ends.append(e)
                langs.append(lang_index)
    docs_a = np.array(docs, dtype=np.int64)
    langs_a = np.array(langs, dtype=np.int64)
    starts_a = np.array(starts, dtype=np.int64)
    ends_a = np.array(ends, dtype=np.int64)
    if not len(docs_a):
        return docs_a, langs_a, starts_a, ends_a
    order = np.lexsort((-ends_a, starts_a, langs_a, docs_a))
    docs_a, langs_a, starts_a, ends_a = docs_a[order], langs_a[order], starts_a[order], ends_a[order]
    # One text per (statement, language); an occurrence is kept when it starts
    # after every earlier one of its text has ended.
    group = np.concatenate(([0], np.cumsum((np.diff(docs_a) != 0) | (np.diff(langs_a) != 0))))
    shift = group * (int(ends_a.max()) + 1)
    reach = np.maximum.accumulate(ends_a + shift)
    keep = np.ones(len(docs_a), dtype=bool)
    keep[1:] = starts_a[1:] + shift[1:] >= reach[:-1]
    return docs_a[keep], langs_a[keep], starts_a[keep], ends_a[keep]


def _term_chars(searcher, fieldname: str, term: str, final: np.ndarray):
    """(docnum, [(position, start, end)…]) of a term in the statements of `final`."""
    try:
        postings = searcher.postings(fieldname, term)
    except TermNotFound:
        return
    for docnum, chars in postings.items_as("characters"):
        if final[docnum]:
            yield docnum, chars


def _pattern_spans(searcher, fieldname: str, pattern: list[set[str]], final: np.ndarray):
    """(docnum, start, end) of each occurrence of a pattern."""
    if len(pattern) == 1:
        for term in sorted(pattern[0]):
            for docnum, chars in _term_chars(searcher, fieldname, term, final):
                for _, s, e in chars:
                    yield docnum, s, e
        return
    # A phrase: terms at consecutive positions; each position → (start, end) per statement.
    slots: list[dict[int, dict[int, tuple[int, int]]]] = []
    for alts in pattern:
        by_doc: dict[int, dict[int, tuple[int, int]]] = {}
        for term in sorted(alts):
            for docnum, chars in _term_chars(searcher, fieldname, term, final):
                at = by_doc.setdefault(docnum, {})
                for pos, s, e in chars:
                    old = at.get(pos)
                    at[pos] = (s, e) if old is None else (min(old[0], s), max(old[1], e))
        slots.append(by_doc)
    for docnum in sorted(set.intersection(*(set(slot) for slot in slots))):
        first = slots[0][docnum]
        for pos in sorted(first):
            if all(pos + k in slots[k][docnum] for k in range(1, len(slots))):
                yield docnum, first[pos][0], slots[-1][docnum][pos + len(slots) - 1][1]
