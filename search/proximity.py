"""Proximity: among the best matches of a query of several words, those that
hold the words close together come first.

BM25F scores each word on its own, so a long speech that uses three rare
words pages apart can outrank the statement whose one paragraph holds all
three. For the first `DEPTH` statements of the relevance order, each pair of
neighbouring occurrences of two different query words, `d` positions apart,
adds `idf / d²` to both words (Büttcher, Clarke and Lushman's term-proximity
score, 2006); a word's total is saturated as BM25 saturates frequency, and
the sum, times `WEIGHT`, is added to the statement's BM25F score. Positions
are the index's own, read from one posting list per term. The BM25F scores
themselves are not changed, nor is any order by date.
"""

from __future__ import annotations

import numpy as np

from search import schema as S
from search.analysis import query_positions
from search.postings import at_statements
from search.query_build import analyzer
from search.query_tree import ParsedQuery

DEPTH = 50  # statements re-ranked, from the top of the relevance order
WEIGHT = 4.0  # the proximity score's weight beside BM25F (measured in bench/known_items.py)
K1 = 1.2  # saturation of a word's proximity total


def reranked(snap, parsed: ParsedQuery, order: np.ndarray, scores: np.ndarray | None):
    """The relevance order with its first DEPTH statements re-ranked by
    proximity (and their scores raised by it); unchanged for fewer than two words."""
    if scores is None or len(order) < 2 or WEIGHT == 0:
        return order, scores
    groups = query_words(parsed)
    if not any(len(g) >= 2 for g in groups.values()):
        return order, scores
    top = order[:DEPTH]
    bonus = proximity_scores(snap.searcher, top, groups)
    if not bonus.any():
        return order, scores
    new = scores[:DEPTH] + WEIGHT * bonus
    datekey = snap.table.datekey
    resort = np.lexsort((-datekey[top], -new))
    return (np.concatenate([top[resort], order[DEPTH:]]),
            np.concatenate([new[resort].round(4), scores[DEPTH:]]))


def query_words(parsed: ParsedQuery) -> dict[str, list[frozenset[str]]]:
    """Per body field, the query's words (outside NOT) as sets of alternative terms."""
    if parsed.raw is not None:
        return {}
    leaves = [t for t in parsed.texts() if t.kind in ("word", "phrase") and t.field is None]
    out = {}
    for fieldname in S.BODY.values():
        words = []
        for leaf in leaves:
            for terms in query_positions(analyzer(fieldname), leaf.text):
                group = frozenset(terms)
                if group not in words:
                    words.append(group)
        out[fieldname] = words
    return out


def proximity_scores(searcher, docnums: np.ndarray, groups: dict[str, list[frozenset[str]]]) -> np.ndarray:
    """Each statement's proximity score: the best of its language sections.

    A statement in which none of the query's words occur was found by a name
    in the other language («Новая Зеландия» for "New Zealand"), whose words
    stand together by definition: it scores as if the words were adjacent,
    so the re-ranking does not push it below the typed language's matches."""
    best = np.zeros(len(docnums))
    seen = np.zeros(len(docnums), dtype=bool)
    adjacent = 0.0
    wanted = sorted(set(int(d) for d in docnums))
    where = {d: i for i, d in enumerate(int(d) for d in docnums)}
    for fieldname, words in groups.items():
        if len(words) < 2:
            continue
        occurrences, idf = _occurrences(searcher, fieldname, words, wanted)
        adjacent = max(adjacent, _score([(n, n) for n in range(len(words))], idf))
        for docnum, events in occurrences.items():
            i = where[docnum]
            seen[i] = True
            if len({w for _, w in events}) >= 2:
                best[i] = max(best[i], _score(sorted(events), idf))
    best[~seen] = adjacent
    return best


def _occurrences(searcher, fieldname, words, wanted):
    """{docnum: [(position, word number)]} for the statements `wanted` (sorted),
    and each word's idf (the highest of its terms')."""
    found: dict[int, list[tuple[int, int]]] = {}
    idf = [0.0] * len(words)
    for w, terms in enumerate(words):
        for term in sorted(terms):
            if (fieldname, term) in searcher.reader():
                idf[w] = max(idf[w], searcher.idf(fieldname, term))
            for docnum, postings in at_statements(searcher, fieldname, term, wanted):
                found.setdefault(docnum, []).extend((p, w) for p in postings.value_as("positions"))
    return found, idf


def _score(events: list[tuple[int, int]], idf: list[float]) -> float:
    """Büttcher's proximity accumulators over the occurrences in text order."""
    acc = [0.0] * len(idf)
    last_pos, last_word = events[0]
    for pos, word in events[1:]:
        if word != last_word and pos > last_pos:
            d2 = float((pos - last_pos) ** 2)
            acc[word] += idf[last_word] / d2
            acc[last_word] += idf[word] / d2
        last_pos, last_word = pos, word
    return sum(idf[w] * a * (K1 + 1) / (a + K1) for w, a in enumerate(acc) if a)
