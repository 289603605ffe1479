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
from search.query_tree import Bool, ParsedQuery, Text
from search.scoring import CachedBM25F

DEPTH = 20  # statements re-ranked, from the top of the relevance order (MRR as at 50, measured)
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
    # The window holds the first DEPTH statements that use the query's words,
    # with those found otherwise (a name in the other language, a title) among
    # them: statements found by other means never push one out of the window.
    end = DEPTH
    while True:
        bonus, seen = proximity_scores(snap.searcher, order[:end], groups)
        if seen.sum() >= DEPTH or end >= len(order):
            break
        end *= 2
    if seen.sum() >= DEPTH:
        end = int(np.searchsorted(np.cumsum(seen), DEPTH)) + 1
    top, bonus = order[:end], bonus[:end]
    if not bonus.any():
        return order, scores
    new = scores[:end] + WEIGHT * bonus
    datekey = snap.table.datekey
    resort = np.lexsort((-datekey[top], -new))
    return (np.concatenate([top[resort], order[end:]]),
            np.concatenate([new[resort].round(4), scores[end:]]))


def query_words(parsed: ParsedQuery) -> dict[str, list[frozenset[str]]]:
    """Per body field, the query's words (outside NOT) as sets of alternative terms.

    The alternatives of an OR are one word here, as a word's lemmas are: "a OR b"
    asks for either, so a statement holding both close together is no closer a match."""
    if parsed.raw is not None:
        return {}
    leaves = [t for t in parsed.texts() if t.kind in ("word", "phrase") and t.field is None]
    if len(leaves) == 1 and leaves[0].kind == "phrase":
        return {}  # (every match of a phrase holds its words together)
    out = {}
    for fieldname in S.BODY.values():
        words = []
        for texts, alternatives in _units(parsed.root):
            positions = [terms for t in texts for terms in query_positions(analyzer(fieldname), t.text)]
            groups = [frozenset(t for terms in positions for t in terms)] if alternatives else map(frozenset, positions)
            for group in groups:
                if group and group not in words:
                    words.append(group)
        out[fieldname] = words
    return out


def _units(node) -> list[tuple[list[Text], bool]]:
    """The query's words and phrases outside NOT, each (texts, False); an OR's
    as one unit of alternatives, (texts, True)."""
    if isinstance(node, Text):
        return [([node], False)] if node.kind in ("word", "phrase") and node.field is None else []
    if isinstance(node, Bool):
        parts = [unit for item in node.items for unit in _units(item)]
        if node.op == "or" and len(parts) > 1:
            return [([t for texts, _ in parts for t in texts], True)]
        return parts
    return []  # (NOT, filters, everything)


def proximity_scores(searcher, docnums: np.ndarray, groups: dict[str, list[frozenset[str]]]):
    """Each statement's proximity score (the best of its language sections), and
    whether any of the query's words occur in it.

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
        n = len(words)
        adjacent = max(adjacent, _score(np.arange(n), np.arange(n), idf))
        for docnum, parts in occurrences.items():
            i = where[docnum]
            seen[i] = True
            if len({w for _, w in parts}) >= 2:
                pos = np.concatenate([p for p, _ in parts])
                word = np.concatenate([np.full(len(p), w) for p, w in parts])
                order = np.lexsort((word, pos))  # text order (ties: by word number)
                best[i] = max(best[i], _score(pos[order], word[order], idf))
    best[~seen] = adjacent
    return best, seen


def _occurrences(searcher, fieldname, words, wanted):
    """{docnum: [(positions, word number)]} for the statements `wanted` (sorted),
    and each word's idf (the highest of its terms')."""
    found: dict[int, list[tuple[np.ndarray, int]]] = {}
    idf = np.zeros(len(words))
    for w, terms in enumerate(words):
        for term in sorted(terms):
            if (fieldname, term) in searcher.reader():
                idf[w] = max(idf[w], CachedBM25F.idf(searcher, fieldname, term))
            for docnum, postings in at_statements(searcher, fieldname, term, wanted):
                positions = np.asarray(postings.value_as("positions"), dtype=np.int64)
                found.setdefault(docnum, []).append((positions, w))
    return found, idf


def _score(pos: np.ndarray, word: np.ndarray, idf: np.ndarray) -> float:
    """Büttcher's proximity accumulators over the occurrences in text order:
    each pair of neighbouring occurrences of two different words, d apart,
    adds the other word's idf / d² to both words."""
    near = (word[1:] != word[:-1]) & (pos[1:] > pos[:-1])
    before, after = word[:-1][near], word[1:][near]
    d2 = (pos[1:] - pos[:-1])[near].astype(np.float64) ** 2
    acc = np.zeros(len(idf))
    np.add.at(acc, after, idf[before] / d2)
    np.add.at(acc, before, idf[after] / d2)
    used = acc > 0
    return float(np.sum(idf[used] * acc[used] * (K1 + 1) / (acc[used] + K1)))
