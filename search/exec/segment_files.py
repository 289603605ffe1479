"""What a snapshot reads of a segment, written beside it at commit time as raw
numpy arrays, so a freshly opened index maps them instead of reading Whoosh's
columns value by value (seconds at 100,000 statements).

Two files per segment (Whoosh removes them with the segment's own files):
SEGMENT.facets.arrays, its facet columns (search.exec.facet_columns), and
SEGMENT.texts.arrays, where each text column's values start and how long they
are (search.exec.texts; Whoosh derives them in Python when a segment has up to
32,768 statements). Each holds a magic number, a JSON manifest, then the arrays, each aligned, read
with one memory map and no parsing. The manifest records the segment id, its
document count, the sizes of the column files the arrays were made from, the
payload's size and CRC-32: a file of another segment, of a segment written
again, cut short or overwritten is never trusted. Such a file, or none (an
index written before these files existed), is not damage: the columns are
read from the segment the slow way, a warning says so, and the next run of
the indexer writes the file again (`write_missing`).
"""

from __future__ import annotations

import json
import logging
import os
import struct
import zlib
from pathlib import Path

import numpy as np
from whoosh.codec.whoosh3 import W3Codec
from whoosh.index import TOC
from whoosh.reading import SegmentReader

from search import schema as S
from search.errors import IndexUnusable
from search.exec.storage import segment_name
from search.exec.facet_columns import SegmentFacets

log = logging.getLogger(__name__)

SUFFIX = ".arrays"
FORMAT = 2  # (2: the texts file holds the reuse columns too) bump when what the arrays hold changes: older files are then read the slow way
MAGIC = b"\x93STMARR"  # (8 bytes with the format's byte)
ALIGN = 64
# Each file: the segment's column files its arrays are made of (their sizes are recorded).
FACETS, TEXTS = "facets", "texts"
SOURCES = {
    FACETS: (S.YEAR_COL, S.MONTH_COL, S.LANG_COL, S.DATEKEY, S.NUMBERS_COL, S.MENTIONED_YEARS_COL,
             S.RESOLUTIONS_COL, S.MENTIONS_COL, S.DECLARED_COL),
    TEXTS: S.BYTES_COLUMNS,
}
UNTRUSTED = (OSError, ValueError, KeyError, TypeError)  # what reading a file not as written raises
ADVICE = "run `python -m indexer` once to write them (or rebuild the index)"


def path_of(folder, segment, kind: str) -> Path:
    return Path(folder) / f"{segment.segment_id()}.{kind}{SUFFIX}"


def facets(leaf) -> tuple[SegmentFacets, str | None]:
    """(a segment's facet columns, None) from its file; (the same read from the
    segment value by value, why its file was not used) when it has no good one."""
    size = leaf.doc_count_all()
    segment = leaf.segment()
    folder = getattr(leaf._storage, "folder", None)
    if folder is None:  # (an index in memory: no files beside it)
        return SegmentFacets.read(leaf), None
    try:
        return SegmentFacets.from_arrays(size, load(folder, segment, size, FACETS)), None
    except FileNotFoundError:
        why = "it has no arrays file"
    except UNTRUSTED as err:
        why = f"its arrays file is not used: {err}"
        log.warning("segment %s: %s; its columns are read from the segment (slower)",
                    segment.segment_id(), why)
    found = SegmentFacets.read(leaf)
    found.slow = why
    return found, why


def text_offsets(leaf) -> dict[str, tuple[np.ndarray, np.ndarray]] | None:
    """Column name → (each value's offset, its length) of a segment's text and
    form-term columns, from its file; None when it has no good one."""
    size, folder = leaf.doc_count_all(), getattr(leaf._storage, "folder", None)
    if folder is None:
        return None
    try:
        arrays = load(folder, leaf.segment(), size, TEXTS)
        found = {name: (arrays[f"{name}.offsets"], arrays[f"{name}.lengths"]) for name in SOURCES[TEXTS]}
        if any(len(o) != size or len(n) != size for o, n in found.values()):
            raise ValueError("a column's length is not the segment's document count")
        return found
    except FileNotFoundError:
        return None
    except UNTRUSTED as err:
        log.warning("segment %s: its texts' arrays file is not used: %s", leaf.segment().segment_id(), err)
        return None


def load(folder, segment, size: int, kind: str) -> dict[str, np.ndarray]:
    """The arrays of a segment's file, memory-mapped; FileNotFoundError when it has
    none, ValueError when the file is not whole or not of this segment as it is."""
    path = path_of(folder, segment, kind)
    with open(path, "rb") as f:
        head = f.read(16)
        if len(head) < 16 or head[:7] != MAGIC:
            raise ValueError(f"{path.name} is not an arrays file")
        if head[7] != FORMAT:
            raise ValueError(f"{path.name} was written by another version (format {head[7]})")
        (length,) = struct.unpack("<Q", head[8:])
        manifest = json.loads(f.read(length).decode("utf-8"))
        filesize = os.fstat(f.fileno()).st_size
    start = _aligned(16 + length)
    if manifest.get("segment") != segment.segment_id() or manifest.get("documents") != size:
        raise ValueError(f"{path.name} is of another segment")
    if filesize != start + manifest["payload"]:
        raise ValueError(f"{path.name} holds {filesize:,} bytes, not {start + manifest['payload']:,}")
    if manifest.get("sources") != _sources(folder, segment, kind):
        raise ValueError(f"{path.name} was made from other columns than the segment's")
    payload = np.memmap(path, dtype=np.uint8, mode="r", offset=start, shape=(manifest["payload"],)) \
        if manifest["payload"] else np.zeros(0, dtype=np.uint8)
    if zlib.crc32(payload) != manifest["crc32"]:
        raise ValueError(f"{path.name} holds other bytes than were written (its checksum differs)")
    arrays = {}
    for name, (offset, dtype, shape) in manifest["arrays"].items():
        dtype = np.dtype(dtype)
        count = int(np.prod(shape))
        arrays[name] = payload[offset:offset + count * dtype.itemsize].view(dtype).reshape(shape)
    return arrays


def write(folder, segment, kind: str, arrays: dict[str, np.ndarray]) -> Path:
    """Writes a segment's file (atomically: a reader sees the whole file or none)."""
    table, offset = {}, 0
    for name, values in arrays.items():
        table[name] = (offset, values.dtype.str, list(values.shape))
        offset = _aligned(offset + values.nbytes)
    payload = bytearray(offset)
    for name, values in arrays.items():
        start = table[name][0]
        payload[start:start + values.nbytes] = np.ascontiguousarray(values).tobytes()
    manifest = json.dumps({
        "segment": segment.segment_id(), "documents": segment.doc_count_all(),
        "sources": _sources(folder, segment, kind), "payload": len(payload), "crc32": zlib.crc32(payload),
        "arrays": table,
    }).encode("utf-8")
    head = MAGIC + bytes([FORMAT]) + struct.pack("<Q", len(manifest)) + manifest
    path = path_of(folder, segment, kind)
    tmp = path.with_name(f".{path.name}.tmp")  # (a dotted name: Whoosh's clean-up leaves it alone)
    try:
        with open(tmp, "wb") as f:
            f.write(head + bytes(_aligned(len(head)) - len(head)))
            f.write(payload)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_missing(ix) -> int:
    """Writes the file of each segment of `ix`'s latest commit that has no good one
    (a new segment, a merged one, or an index older than these files); returns how
    many it wrote. The indexer calls it after every commit."""
    folder = getattr(ix.storage, "folder", None)
    toc = TOC.read(ix.storage, ix.indexname)
    if folder is None or S.STATEMENT_COLUMNS[0] not in toc.schema:
        return 0  # (an index in memory, or the vocabulary: no columns)
    written = 0
    for segment in toc.segments:
        if not segment.doc_count_all() or segment.is_compound():
            continue
        kinds = [kind for kind in SOURCES if not _good(folder, segment, kind)]
        if not kinds:
            continue
        reader = SegmentReader(ix.storage, toc.schema, segment, generation=toc.generation)
        try:
            for kind in kinds:
                write(folder, segment, kind, _arrays(reader, kind))
                written += 1
        finally:
            reader.close()
    return written


def _arrays(reader, kind: str) -> dict[str, np.ndarray]:
    if kind == FACETS:
        return SegmentFacets.read(reader).arrays()
    out = {}
    for name in SOURCES[TEXTS]:
        if not reader.has_column(name):
            raise IndexUnusable(f"segment {segment_name(reader)} has no {name} column")
        column = reader.column_reader(name, translate=False)  # (the offsets Whoosh derived or read)
        out[f"{name}.offsets"] = np.asarray(column._offsets, dtype=np.int64)
        out[f"{name}.lengths"] = np.asarray(column._lengths, dtype=np.int64)
    return out


def missing(reader) -> list[str]:
    """The live segments of `reader` whose arrays file is missing or not good."""
    folder = None
    out = []
    for leaf, _offset in reader.leaf_readers():
        if leaf.doc_count_all() and leaf.segment() is not None:
            folder = folder or getattr(leaf._storage, "folder", None)
            if folder is not None and not all(_good(folder, leaf.segment(), kind) for kind in SOURCES):
                out.append(leaf.segment().segment_id())
    return out


def _good(folder, segment, kind: str) -> bool:
    try:
        load(folder, segment, segment.doc_count_all(), kind)
        return True
    except UNTRUSTED:
        return False


def _sources(folder, segment, kind: str) -> dict[str, int]:
    """The sizes of the segment's column files the arrays are made of."""
    out = {}
    for fieldname in SOURCES[kind]:
        name = W3Codec.column_filename(segment, fieldname)
        try:
            out[name] = os.stat(Path(folder) / name).st_size
        except FileNotFoundError:
            out[name] = None
    return out


def _aligned(n: int) -> int:
    return -(-n // ALIGN) * ALIGN
