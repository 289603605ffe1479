"""BM25F with each statement's length factor worked out once, not per posting.

Whoosh's BM25F looks a statement's field length up through several layers of
calls for every posting it scores, and a query matching thousands of
statements spends much of its time there. Here the length part of the
formula, K1 * ((1 - B) + B * length / average length), is computed for a
whole segment at once and read from an array. Same formula, same figures.
"""

from __future__ import annotations

import threading
from array import array

import numpy as np
from whoosh import scoring


class LengthNorms:
    """Per segment and field: statement lengths (read once, as segments never
    change) and the BM25 length factors for the current average lengths."""

    def __init__(self):
        self._lock = threading.Lock()
        self._lengths: dict[tuple[str, str], np.ndarray] = {}
        self._factors: dict[tuple, array] = {}

    def factors(self, reader, fieldname: str, avgfl: float, B: float, K1: float) -> array:
        segment = _segment_id(reader)
        key = (segment, fieldname, avgfl, B, K1)
        found = self._factors.get(key)
        if found is None:
            lengths = self._segment_lengths(reader, segment, fieldname)
            # The same operations, in the same order, as whoosh.scoring.bm25.
            found = array("d", (K1 * ((1 - B) + B * lengths / avgfl)).tobytes())
            with self._lock:
                self._factors[key] = found
        return found

    def _segment_lengths(self, reader, segment: str, fieldname: str) -> np.ndarray:
        found = self._lengths.get((segment, fieldname))
        if found is None:
            found = np.fromiter(
                (reader.doc_field_length(d, fieldname, 0) or 0 for d in range(reader.doc_count_all())),
                dtype=np.float64,
            )
            with self._lock:
                self._lengths[(segment, fieldname)] = found
        return found

    def keep_only(self, readers) -> None:
        """Forgets segments no longer in the index (merged away or deleted)."""
        live = {_segment_id(r) for r in readers}
        with self._lock:
            self._lengths = {k: v for k, v in self._lengths.items() if k[0] in live}
            self._factors = {k: v for k, v in self._factors.items() if k[0] in live}


def _segment_id(reader) -> str:
    segment = reader.segment()
    return segment.segment_id() if segment is not None else f"reader-{id(reader)}"


class CachedBM25F(scoring.BM25F):
    """Whoosh's BM25F, reading length factors from a shared `LengthNorms`."""

    def __init__(self, norms: LengthNorms, B: float = 0.75, K1: float = 1.2, **kwargs):
        super().__init__(B=B, K1=K1, **kwargs)
        self.norms = norms

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf)
        B = self._field_B.get(fieldname, self.B)
        return _Scorer(searcher, fieldname, text, B, self.K1, self.norms, qf)


class _Scorer(scoring.BM25FScorer):
    def __init__(self, searcher, fieldname, text, B, K1, norms: LengthNorms, qf=1):
        super().__init__(searcher, fieldname, text, B, K1, qf=qf)
        self._factor = norms.factors(searcher.reader(), fieldname, self.avgfl, B, K1)
        self._k1p1 = K1 + 1

    def score(self, matcher) -> float:
        tf = matcher.weight()
        return self.idf * ((tf * self._k1p1) / (tf + self._factor[matcher.id()]))
