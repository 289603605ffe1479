"""Which statements a query and filters find in a snapshot, and in what order.

One path for every caller (a page of results, a count, an export, a
suggestion's check): build the Whoosh query against the snapshot's words,
mask the filters over the facet table, run the query once, combine.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from whoosh import query as wq

from search.exec.arrays import Executor, Unsupported
from search.query.build import QueryBuilder
from search.query.tree import ParsedQuery
from search.results import SORTS, Filters
from search.exec.snapshots import Snapshot


# A head of the relevance order is sorted alone when the statements found
# are more than this many times as many.
PARTIAL = 4


@dataclass
class Match:
    """What a query found in one snapshot."""

    wquery: object  # the Whoosh query (NullQuery when nothing is left to search)
    highlights: object  # what to mark in the matching statements
    masks: dict[str, np.ndarray]  # one per active filter
    base: np.ndarray  # the statements the words find, before the filters
    final: np.ndarray  # ... and after them
    docs: np.ndarray | None  # with `scored`: the docnums of `base`, and their scores
    scores: np.ndarray | None

    @property
    def total(self) -> int:
        return int(self.final.sum())

    def ordered(self, datekey: np.ndarray, sort: str, head: int | None = None):
        """Docnums of the statements found, in the order asked for, with their
        scores (or None). By relevance, equal scores go to the newer statement;
        by date, undated statements come last either way. With `head`, only
        the first `head` of that order (a page of hits needs no more): the
        statements that cannot reach it are left out before sorting."""
        if sort == "relevance" and self.scores is not None:
            keep = self.final[self.docs]
            docs, scores = self.docs[keep], self.scores[keep]
            if head is not None and len(docs) > PARTIAL * head:
                # Every statement scoring at least the head-th best score (ties
                # at it included), in docnum order as before: the order's start.
                pick = scores >= -np.partition(-scores, head - 1)[head - 1]
                docs, scores = docs[pick], scores[pick]
            order = np.lexsort((-datekey[docs], -scores))[:head]
            return docs[order], scores[order].round(4)
        docs = np.flatnonzero(self.final)
        keys = datekey[docs]
        if sort == "-date":
            order = np.lexsort((docs, -keys))
        else:
            order = np.lexsort((docs, np.where(keys == 0, np.iinfo(np.int64).max, keys)))
        return docs[order[:head]], None


def resolved_sort(parsed: ParsedQuery, sort: str) -> str:
    """The order to use: newest first when nothing is searched for by relevance."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}")
    return "-date" if parsed.is_empty and sort == "relevance" else sort


def find(snap: Snapshot, parsed: ParsedQuery, filters: Filters | None, scored: bool) -> Match:
    """The statements `parsed` and `filters` find in `snap`, in one pass over the
    index; with `scored`, the words' matches with their relevance scores."""
    if parsed.names and filters is not None and filters.exact_names:
        parsed = replace(parsed, names=False)  # (every view of a search honours names=exact)
    wquery, highlights = QueryBuilder(snap.vocabulary(), snap.registry).build(parsed)
    table = snap.table
    masks = table.filter_masks(Filters() if filters is None else filters)
    base, docs, scores = _run(snap, parsed, wquery, scored)
    return Match(wquery, highlights, masks, base, table.combine(base, masks), docs, scores)


def _run(snap: Snapshot, parsed: ParsedQuery, wquery, scored: bool):
    """(mask of matching statements, their docnums, their scores); docnums and
    scores only when `scored`."""
    table = snap.table
    if parsed.is_empty:
        return table.live.copy(), None, None
    if wquery is wq.NullQuery or not table.size:  # (Whoosh cannot score an empty index)
        return np.zeros(table.size, dtype=bool), None, None
    try:
        mask, docs, scores = Executor(snap.searcher, table.live, snap.postings, snap.stats).found(wquery)
    except Unsupported:
        return run_whoosh(snap, wquery, scored)
    return (mask, docs, scores) if scored else (mask, None, None)


def run_whoosh(snap: Snapshot, wquery, scored: bool):
    """`_run` through Whoosh's own matchers and collector: the path for the
    queries search.exec.arrays cannot run, and the reference it is tested against."""
    mask = np.zeros(snap.table.size, dtype=bool)
    if not scored:
        mask[np.fromiter(snap.searcher.docs_for_query(wquery), dtype=np.int64)] = True
        return mask, None, None
    # Every match is scored anyway (the facets need them all); Whoosh's
    # block-skipping optimisation only slows this case down.
    pairs = snap.searcher.search(wquery, limit=None, optimize=False, terms=False).top_n
    docs = np.fromiter((d for _, d in pairs), dtype=np.int64, count=len(pairs))
    scores = np.fromiter((sc for sc, _ in pairs), dtype=np.float64, count=len(pairs))
    mask[docs] = True
    return mask, docs, scores
