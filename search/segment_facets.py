"""One segment's facet columns as numpy arrays, read and parsed once.

A segment never changes once written, so its columns are kept by segment id
(in `Snapshots`) and a commit that adds a few statements reads only its new
segments; `FacetTable` joins the kept parts. Multi-valued columns are kept
with their values already made unique within the segment, so the join
sorts only the distinct values, not every statement's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from search import schema as S
from search import storage
from search.fields import FIELDS, KEYWORD, Field

# The single-valued columns: (attribute, column, dtype).
SINGLE = (("year", S.YEAR_COL, np.int32), ("month", S.MONTH_COL, np.int32),
          ("lang", S.LANG_COL, np.int32), ("datekey", S.DATEKEY, np.int64))


@dataclass
class Part:
    """A multi-valued column of one segment: entry → (document, value id)."""

    doc: np.ndarray  # the entry's document, within the segment
    values: np.ndarray  # the segment's distinct values, sorted
    ids: np.ndarray  # the entry's value, an index into `values`

    @classmethod
    def of(cls, lengths: np.ndarray, values: np.ndarray) -> Part:
        """From each document's count of values and all the values, in document order."""
        doc = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        distinct, ids = np.unique(values, return_inverse=True)
        return cls(doc, distinct, ids.astype(np.int64).reshape(-1))


@dataclass
class SegmentFacets:
    """The facet columns of one segment (deleted statements included)."""

    size: int
    single: dict[str, np.ndarray]  # attribute → one value per document
    numbers: Part
    mentioned: Part
    keywords: dict[str, Part]  # column name → part
    declared_raw: list[bytes]  # the declared facets' packed column, parsed per facet when asked
    declared: dict[str, Part] = field(default_factory=dict)

    @classmethod
    def read(cls, leaf) -> SegmentFacets:
        """Reads a segment's columns; IndexUnusable names a column a live segment lacks."""
        size = leaf.doc_count_all()
        single = {name: np.fromiter(storage.read_column(leaf, column), dtype=dtype, count=size)
                  for name, column, dtype in SINGLE}
        keywords = {name: Part.of(*keyword_parts(storage.read_column(leaf, name)))
                    for f in FIELDS if f.kind == KEYWORD for name in f.columns}
        return cls(size, single, int_part(storage.read_column(leaf, S.NUMBERS_COL)),
                   int_part(storage.read_column(leaf, S.MENTIONED_YEARS_COL)), keywords,
                   storage.read_column(leaf, S.DECLARED_COL))

    def declared_part(self, f: Field) -> Part:
        """A declared facet's values: keywords as strings, integers as numbers."""
        part = self.declared.get(f.name)
        if part is None:  # (two threads may both parse it: the same part either way)
            lengths, flat = declared_parts(self.declared_raw, f.name)
            values = (np.array(flat, dtype=str) if f.kind == KEYWORD
                      else np.array([int(v) for v in flat], dtype=np.int64))
            part = self.declared[f.name] = Part.of(lengths, values)
        return part


def int_part(blobs: list[bytes]) -> Part:
    """A packed int64 column (schema.pack_ints) as a part."""
    lengths = np.fromiter((len(b) // 8 for b in blobs), dtype=np.int64, count=len(blobs))
    return Part.of(lengths, np.frombuffer(b"".join(blobs), dtype=np.int64))


def keyword_parts(blobs: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Packed string lists (schema.pack_strings) → (each document's count of strings, all the strings)."""
    lists = [S.unpack_strings(b) if b else [] for b in blobs]
    lengths = np.fromiter((len(v) for v in lists), dtype=np.int64, count=len(lists))
    return lengths, np.array([v for vs in lists for v in vs], dtype=str)


def declared_parts(blobs: list[bytes], name: str) -> tuple[np.ndarray, list[str]]:
    """One declared facet's values out of the column that holds them all ("NAME\x1fVALUE")."""
    prefix = name + S.DECLARED_SEP
    lists = [[v[len(prefix):] for v in S.unpack_strings(b) if v.startswith(prefix)] if b else []
             for b in blobs]
    lengths = np.fromiter((len(v) for v in lists), dtype=np.int64, count=len(lists))
    return lengths, [v for vs in lists for v in vs]


def joined(parts: list[tuple[Part, int]], empty) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(doc, values, ids) of the whole index from (segment part, the segment's
    first document number) pairs; `empty` is the values' dtype when there are none."""
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=empty), np.zeros(0, dtype=np.int64)
    values = np.unique(np.concatenate([p.values for p, _ in parts]))
    doc = np.concatenate([p.doc + offset for p, offset in parts])
    ids = np.concatenate([np.searchsorted(values, p.values)[p.ids] if len(p.ids) else p.ids
                          for p, _ in parts])
    return doc, values, ids
