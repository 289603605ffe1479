"""BM25F with each statement's length factor worked out once, not per posting,
BM25's own idf, and BM25+'s lower bound.

Whoosh's BM25F looks a statement's field length up through several layers of
calls for every posting it scores, and a query matching thousands of
statements spends much of its time there. Here the length part of the
formula, K1 * ((1 - B) + B * length / average length), is computed for a
whole segment at once and read from an array. Same formula, same figures.

The idf is Robertson and Spärck Jones's, as BM25 (and Lucene) has it:
log(1 + (N - df + 0.5) / (df + 0.5)). Whoosh's own, log(N / (df + 1)) + 1,
gives a word in every statement a weight of 1, so the common words of a
question outweighed its one rare word (bench/ir.py measures the difference).

Each matching term adds DELTA * idf beyond its BM25 part (BM25+, Lv and Zhai,
"Lower-bounding term frequency normalization", 2011, at their default 1):
BM25's length normalisation drives the part of a word found once in a long
text towards 0, so a long statement that holds a word scored barely above
one that lacks it.
"""

from __future__ import annotations

import math
import threading
from array import array

import numpy as np
from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.util.numeric import byte_to_length

from search.exec.postings import segment_id


DELTA = 1.0  # BM25+: what a matching term adds at the least, times its idf
KEEP_FACTORS = 64  # length-factor arrays kept (segments x fields x recent commits)


class LengthNorms:
    """Per segment and field: statement lengths (read once, as segments never
    change) and the BM25 length factors for the current average lengths."""

    def __init__(self):
        self._lock = threading.Lock()
        self._lengths: dict[tuple[str, str], np.ndarray] = {}
        self._factors: dict[tuple, array] = {}

    def factors(self, reader, fieldname: str, avgfl: float, B: float, K1: float) -> array:
        segment = segment_id(reader)
        key = (segment, fieldname, avgfl, B, K1)
        found = self._factors.get(key)
        if found is None:
            lengths = self._segment_lengths(reader, segment, fieldname)
            # The same operations, in the same order, as whoosh.scoring.bm25.
            found = array("d", (K1 * ((1 - B) + B * lengths / avgfl)).tobytes())
            with self._lock:
                self._factors[key] = found
                # Factors of older average lengths (older commits) go but the
                # newest few: a thread may still search an older snapshot.
                for old in list(self._factors)[:-KEEP_FACTORS]:
                    del self._factors[old]
        return found

    def _segment_lengths(self, reader, segment: str, fieldname: str) -> np.ndarray:
        found = self._lengths.get((segment, fieldname))
        if found is None:
            found = segment_lengths(reader, fieldname)
            with self._lock:
                self._lengths[(segment, fieldname)] = found
        return found

    def keep_only(self, readers) -> None:
        """Forgets segments no longer in the index (merged away or deleted)."""
        live = {segment_id(r) for r in readers}
        with self._lock:
            self._lengths = {k: v for k, v in self._lengths.items() if k[0] in live}
            self._factors = {k: v for k, v in self._factors.items() if k[0] in live}


def segment_lengths(reader, fieldname: str) -> np.ndarray:
    """Every statement's length of a field in one segment, as doc_field_length
    gives them, read in one go from the segment's length column (a Python
    call per statement took 1.3 s per field at 100,000 statements)."""
    count = reader.doc_count_all()
    try:
        column = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
        if column is None:
            return np.zeros(count, dtype=np.float64)
        stored = min(column._count, count)
        codes = np.zeros(count, dtype=np.intp)
        if stored:
            raw = column._dbfile.get(column._basepos, stored * column._fixedlen)
            codes[:stored] = np.frombuffer(raw, dtype=np.uint8)
        return _LENGTH_OF_BYTE[codes]
    except (AttributeError, TypeError):  # another codec: one call per statement
        return np.fromiter((reader.doc_field_length(d, fieldname, 0) or 0 for d in range(count)),
                           dtype=np.float64, count=count)


# Whoosh stores a field's length as one byte (a logarithmic code); its table.
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def bm25_idf(df: int, n: int) -> float:
    """BM25's idf: log(1 + (N - df + 0.5) / (df + 0.5))."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


class CachedBM25F(scoring.BM25F):
    """Whoosh's BM25F, reading length factors from a shared `LengthNorms`, with
    BM25's idf and BM25+'s `delta` (search.exec.arrays scores the same way)."""

    def __init__(self, norms: LengthNorms, B: float = 0.75, K1: float = 1.2, delta: float = DELTA, **kwargs):
        super().__init__(B=B, K1=K1, **kwargs)
        self.norms = norms
        self.delta = delta

    def field_B(self, fieldname: str) -> float:
        """B for a field: its own (`FIELD_B=`), else the model's."""
        return self._field_B.get(fieldname, self.B)

    @staticmethod
    def idf(searcher, fieldname: str, text) -> float:
        """BM25's idf of a term, N counting every statement of the searcher's
        segments, as Whoosh's idf does (see `bm25_idf`)."""
        return bm25_idf(searcher.doc_frequency(fieldname, text), searcher.doc_count_all())

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf)
        B = self.field_B(fieldname)
        return _Scorer(searcher, fieldname, text, B, self.K1, self.norms, qf, self.delta)


class _Scorer(scoring.BM25FScorer):
    def __init__(self, searcher, fieldname, text, B, K1, norms: LengthNorms, qf=1, delta=DELTA):
        # BM25FScorer.__init__, with our idf set before the quality bounds are worked out.
        parent = searcher.get_parent()  # (statistics of the whole index)
        self.idf = CachedBM25F.idf(parent, fieldname, text)
        self.avgfl = parent.avg_field_length(fieldname) or 1
        self.B, self.K1, self.qf, self._delta = B, K1, qf, delta
        self.setup(searcher, fieldname, text)
        self._reader, self._fieldname, self._norms = searcher.reader(), fieldname, norms
        self._factor = None  # read when a posting is first scored
        self._k1p1 = K1 + 1

    def score(self, matcher) -> float:
        # Worked out on first use: searcher.postings() makes a scorer over the
        # whole index even when only positions are read (snippets, proximity),
        # and a new commit's first such call then read every statement's length.
        if self._factor is None:
            self._factor = self._norms.factors(self._reader, self._fieldname, self.avgfl, self.B, self.K1)
        tf = matcher.weight()
        return self.idf * ((tf * self._k1p1) / (tf + self._factor[matcher.id()]) + self._delta)

    def _score(self, weight: float, length: int) -> float:
        # (what Whoosh's quality bounds, max_quality and block_quality, are worked out with)
        return super()._score(weight, length) + self.idf * self._delta
