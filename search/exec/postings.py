"""A term's postings of one segment as numpy arrays, read once and cached.

Segments never change once written (only their deletions grow), so the
postings of a term in a segment are read once through Whoosh's matcher and
kept as arrays: the statements' numbers within the segment, deleted ones
included (a snapshot's live mask removes them), and the term's weights. The
cache is bounded in bytes (least recently used goes first), shared by every
thread of the process, and forgets the segments no snapshot uses any more.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh.codec.whoosh3 import W3Codec
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

from search.config import MB
from search.exec.matches import found_in

ENTRY_OVERHEAD = 200  # bytes a cached entry costs beyond its arrays (key, object, links)
MAX_ASKED = 100_000  # terms whose occurrences were asked for once, remembered (then forgotten)
# A segment of at most this many statements, whose term table is at most this
# large (about 3,000 terms), keeps its set of terms (SegmentTerms): what a commit
# adds, read whole in 10 ms at most. (The 492 speeches of corpus/ hold 93,000: 0.3 s.)
SMALL_SEGMENT = 1_000
MAX_TERMS_BYTES = 256 * 1024
TERM_BYTES = 120  # what a kept (field, term) costs in memory, roughly


@dataclass(frozen=True)
class Postings:
    """One term in one segment: local docnums, ascending, and their weights."""

    docs: np.ndarray  # int32
    weights: np.ndarray  # float32, as Whoosh stores them

    @property
    def nbytes(self) -> int:
        return self.docs.nbytes + self.weights.nbytes


EMPTY = Postings(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))


@dataclass(frozen=True)
class Occurrences:
    """One term in one segment: where it stands in each statement holding it
    (local docnums, ascending; statement i's occurrences are rows
    first[i]:first[i + 1] of `chars`, each a position, start and end character)."""

    docs: np.ndarray  # int32
    first: np.ndarray  # int64, one more than docs
    chars: np.ndarray  # int32, (occurrences, 3)

    @property
    def nbytes(self) -> int:
        return self.docs.nbytes + self.first.nbytes + self.chars.nbytes

    def of(self, wanted: np.ndarray):
        """(local docnum, [[position, start, end], ...]) of the statements of
        `wanted` (local docnums, ascending) that hold the term."""
        at, held = found_in(self.docs, wanted)
        for i, doc in zip(at[held].tolist(), wanted[held].tolist()):
            yield doc, self.chars[self.first[i]:self.first[i + 1]].tolist()


NO_OCCURRENCES = Occurrences(np.zeros(0, dtype=np.int32), np.zeros(1, dtype=np.int64),
                             np.zeros((0, 3), dtype=np.int32))


def segment_id(reader) -> str:
    """The id of a leaf reader's segment (random, new for every segment written)."""
    segment = reader.segment()
    return segment.segment_id() if segment is not None else f"reader-{id(reader)}"


class SegmentTerms:
    """Every (field, term) of a small segment, as a commit adds one: most of a
    query's terms are then answered "not here" by a set, without a look-up each
    in its term table. A larger segment, or one of too many terms, keeps None
    (every term may be in it)."""

    def __init__(self, terms: frozenset | None):
        self.terms = terms

    @classmethod
    def of(cls, reader) -> SegmentTerms:
        small = reader.doc_count_all() <= SMALL_SEGMENT and _terms_bytes(reader) <= MAX_TERMS_BYTES
        return cls(frozenset(reader.all_terms()) if small else None)

    @property
    def nbytes(self) -> int:
        return 0 if self.terms is None else TERM_BYTES * len(self.terms)

    def may_hold(self, fieldname: str, btext: bytes) -> bool:
        return self.terms is None or (fieldname, btext) in self.terms


def _terms_bytes(reader) -> int:
    """The size of a segment's term table file (that of a segment in memory or in
    a compound file is taken as too large to read whole)."""
    folder = getattr(reader._storage, "folder", None)
    try:
        return os.stat(os.path.join(folder, reader.segment().make_filename(W3Codec.TERMS_EXT))).st_size
    except (OSError, TypeError):
        return MAX_TERMS_BYTES + 1


def raw_matcher(reader, fieldname: str, btext: bytes):
    """A term's matcher in one leaf reader, deleted statements included (a
    snapshot's live mask removes them, once for all terms) but for those
    before its first live one, which Whoosh's filter skipped as it was made:
    it may be inactive from the start, so ask `is_active()` first."""
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


def read_occurrences(reader, fieldname: str, btext: bytes) -> Occurrences:
    """Every occurrence of a term in one leaf reader, from a field that stores
    character offsets, deleted statements included."""
    if (fieldname, btext) not in reader:
        return NO_OCCURRENCES
    m = raw_matcher(reader, fieldname, btext)
    docs, first, flat = [], [0], []
    while m.is_active():
        docs.append(m.id())
        flat.extend(m.value_as("characters"))
        first.append(len(flat))
        m.next()
    chars = np.array(flat, dtype=np.int32).reshape(-1, 3)
    return Occurrences(np.array(docs, dtype=np.int32), np.array(first, dtype=np.int64), chars)


class PostingsCache:
    """Postings (and other per-segment arrays) by segment, bounded in bytes."""

    def __init__(self, max_mb: float):
        self.max_bytes = int(max_mb * MB)
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple, object] = OrderedDict()
        self._sizes: dict[tuple, int] = {}
        self._by_segment: dict[str, set[tuple]] = {}  # segment id → its entries' keys (for `keep_only`)
        self.bytes = 0
        self.reads = 0  # entries made (misses), for tests and the bench
        self._asked: set[tuple] = set()  # occurrences asked for once (see `occurrences`)

    def may_hold(self, reader, fieldname: str, btext: bytes) -> bool:
        """False when the segment surely has no such term (see SegmentTerms)."""
        return self.get((segment_id(reader), "terms"), lambda: SegmentTerms.of(reader)).may_hold(fieldname, btext)

    def postings(self, reader, fieldname: str, btext: bytes) -> Postings:
        return self.get((segment_id(reader), "p", fieldname, btext),
                        lambda: read_postings(reader, fieldname, btext))

    def occurrences(self, reader, fieldname: str, btext: bytes, ask: bool = True) -> Occurrences | None:
        """The term's occurrences in the segment, read whole the second time they
        are asked for (None the first time): a term searched once, as every term
        of a freshly opened index is, costs only the statements a page shows.
        Not `ask`: those kept, if any, without counting as asked (a search asks once)."""
        key = (segment_id(reader), "c", fieldname, btext)
        with self._lock:
            if not ask and key not in self._entries:
                return None
            if key not in self._entries and key not in self._asked:
                if len(self._asked) >= MAX_ASKED:
                    self._asked.clear()
                self._asked.add(key)
                return None
        return self.get(key, lambda: read_occurrences(reader, fieldname, btext))

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
                self._by_segment.setdefault(key[0], set()).add(key)
                self.bytes += size
            while self.bytes > self.max_bytes and len(self._entries) > 1:
                old, _ = self._entries.popitem(last=False)
                self._forget(old)
        return found

    def keep_only(self, segment_ids) -> None:
        """Forgets every segment but these (those merged away, or of old commits):
        a commit's snapshot looks at its segments, not at every entry kept."""
        live = set(segment_ids)
        with self._lock:
            for segment in [s for s in self._by_segment if s not in live]:
                for key in list(self._by_segment[segment]):
                    del self._entries[key]
                    self._forget(key)

    def _forget(self, key: tuple) -> None:
        """An entry's size and place by segment, once it is out of `_entries` (under the lock)."""
        self.bytes -= self._sizes.pop(key)
        keys = self._by_segment[key[0]]
        keys.discard(key)
        if not keys:
            del self._by_segment[key[0]]

    def __len__(self) -> int:
        return len(self._entries)


def occurrences_at(searcher, cache: PostingsCache, fieldname: str, term: str, wanted, ask: bool = True):
    """What `at_statements` reads, from the term's occurrences kept in `cache`
    (a field with character offsets): (docnum, [[position, start, end], ...])
    for each statement of `wanted` (docnums, sorted) that holds the term.
    `ask`: whether this counts as the search's asking for them (PostingsCache.occurrences)."""
    try:
        btext = searcher.schema[fieldname].to_bytes(term)
    except ValueError:
        return
    wanted = np.asarray(wanted, dtype=np.int64)
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        lo, hi = np.searchsorted(wanted, (offset, offset + reader.doc_count_all()))
        if lo == hi:
            continue
        kept = cache.occurrences(reader, fieldname, btext, ask)
        if kept is not None:
            for doc, chars in kept.of(wanted[lo:hi] - offset):
                yield doc + offset, chars
        elif (fieldname, btext) in reader:  # (the posting list itself, skipping to each statement)
            m = raw_matcher(reader, fieldname, btext)
            for doc in (wanted[lo:hi] - offset).tolist():
                if m.is_active() and m.id() < doc:
                    m.skip_to(doc)
                if not m.is_active():  # (from the start, when deleted statements alone hold the term)
                    break
                if m.id() == doc:
                    yield doc + offset, m.value_as("characters")


def holding(searcher, cache: PostingsCache, fieldname: str, term: str, wanted: np.ndarray) -> np.ndarray:
    """The statements of `wanted` (docnums, sorted) that hold the term, from its
    postings kept per segment (a search of the term has read them)."""
    try:
        btext = searcher.schema[fieldname].to_bytes(term)
    except ValueError:
        return wanted[:0]
    found = []
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        lo, hi = np.searchsorted(wanted, (offset, offset + reader.doc_count_all()))
        if lo == hi or not cache.may_hold(reader, fieldname, btext):
            continue
        local = wanted[lo:hi] - offset
        found.append(local[found_in(cache.postings(reader, fieldname, btext).docs, local)[1]] + offset)
    return np.concatenate(found) if found else wanted[:0]


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
