"""A query's matches, two ways: over every statement of a snapshot (`Hits`: a
mask and a score each), or as the statements matched (`Sparse`: their numbers
and scores).

search.exec.arrays computed every node of a query as Hits: at a million
statements each AND or phrase cost milliseconds whatever it found. Nodes made
of terms are now Sparse, with the same operations on the statements they
match, their sums taken in the same order (the scores are the same to the
bit); only what needs every statement (NOT alone, names) is made whole.
"""

from __future__ import annotations

import numpy as np

from search.exec.distinct import distinct

TABLE_FROM = 32  # wanted statements looked up in a table when more than 1 in this many of the numbers


class Hits:
    """Matches over every statement: a mask and scores (0.0 where unmatched)."""

    __slots__ = ("mask", "scores")

    def __init__(self, mask: np.ndarray, scores: np.ndarray):
        self.mask = mask
        self.scores = scores


def no_hits(size: int) -> Hits:
    return Hits(np.zeros(size, dtype=bool), np.zeros(size, dtype=np.float64))


def dense(found: Hits | Sparse, size: int) -> Hits:
    """Matches over every statement of `size`."""
    if not isinstance(found, Sparse):
        return found
    hits = no_hits(size)
    hits.mask[found.docs] = True
    hits.scores[found.docs] = found.scores
    return hits


def as_sparse(found: Hits | Sparse) -> Sparse:
    if isinstance(found, Sparse):
        return found
    docs = np.flatnonzero(found.mask)
    return Sparse(docs, found.scores[docs])


class Sparse:
    """Matches: statement numbers (int64, ascending, distinct) and their scores (float64)."""

    __slots__ = ("docs", "scores")

    def __init__(self, docs: np.ndarray, scores: np.ndarray):
        self.docs = docs
        self.scores = scores


def empty() -> Sparse:
    return Sparse(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


def joined(parts) -> Sparse:
    """Matches from (docs, scores) parts of disjoint ascending ranges, in order (a term's segments)."""
    parts = list(parts)
    if not parts:
        return empty()
    if len(parts) == 1:
        return Sparse(parts[0][0], parts[0][1].copy())  # (a cached array: the node's own copy)
    return Sparse(np.concatenate([d for d, _ in parts]), np.concatenate([s for _, s in parts]))


def union_sum(parts) -> Sparse:
    """Any of the (docs, scores) parts; a statement's score is 0.0 plus each part's
    that holds it, added in the parts' order."""
    parts = [(d, s) for d, s in parts if len(d)]
    if not parts:
        return empty()
    docs = distinct(np.concatenate([d for d, _ in parts])) if len(parts) > 1 else parts[0][0]
    scores = np.zeros(len(docs), dtype=np.float64)
    for d, s in parts:
        scores[np.searchsorted(docs, d)] += s
    return Sparse(docs, scores)


def intersection_sum(nodes: list[Hits | Sparse]) -> Sparse:
    """The statements every node holds (one at least Sparse: the fewest lead);
    a statement's score is the first node's, plus each further node's, added in order."""
    lead = min((i for i, n in enumerate(nodes) if isinstance(n, Sparse)), key=lambda i: len(nodes[i].docs))
    docs = nodes[lead].docs
    at = {lead: np.arange(len(docs))}  # node → where each of `docs` is in its scores
    for i, node in enumerate(nodes):
        if i != lead:  # (each node looked up once; the positions found before follow the filter)
            where, held = _held(node, docs)
            docs = docs[held]
            at = {k: v[held] for k, v in at.items()}
            at[i] = where[held]
    scores = None
    for i, node in enumerate(nodes):
        found = node.scores[at[i]]
        scores = found if scores is None else scores + found
    return Sparse(docs, scores)


def dense_union_sum(found: list, size: int) -> Hits:
    """union_sum over every statement (for many matches): `found` holds, per node in
    order, its (docs, scores) parts or its Hits."""
    acc = no_hits(size)
    for f in found:
        if type(f) is list:
            for docs, scores in f:
                acc.mask[docs] = True
                acc.scores[docs] += scores
        else:
            acc.mask |= f.mask
            acc.scores += f.scores
    return acc


def dense_intersection_sum(nodes: list[Hits | Sparse], size: int) -> Hits:
    """intersection_sum over every statement (for many matches)."""
    acc = None
    for node in nodes:
        hits = dense(node, size)
        if acc is None:
            acc = hits
        else:
            acc.mask &= hits.mask
            acc.scores += hits.scores
    acc.scores[~acc.mask] = 0.0
    return acc


def without(a: Sparse, b: Hits | Sparse) -> Sparse:
    """a's matches that b does not hold."""
    _, held = _held(b, a.docs)
    return Sparse(a.docs[~held], a.scores[~held])


def plus_where(a: Sparse, b: Hits | Sparse) -> Sparse:
    """a's matches, with b's score added where b holds the statement too."""
    at, held = _held(b, a.docs)
    scores = a.scores.copy()
    scores[held] += b.scores[at[held]]
    return Sparse(a.docs, scores)


def within(a: Sparse, docs: np.ndarray) -> Sparse:
    """a's matches among `docs` (ascending)."""
    _, held = found_in(docs, a.docs)
    return Sparse(a.docs[held], a.scores[held])


def kept(a: Sparse, keep: np.ndarray) -> Sparse:
    """a's matches where the boolean array `keep` (one per statement of the index) is true."""
    held = keep[a.docs]
    return Sparse(a.docs[held], a.scores[held])


def _held(node: Hits | Sparse, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(where each of `docs` is in the node's scores, whether the node holds it)."""
    if isinstance(node, Sparse):
        return found_in(node.docs, docs)
    return docs, node.mask[docs]


def found_in(sorted_docs: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(where each of `wanted` is or would be in `sorted_docs`, whether it is there).
    Many wanted are looked up in a table by statement number: a binary search
    each cost 8 ms for 300,000 in 300,000 at a million statements, the table 1 ms."""
    if not len(sorted_docs) or not len(wanted):
        return np.zeros(len(wanted), dtype=np.int64), np.zeros(len(wanted), dtype=bool)
    upper = int(max(sorted_docs[-1], wanted.max())) + 1
    if len(wanted) * TABLE_FROM > upper:
        where = np.full(upper, -1, dtype=np.int32)
        where[sorted_docs] = np.arange(len(sorted_docs), dtype=np.int32)
        at = where[wanted]
        held = at >= 0
        at[~held] = 0
        return at, held
    at = np.searchsorted(sorted_docs, wanted)
    held = at < len(sorted_docs)
    held[held] = sorted_docs[at[held]] == wanted[held]
    return at, held
