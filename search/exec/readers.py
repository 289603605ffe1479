"""A commit's searcher, made of segment readers reused from the thread's previous one.

A segment never changes once written (only its deletions grow), so after a
commit that adds a segment, the readers of the others are still good: their
term tables, stored fields and length columns stay open, and only the new
segment's are opened. Opening every segment again cost more than the search
itself. Readers are not shared between threads (a Whoosh file read is a seek
and a read), only handed on from one snapshot of a thread to its next.
"""

from __future__ import annotations

from whoosh import scoring
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher

Key = tuple  # (segment id, deleted count): what a segment reader shows


def key_of(segment) -> Key:
    return (segment.segment_id(), segment.deleted_count())


def open_searcher(ix, reuse: dict[Key, object], weighting=scoring.BM25F) -> tuple[Searcher, dict[Key, object]]:
    """(a searcher of the index's latest commit, its segment readers by key),
    taking the readers in `reuse` whose segment and deletions are the same.

    The searcher does not close its readers: whoever holds the returned
    readers closes them (see `close_readers`). When opening fails, the
    readers opened here are closed and those of `reuse` are left alone.
    """
    toc = ix._read_toc()  # (what FileIndex.reader reads: with the schema the index was opened with)
    readers: dict[Key, object] = {}
    try:
        for segment in toc.segments:
            key = key_of(segment)
            found = reuse.get(key)
            readers[key] = found if found is not None else SegmentReader(
                ix.storage, toc.schema, segment, generation=toc.generation)
        if not readers:
            reader = EmptyReader(toc.schema)
        elif len(readers) == 1:  # (as Whoosh opens an index of one segment)
            reader = next(iter(readers.values()))
        else:
            reader = MultiReader(list(readers.values()), generation=toc.generation)
        return Searcher(reader, weighting=weighting, closereader=False, fromindex=ix), readers
    except BaseException:
        close_readers(readers, keep=reuse)
        raise


def close_readers(readers: dict[Key, object], keep: dict[Key, object] | None = None) -> None:
    """Closes the readers, but not those `keep` holds (the same objects)."""
    kept = {id(r) for r in (keep or {}).values()}
    for reader in readers.values():
        if id(reader) not in kept:
            try:
                reader.close()
            except Exception:  # its files may be gone already; nothing to release then
                pass
