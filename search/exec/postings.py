"""A term's postings of one segment as numpy arrays, read once and cached.

Segments never change once written (only their deletions grow), so the
postings of a term in a segment are read once through Whoosh's matcher and
kept as arrays: the statements' numbers within the segment, deleted ones
included (a snapshot's live mask removes them), and the term's weights. The
cache is bounded in bytes (least recently used goes first), shared by every
thread of the process, and forgets the segments no snapshot uses any more.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

from search.config import MB

ENTRY_OVERHEAD = 200  # bytes a cached entry costs beyond its arrays (key, object, links)


@dataclass(frozen=True)
class Postings:
    """One term in one segment: local docnums, ascending, and their weights."""

    docs: np.ndarray  # int32
    weights: np.ndarray  # float32, as Whoosh stores them

    @property
    def nbytes(self) -> int:
        return self.docs.nbytes + self.weights.nbytes


EMPTY = Postings(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))


def segment_id(reader) -> str:
    """The id of a leaf reader's segment (random, new for every segment written)."""
    segment = reader.segment()
    return segment.segment_id() if segment is not None else f"reader-{id(reader)}"


def raw_matcher(reader, fieldname: str, btext: bytes):
    """A term's matcher in one leaf reader, deleted statements included (a
    snapshot's live mask removes them, once for all terms)."""
    m = reader.postings(fieldname, btext)
    return m.child if isinstance(m, FilterMatcher) else m


def read_postings(reader, fieldname: str, btext: bytes) -> Postings:
    """Every posting of a term in one leaf reader, deleted statements included."""
    if (fieldname, btext) not in reader:
        return EMPTY
    m = raw_matcher(reader, fieldname, btext)
    ids, weights = [], []
    add_id, add_weight = ids.append, weights.append
    get_id, get_weight, advance, active = m.id, m.weight, m.next, m.is_active
    while active():
        add_id(get_id())
        add_weight(get_weight())
        advance()
    return Postings(np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float32))


class PostingsCache:
    """Postings (and other per-segment arrays) by segment, bounded in bytes."""

    def __init__(self, max_mb: float):
        self.max_bytes = int(max_mb * MB)
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple, object] = OrderedDict()
        self._sizes: dict[tuple, int] = {}
        self.bytes = 0
        self.reads = 0  # entries made (misses), for tests and the bench

    def postings(self, reader, fieldname: str, btext: bytes) -> Postings:
        return self.get((segment_id(reader), "p", fieldname, btext),
                        lambda: read_postings(reader, fieldname, btext))

    def get(self, key: tuple, make):
        """The entry for `key` (its first item the segment id), made by make()
        when missing; make() returns a Postings or a numpy array."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        found = make()  # outside the lock: other threads' searches go on meanwhile
        size = (found.nbytes if hasattr(found, "nbytes") else 0) + ENTRY_OVERHEAD
        with self._lock:
            self.reads += 1
            if key not in self._entries:
                self._entries[key] = found
                self._sizes[key] = size
                self.bytes += size
            while self.bytes > self.max_bytes and len(self._entries) > 1:
                old, _ = self._entries.popitem(last=False)
                self.bytes -= self._sizes.pop(old)
        return found

    def keep_only(self, segment_ids) -> None:
        """Forgets every segment but these (those merged away, or of old commits)."""
        live = set(segment_ids)
        with self._lock:
            for key in [k for k in self._entries if k[0] not in live]:
                del self._entries[key]
                self.bytes -= self._sizes.pop(key)

    def __len__(self) -> int:
        return len(self._entries)


def at_statements(searcher, fieldname: str, term: str, wanted):
    """A term's posting list stopped at each statement of `wanted` (docnums,
    sorted) that holds it: yields (docnum, matcher) to read its positions or
    characters from. Nothing for a term the index does not hold."""
    try:
        postings = searcher.postings(fieldname, term)
    except TermNotFound:
        return
    for docnum in wanted:
        # A term whose statements were all deleted has an inactive posting
        # list from the start; skip_to() on it raises ReadTooFar.
        if not postings.is_active():
            return
        if postings.id() < docnum:
            postings.skip_to(docnum)
            if not postings.is_active():
                return
        if postings.id() == docnum:
            yield docnum, postings
