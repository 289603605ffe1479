"""Consistent views of the index: one per thread, taken whole from one commit.

A snapshot is a searcher of the statements, the facet table and the word
list (read from the vocabulary index when first needed), all of the same commit. It opens every file
it will read when it is taken (see `storage.hold_files`), so a later commit
that deletes them cannot change what it shows; what fails while it is taken
because a commit landed meanwhile is taken again on the new commit. The
facet table and word list are computed once per commit content (segment ids),
never per generation number, which a replaced or re-created index reuses.
A thread's new snapshot takes over its previous one's readers of the segments
both show (search.exec.readers), so a commit opens only its new segments.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.index import _DEF_INDEX_NAME as MAIN_INDEX

from search import config
from search import schema as S
from search.exec import storage
from search.exec import texts
from search.errors import IndexUnusable, StatementsError
from search.exec.facets import FacetTable
from search.exec.integrity import check_index, check_sizes, damaged
from search.exec.postings import PostingsCache, segment_id
from search.registry import BUILT_IN, Registry
from search.exec.facet_columns import SegmentFacets
from search.exec.segment_files import ADVICE
from search.exec.readers import close_readers, open_searcher
from search.exec.vocabulary import GrowingWordList, WordList

log = logging.getLogger(__name__)

RETRIES = 4  # attempts at a search while the indexer keeps committing
KEEP_TABLES = 3  # facet tables kept: threads may still show older commits
KEEP_WORD_LISTS = 2

_TOC = re.compile(r"_(%s|%s)_(\d+)\.toc" % (MAIN_INDEX, S.VOCABULARY_INDEX))


@dataclass
class Snapshot:
    """One thread's view of one commit."""

    searcher: object
    table: FacetTable
    word_list: Callable[[], list[str]]  # the vocabulary's words, sorted (computed when first asked for)
    stamp: tuple  # the commit it was taken on (see `_listing`)
    files: frozenset[str]  # the names of its segments' files
    postings: PostingsCache  # the process's postings arrays (see search.exec.postings)
    readers: dict  # both searchers' segment readers, which the snapshot owns (search.exec.readers)
    shared: dict = field(default_factory=dict)  # the open index's caches, by name (see `kept`)
    stats: dict = field(default_factory=dict)  # its commit's term statistics (search.exec.arrays)
    related: dict = field(default_factory=dict)  # its commit's related words (search.query.related)

    @property
    def registry(self) -> Registry:
        """The index's filters (its facet table's): what a query or filter on it is read by."""
        return self.table.registry

    def kept(self, name: str, make: Callable[[], object]):
        """The cache `name` of the open index (`make()` when first asked for), which
        all its snapshots share: what a research view keeps between requests, keyed
        by commit content (storage.content_key), so two indexes never share one."""
        found = self.shared.get(name)
        if found is None:
            found = self.shared.setdefault(name, make())  # (atomic: one wins)
        return found

    def vocabulary(self) -> WordList:
        return WordList(self.word_list, self.searcher.reader(), self.related, self.postings)

    def close(self, keep: dict | None = None) -> None:
        """Closes its readers, but not those in `keep` (handed on to the next snapshot)."""
        close_readers(self.readers, keep)


class Snapshots:
    """The snapshots of the index in one directory, for every thread."""

    def __init__(self, index_dir: Path, weighting, on_new_commit=None, registry: Registry = BUILT_IN):
        """`on_new_commit(reader)` is called once for each new commit's content; every
        snapshot's facet table filters by `registry` (the index's)."""
        self.index_dir = Path(index_dir)
        self.registry = registry
        self._weighting = weighting
        self._on_new_commit = on_new_commit
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[Snapshot] = []
        self._tables: dict[tuple, FacetTable] = {}
        self._word_lists: dict[tuple, list[str]] = {}
        self._vocabulary = GrowingWordList()
        self._columns: dict[str, SegmentFacets] = {}  # segment id → its facet columns (segments never change)
        self._indexes = None  # (stamp, statements index, vocabulary index)
        self._kept: dict[str, object] = {}  # the research views' caches (Snapshot.kept)
        self.slow: dict[str, str] = {}  # the latest commit's segments read value by value, and why
        self.postings = PostingsCache(config.from_env(config.POSTINGS_CACHE_MB))
        for attempt in range(RETRIES):  # (a commit may replace the files being opened)
            stamp = self._listing()[0]
            try:
                self._open_indexes(stamp)
                break
            except IndexUnusable:
                if attempt == RETRIES - 1 or self._listing()[0] == stamp:
                    raise

    def current(self) -> Snapshot:
        """This thread's snapshot, taken again if the index has changed (or if
        files of its commit have gone: then the index is damaged, and taking it
        again says so)."""
        stamp, names = self._listing()
        old = getattr(self._local, "snapshot", None)
        if old is not None and old.stamp == stamp and old.files <= names:
            return old
        try:  # (the new snapshot takes over the old one's readers of unchanged segments)
            snap = self._take(stamp, names, old.readers if old is not None else {})
        except BaseException:
            self.discard()
            raise
        self._local.snapshot = snap
        if old is not None:
            self.release(old, keep=snap.readers)
        return snap

    def detach(self) -> Snapshot:
        """This thread's snapshot, for the caller alone to close (with `release`):
        a generator that reads from it may outlive the thread's next search.
        (The thread's next snapshot opens readers of its own: none are shared.)"""
        snap = self.current()
        self._local.snapshot = None
        return snap

    def release(self, snap: Snapshot, keep: dict | None = None) -> None:
        with self._lock:
            if snap in self._open:
                self._open.remove(snap)
                self._keep_segments(set())
        snap.close(keep)

    def discard(self) -> None:
        """Closes this thread's snapshot; the next call takes a fresh one."""
        snap = getattr(self._local, "snapshot", None)
        self._local.snapshot = None
        if snap is not None:
            self.release(snap)

    def retrying(self, work, detach: bool = False):
        """work(snapshot); run again on the new commit when it fails because the
        indexer committed meanwhile. With `detach`, returns (result, snapshot)."""
        for attempt in range(RETRIES):
            snap = None
            try:
                snap = self.detach() if detach else self.current()
                result = work(snap)
                return (result, snap) if detach else result
            except _Changed:
                continue
            except Exception as err:
                if snap is not None:
                    self.release(snap) if detach else self.discard()
                if isinstance(err, StatementsError) or snap is None:
                    raise
                if attempt < RETRIES - 1 and self._listing()[0] != snap.stamp:
                    continue
                self._raise_if_damaged(err)
                raise
        raise IndexUnusable(f"the index in {self.index_dir} changed {RETRIES} times during one "
                            "search; try again")

    def close(self) -> None:
        with self._lock:
            snaps, self._open = self._open, []
        for snap in snaps:
            snap.close()
        self._local = threading.local()

    # --- taking a snapshot -------------------------------------------------------------

    def _take(self, stamp: tuple, names: set[str], reuse: dict) -> Snapshot:
        """A snapshot of the commit `stamp` names (or a newer one), with the
        readers of `reuse` whose segments it still has."""
        try:
            ix, words_ix = self._open_indexes(stamp)
            searcher, readers = open_searcher(ix, reuse, self._weighting)
            try:
                words, word_readers = open_searcher(words_ix, reuse)
                readers.update(word_readers)
                try:
                    reader, word_reader = searcher.reader(), words.reader()
                    try:
                        storage.hold_files(reader)
                        storage.hold_files(word_reader)
                        texts.hold(reader)
                    except IndexUnusable as err:  # (it names the file, not the index)
                        raise damaged(self.index_dir, str(err)) from err
                    table = self._cached(self._tables, storage.content_key(reader),
                                         lambda: self._new_table(reader), KEEP_TABLES)
                    words_key = storage.content_key(word_reader)
                    word_list = functools.partial(
                        self._cached, self._word_lists, words_key,
                        lambda: self._vocabulary.words(word_reader), KEEP_WORD_LISTS)
                except BaseException:
                    close_readers(word_readers, reuse)
                    raise
            except BaseException:
                close_readers(readers, reuse)
                raise
        except Exception as err:
            if self._listing()[0] != stamp:
                raise _Changed from err  # a commit took files away meanwhile
            if isinstance(err, IndexUnusable):
                raise
            raise damaged(self.index_dir, _what(err)) from err
        segments = tuple(f"{leaf.segment().segment_id()}."
                         for r in (reader, word_reader) for leaf, _ in r.leaf_readers()
                         if leaf.segment() is not None)
        files = frozenset(name for name in names if name.startswith(segments))
        snap = Snapshot(searcher, table, word_list, stamp, files, self.postings, readers, self._kept)
        with self._lock:
            self._open.append(snap)
        return snap

    def _new_table(self, reader) -> FacetTable:
        if self._on_new_commit is not None:
            self._on_new_commit(reader)
        self._keep_segments({segment_id(leaf) for leaf, _ in reader.leaf_readers()})
        table = FacetTable(reader, self._columns, self.registry)
        slow = table.slow()
        if slow and set(slow) - set(self.slow):
            log.warning("the index in %s opens slowly: %d of its %d segments have no good arrays file "
                        "(%s), so their columns are read value by value; %s", self.index_dir, len(slow),
                        len(table.segment_names), next(iter(slow.values())), ADVICE)
        self.slow = slow
        return table

    def _keep_segments(self, used: set[str]) -> None:
        """Drops the postings and columns of segments neither `used` nor an
        open snapshot has. (Called under self._lock, so self._open holds still.)"""
        for snap in self._open:
            used.update(segment_id(leaf) for leaf, _ in snap.searcher.reader().leaf_readers())
        self.postings.keep_only(used)
        self._columns = {k: v for k, v in self._columns.items() if k in used}

    def _cached(self, cache: dict, key: tuple, make, keep: int):
        """make(), computed once per commit content; `cache` keeps the newest `keep`."""
        found = cache.get(key)
        if found is None:
            with self._lock:
                found = cache.get(key)
                if found is None:
                    found = make()
                    cache[key] = found
                    for old in list(cache)[:-keep]:  # (dicts keep insertion order)
                        del cache[old]
        return found

    def _open_indexes(self, stamp: tuple):
        """The Whoosh indexes, opened again (and checked) when the directory's
        commit changes: it may be another index now, even of another version."""
        with self._lock:
            if self._indexes is not None and self._indexes[0] == stamp:
                return self._indexes[1:]
            try:
                ix, words_ix = storage.open_indexes(str(self.index_dir))
            except IndexUnusable as err:
                raise IndexUnusable(
                    f"the index in {self.index_dir} cannot be used: {err}; rebuild it with "
                    f"`python -m indexer --rebuild --index {self.index_dir}`"
                ) from None
            except Exception as err:  # an unreadable table of contents, whatever the error
                raise damaged(self.index_dir, _what(err)) from err
            check_sizes(self.index_dir, ix)  # (a cut column reads as default values: never serve it)
            self._indexes = (stamp, ix, words_ix)
            return ix, words_ix

    def _raise_if_damaged(self, err: Exception) -> None:
        """Raises IndexUnusable, saying what is wrong, when `err` came from reading
        a damaged index rather than from a commit meanwhile."""
        try:
            check_index(self._indexes[1])
        except IndexUnusable as found:
            raise found from err
        except Exception:  # the check could not tell: the original error stands
            pass

    def _listing(self) -> tuple[tuple, set[str]]:
        """(what names the directory's latest commit of both indexes, the names
        of its files). The commit is named by generation numbers and the
        identity of the table-of-contents files: a replaced or re-created
        index starts its generations again."""
        for _ in range(RETRIES):
            latest: dict[str, tuple[int, os.DirEntry]] = {}
            names = set()
            try:
                with os.scandir(self.index_dir) as entries:
                    for entry in entries:
                        names.add(entry.name)
                        found = _TOC.fullmatch(entry.name)
                        if found and int(found[2]) >= latest.get(found[1], (-1, None))[0]:
                            latest[found[1]] = (int(found[2]), entry)
                if MAIN_INDEX not in latest:
                    break
                return tuple(
                    (name, generation, entry.inode(), entry.stat().st_mtime_ns)
                    for name, (generation, entry) in sorted(latest.items())
                ), names
            except FileNotFoundError:  # the directory is gone, or a commit removed that file
                continue
            except NotADirectoryError:
                break
        raise IndexUnusable(missing(self.index_dir))


def commit_time(index_dir) -> float:
    """When the latest commit of the index in `index_dir` was made (its statements'
    table of contents), in epoch seconds."""
    for _ in range(RETRIES):
        latest, vanished = (-1, None), False
        try:
            with os.scandir(index_dir) as entries:
                for entry in entries:
                    found = _TOC.fullmatch(entry.name)
                    if found and found[1] == MAIN_INDEX and int(found[2]) > latest[0]:
                        try:
                            latest = (int(found[2]), entry.stat().st_mtime)
                        except FileNotFoundError:  # a newer commit removed it meanwhile
                            vanished = True
        except (FileNotFoundError, NotADirectoryError):
            break
        if latest[1] is not None:
            return latest[1]
        if not vanished:
            break
        # The commit that removed it came after the listing began: list again.
    raise IndexUnusable(missing(Path(index_dir)))


class _Changed(Exception):
    """A snapshot could not be taken because a commit landed meanwhile."""


def missing(index_dir: Path) -> str:
    # ("in the folder": "there is no index in index" reads as a stutter)
    return f"there is no index in the folder {index_dir}; build it with `python -m indexer --index {index_dir}`"


def _what(err: Exception) -> str:
    if isinstance(err, IndexUnusable):
        return str(err)
    if isinstance(err, OSError) and err.filename:
        return f"{Path(err.filename).name}: {err.strerror}"
    return f"{type(err).__name__}: {err}"
