"""An index on disk: opening both its indexes, reading a column whole, holding a commit's files.

The schema (search.schema) says what the fields are; this module reads them.
"""

from __future__ import annotations

import functools
import struct

from whoosh import columns
from whoosh import index as whoosh_index
from whoosh.codec import whoosh3 as W3
from whoosh.filedb.filestore import FileStorage

from search import schema as S
from search.errors import IndexUnusable
from search.exec.integrity import damaged


def open_indexes(where: str):
    """(statements index, vocabulary index) in directory `where`; raises
    IndexUnusable (saying why, without the remedy) when either was written by another version or the
    vocabulary is missing (a rebuild makes both)."""
    storage = FileStorage(where)
    ix = _opened(storage, S.STATEMENTS_INDEX, _expected_shapes(False))
    try:
        words = _opened(storage, S.VOCABULARY_INDEX, _expected_shapes(True))
    except whoosh_index.EmptyIndexError:
        raise IndexUnusable("its vocabulary is missing") from None
    return ix, words


def _opened(storage, indexname: str, expected: dict):
    """An index whose table of contents is read once to check its schema, then
    given to it: Whoosh reads the schema's pickle again on every look otherwise
    (a server opens both indexes on every commit)."""
    toc = whoosh_index.TOC.read(storage, indexname)
    if S.shapes(toc.schema) != expected:
        raise IndexUnusable("it was built by another version of the indexer")
    return whoosh_index.FileIndex(storage, schema=toc.schema, indexname=indexname)


@functools.cache
def _expected_shapes(vocabulary: bool) -> dict:
    """What `S.shapes` gives for the schema this code writes (built once: 0.2 ms a time)."""
    return S.shapes(S.build_vocabulary_schema() if vocabulary else S.build_schema())


def vocabulary_words(reader) -> list[str]:
    """Every word a vocabulary index holds, sorted."""
    words: set[str] = set()
    for stored in reader.all_stored_fields():
        words.update(stored.get(S.WORDS, "").split("\n"))
    words.discard("")
    return sorted(words)


def read_column(reader, fieldname: str) -> list:
    """Every document's value of a column, in document order, deleted ones included.

    Read segment by segment: Whoosh's multi-segment column reader leaves out
    segments that have no file for the column, which would shift every later
    document. A live segment without the column, or with bytes no writer wrote, raises IndexUnusable.
    (Searches keep what they read per segment: search.exec.facet_columns.)
    """
    values: list = []
    for leaf, _offset in reader.leaf_readers():
        if leaf.doc_count_all():
            try:
                values.extend(_segment_column(leaf, fieldname))
            except (UnicodeDecodeError, ValueError, struct.error) as err:  # bytes no writer wrote
                raise damaged(getattr(leaf._storage, "folder", leaf._storage),
                              f"segment {segment_name(leaf)}'s {fieldname} column cannot be read: {err}") from None
    return values


def hold_files(reader) -> None:
    """Opens the files of every live segment that a search reads after the
    searcher is opened (stored fields, field lengths), and checks that each
    has the statement columns, which the facet table reads at once.

    A commit deletes the files of the segments it merged away; an open file
    stays readable, so a reader that holds them shows its commit whole however
    long it is used. Columns are only looked for, not opened: a segment's are
    read into memory once (search.exec.facet_columns) and opening them again on
    every commit cost more than the search. Raises IndexUnusable, naming the
    file, for a file a live segment lacks: Whoosh would read its values as defaults.
    """
    for leaf, _offset in reader.leaf_readers():
        if not leaf.doc_count_all():
            continue
        perdoc = leaf._perdoc  # (Whoosh's per-document reader; its cached readers keep the files open)
        if perdoc._cached_reader("_stored", W3.STORED_COLUMN) is None:
            raise IndexUnusable(f"segment {segment_name(leaf)} has no stored fields")
        for fieldname in leaf.schema.scorable_names():
            if leaf.field_length(fieldname) and perdoc._cached_reader(
                    W3._lenfield(fieldname), W3.LENGTHS_COLUMN) is None:
                raise IndexUnusable(f"segment {segment_name(leaf)} has no lengths of {fieldname}")
        if S.STATEMENT_COLUMNS[0] in leaf.schema:  # (the vocabulary index has no columns)
            for fieldname in S.STATEMENT_COLUMNS:
                if not leaf.has_column(fieldname):
                    raise IndexUnusable(f"segment {segment_name(leaf)} has no {fieldname} column")


def _segment_column(leaf, fieldname: str):
    """One segment's column, from the file the reader holds open once read.

    Not SegmentReader.column_reader(): it checks on every call that the file
    still exists, and reads defaults when it does not.
    """
    perdoc = leaf._perdoc
    if fieldname not in perdoc._colfiles and not perdoc.has_column(fieldname):
        raise IndexUnusable(f"segment {segment_name(leaf)} has no {fieldname} column")
    field = leaf.schema[fieldname]
    return columns.TranslatingColumnReader(perdoc.column_reader(fieldname, field.column_type),
                                           field.from_column_value)


def segment_name(leaf) -> str:
    return leaf.segment().segment_id()  # (the file names' prefix)


def content_key(reader) -> tuple:
    """What identifies the content of a commit: its segments (random ids, new
    for every segment written) and how many statements each has deleted
    (deletions only grow). Unlike a generation number, no other commit nor
    another index has it."""
    return tuple(
        (leaf.segment().segment_id(), leaf.segment().deleted_count())
        for leaf, _ in reader.leaf_readers() if leaf.segment() is not None
    )
