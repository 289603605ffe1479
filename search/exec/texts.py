"""The statements' text: each language's body, in a column of its own.

Bodies are not in the stored fields: a view that needs one language's text
of thousands of statements (a concordance sorted by the words beside its
matches, key terms) would otherwise unpickle and decompress every field of
each. The indexer writes each language's text with `encode`; everything that
reads a body reads it through `Texts`.
"""

from __future__ import annotations

import weakref
import zlib
from bisect import bisect_right

import numpy as np

from search import schema as S
from search.exec import segment_files, storage

# A short text is kept as it is: compressed on its own it saves about a third
# and costs more to decompress than to read. A long one is compressed.
COMPRESS_FROM = 1024  # bytes of UTF-8
_PLAIN, _ZLIB = b"t", b"z"


def encode(text: str | None, compress_from: int = COMPRESS_FROM) -> bytes:
    """A body's column value (empty for no text); compressed from `compress_from`
    bytes on, when that makes it smaller."""
    if not text:
        return b""
    data = text.encode("utf-8")
    if len(data) >= compress_from:
        packed = zlib.compress(data, 3)
        if len(packed) < len(data):
            return _ZLIB + packed
    return _PLAIN + data


def decode(value: bytes) -> str:
    if not value:
        return ""
    if value[:1] == _ZLIB:
        return zlib.decompress(memoryview(value)[1:]).decode("utf-8")
    return value[1:].decode("utf-8")


def compressed(value: bytes) -> bool:
    """True for a long text's value: decoding it costs more than keeping the text."""
    return value[:1] == _ZLIB


# Segment reader → column name → its opened column (opening one derives its offsets, in Python).
_OPENED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def hold(reader) -> None:
    """Opens every live segment's columns of bytes (S.BYTES_COLUMNS) now, as
    `storage.hold_files` opens the other files a search reads later: a
    snapshot read after a commit deleted the files (an export) still shows its
    own. A segment's columns stay open with its reader, which a thread's next
    snapshot takes over, so a commit opens only its new segments'."""
    for leaf, _offset in reader.leaf_readers():
        if not leaf.doc_count_all():
            continue
        opened = _OPENED.setdefault(leaf, {})
        if not opened:  # (a new segment: its columns' offsets from the file written beside it, if good)
            opened.update(_mapped(leaf))
        for fieldname in S.BYTES_COLUMNS:
            if fieldname not in opened:
                opened[fieldname] = _open(leaf, fieldname)


class TextsMoved(Exception):
    """A segment's text column went missing after the searcher was opened: a
    commit merged the segment away (a search is run again on the new commit)."""


class Texts:
    """The bodies of one searcher's statements, by document number.

    Each segment's column is opened once for as long as its reader lives (as a
    snapshot, a reader belongs to one thread), on first use.
    """

    def __init__(self, searcher, fields: dict[str, str] = S.TEXT):
        self._leaves = list(searcher.reader().leaf_readers())
        self._offsets = [offset for _, offset in self._leaves]
        self._columns = [_OPENED.setdefault(leaf, {}) for leaf, _ in self._leaves]
        self._fields = fields  # language → column: the texts, or another column written by `encode`

    def text(self, docnum: int, lang: str) -> str:
        """The statement's text in one language ("" when it has none)."""
        return decode(self.value(docnum, lang))

    def value(self, docnum: int, lang: str) -> bytes:
        """The statement's column value in one language (see `decode`)."""
        i, fieldname = bisect_right(self._offsets, docnum) - 1, self._fields[lang]
        column = self._columns[i].get(fieldname)
        if column is None:
            column = self._columns[i][fieldname] = _open(self._leaves[i][0], fieldname)
        return column[docnum - self._offsets[i]]

    def sections(self, stored: dict, docnum: int) -> list[tuple[str, str]]:
        """(language, text) of the statement's languages that have text, in the
        order it was written (its stored languages)."""
        found = [(lang, self.text(docnum, lang)) for lang in stored.get(S.LANG, "").split()
                 if lang in S.TEXT]
        return [(lang, text) for lang, text in found if text]



class _Mapped:
    """A text column read through the value offsets of the segment's arrays file
    (search.exec.segment_files), as Whoosh's reader reads it through those it derives."""

    def __init__(self, dbfile, basepos: int, offsets, lengths):
        self._dbfile, self._basepos, self._offsets, self._lengths = dbfile, basepos, offsets, lengths

    def __len__(self) -> int:
        return len(self._lengths)

    def __getitem__(self, docnum: int) -> bytes:
        length = int(self._lengths[docnum])
        if not length:
            return b""
        return self._dbfile.get(self._basepos + int(self._offsets[docnum]), length)

    def whole(self) -> bytes:
        """Every value end to end, in one read (a column's values are written back to back)."""
        size = int(self._lengths.sum())
        return self._dbfile.get(self._basepos, size) if size else b""


def _mapped(leaf) -> dict:
    """Column name → its reader, for a segment whose arrays file holds its offsets ({} otherwise)."""
    found = segment_files.text_offsets(leaf)
    if found is None:
        return {}
    perdoc, out = leaf._perdoc, {}  # (Whoosh's per-document reader: it holds the column files open)
    for fieldname, (offsets, lengths) in found.items():
        if not leaf.has_column(fieldname):
            raise TextsMoved(f"segment {storage.segment_name(leaf)} has no {fieldname} column")
        if fieldname not in perdoc._colfiles:
            perdoc._colfiles[fieldname] = perdoc._get_column_file(fieldname)
        colfile, basepos, _length = perdoc._colfiles[fieldname]
        out[fieldname] = _Mapped(colfile, basepos, offsets, lengths)
    return out


def _open(leaf, fieldname: str):
    # Whoosh reads a column whose file is missing as all defaults (empty
    # texts); the searcher's open file is reused while the file exists.
    if not leaf.has_column(fieldname):
        raise TextsMoved(f"segment {storage.segment_name(leaf)} has no {fieldname} column")
    return leaf.column_reader(fieldname, translate=False)


def column_arrays(reader, fieldname: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(bytes, offsets, lengths) of a column of bytes for every statement of a reader,
    deleted ones included, end to end: each segment's values taken in one read
    through its arrays file's offsets, or value by value from one without (those
    segments' values are all read first, then each copied into the whole)."""
    segments = []  # (each value's size, a function giving the segment's values end to end)
    for leaf, _offset in reader.leaf_readers():
        if not leaf.doc_count_all():
            continue
        mapped = _mapped(leaf).get(fieldname)
        if mapped is not None:
            segments.append((np.asarray(mapped._lengths, np.int64), mapped.whole))
        else:
            values = storage.read_column(leaf, fieldname)
            segments.append((np.fromiter(map(len, values), np.int64, len(values)),
                             lambda values=values: b"".join(values)))
    lengths = np.concatenate([sizes for sizes, _ in segments]) if segments else np.zeros(0, np.int64)
    offsets = np.zeros(len(lengths), np.int64)
    np.cumsum(lengths[:-1], out=offsets[1:])  # (a segment's values start where the one before ends)
    data, at = np.empty(int(lengths.sum()), np.uint8), 0
    for n, (sizes, values) in enumerate(segments):
        size = int(sizes.sum())
        data[at:at + size] = np.frombuffer(values(), np.uint8)
        segments[n] = None  # (a segment's values let go once copied)
        at += size
    return data, offsets, lengths
