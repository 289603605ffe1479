"""Is an index whole? A damaged index is said plainly, never served or updated
as if it were whole.

`check_index` is cheap enough to run on every commit a server opens: every
live segment's files are present, its columns and terms readable, its sizes
agree with its document count. `check_index_thoroughly` also reads every
stored document, column value and posting list, for the indexer.
"""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path

from whoosh import columns
from whoosh.reading import SegmentReader

from search.errors import IndexUnusable

STORED_COLUMN = "_stored"  # the column that holds a segment's stored fields
REBUILD = "python -m indexer --rebuild"
# The sizes (and times) of each segment's files as the indexer wrote or first read
# them (indexer/checked.py writes it). A segment's files never change once written,
# so another size is damage, even one the files' own checks cannot see (a fixed-width
# column cut at a value's end reads as trailing default values).
CHECKED_FILE = "indexer.checked.json"


def damaged(where, what: str) -> IndexUnusable:
    """The error for a damaged index: what was found, and the remedy."""
    return IndexUnusable(f"the index in {where} is damaged ({what}); rebuild it with `{REBUILD}`")


def check_index(ix) -> None:
    """Raises IndexUnusable naming what is wrong when a live segment of `ix` is damaged."""
    _check(ix, thorough=False)


def check_index_thoroughly(ix, trusted=frozenset()) -> None:
    """check_index, and every stored document, column value and posting list read,
    except in the segments named in `trusted` (read through before, unchanged since)."""
    _check(ix, thorough=True, trusted=trusted)


def _check(ix, thorough: bool, trusted=frozenset()) -> None:
    where = getattr(ix.storage, "folder", ix.storage)
    try:
        segments = ix._segments()
    except Exception as err:  # an unreadable table of contents, whatever the error
        raise damaged(where, f"its table of contents cannot be read: {_said(err)}") from None
    for segment in segments:
        name = segment.segment_id()
        try:
            problem = _segment_problem(ix.storage, ix.schema, segment,
                                       thorough and name not in trusted)
        except Exception as err:  # Whoosh reports damage as any exception at all
            problem = f"segment {name} cannot be read: {_said(err)}"
        if problem:
            raise damaged(where, problem)


def recorded(index_dir) -> dict:
    """{index name: {segment id: [[file name, size, mtime]…]}} as the indexer recorded them; {} when none."""
    try:
        value = json.loads((Path(index_dir) / CHECKED_FILE).read_text(encoding="utf-8"))
        return value if isinstance(value, dict) else {}
    except (OSError, ValueError):
        return {}


def check_sizes(index_dir, ix) -> None:
    """Raises IndexUnusable when a file of a live segment of `ix` is not the size the
    indexer recorded (a stat per file: cheap enough for every commit a server opens)."""
    known = recorded(index_dir).get(ix.indexname, {})
    if not isinstance(known, dict):
        return
    base = os.fspath(index_dir)  # (os.path, not pathlib: a server checks hundreds of files per commit)
    for segment in ix._segments():
        files = known.get(segment.segment_id())
        for entry in files if isinstance(files, list) else ():
            if not (isinstance(entry, list) and len(entry) >= 2 and isinstance(entry[0], str)
                    and isinstance(entry[1], int)):
                continue  # (a record this code did not write: nothing to compare)
            name, size = entry[0], entry[1]
            try:
                now = os.stat(os.path.join(base, name)).st_size
            except FileNotFoundError:  # a newer commit merged it away meanwhile (check_index
                continue  # reports a missing file of the commit being served)
            if now != size:
                raise damaged(index_dir, f"{name} holds {now:,} bytes; it was written with {size:,}")


def _said(err: Exception) -> str:
    return f"{type(err).__name__}: {err}" if str(err) else type(err).__name__


def _column_fields(schema) -> list[tuple[str, object]]:
    return [(name, field.column_type) for name, field in schema.items() if field.column_type]


def _segment_problem(storage, schema, segment, thorough: bool) -> str | None:
    """What is wrong with one segment, or None."""
    name = segment.segment_id()
    count = segment.doc_count_all()
    if segment.deleted_count() > count:
        return f"segment {name} deletes more documents than it holds"
    if segment.is_compound():
        files = [segment.make_filename(".seg")]
        wanted = []
    else:
        # Every document has a stored-fields entry and a value in every column
        # (the indexer writes each for every statement), so each file exists.
        wanted = [(STORED_COLUMN, None)] + _column_fields(schema) if count else []
        files = [segment.make_filename(ext) for ext in (".trm", ".pst")]
        files += [segment.make_filename(f".{field}.col") for field, _ in wanted]
    for filename in files:
        if not storage.file_exists(filename):
            return f"{filename} is missing"
    if segment.is_compound():
        return None
    for field, column in wanted:
        if isinstance(column, columns.NumericColumn):
            size = storage.file_length(segment.make_filename(f".{field}.col"))
            width = struct.calcsize(column._typecode)
            # Trailing default values are not written, so the file may be shorter.
            if size % width or size > width * count:
                return (f"{segment.make_filename(f'.{field}.col')} holds {size} bytes, "
                        f"not up to {count} values of {width}")
    reader = SegmentReader(storage, schema, segment)
    try:
        return _reader_problem(reader, name, count, wanted, thorough)
    finally:
        reader.close()


def _reader_problem(reader, name: str, count: int, wanted, thorough: bool) -> str | None:
    if not count:
        return None
    docs = range(count) if thorough else sorted({0, count - 1})
    for field, _ in wanted:
        if field == STORED_COLUMN:
            for docnum in docs:
                if not isinstance(reader.stored_fields(docnum), dict):
                    return f"segment {name}: document {docnum} has no stored fields"
            continue
        values = reader.column_reader(field, translate=False)
        for docnum in docs:
            values[docnum]
    terms = iter(reader.all_terms())
    first = next(terms, None)
    if first is not None:
        _read_postings(reader, *first)
    if thorough:
        for fieldname, text in terms:
            _read_postings(reader, fieldname, text)
    return None


def _read_postings(reader, fieldname: str, text: bytes) -> None:
    """Decodes a term's posting list (raises if its bytes are damaged)."""
    # The segment's own postings, deleted documents included, as its term info counts them.
    terms = reader._terms
    matcher = terms.matcher(fieldname, text, reader.schema[fieldname].format)
    items = list(matcher.all_items())
    if len(items) != terms.doc_frequency(fieldname, text):
        raise ValueError(f"the postings of {fieldname}:{text!r} disagree with its document count")
