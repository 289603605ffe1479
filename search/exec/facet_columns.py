"""One segment's facet columns as numpy arrays, read and parsed once.

A segment never changes once written, so its columns are kept by segment id
(in `Snapshots`) and a commit that adds a few statements reads only its new
segments; `FacetTable` joins the kept parts. Multi-valued columns are kept
with their values already made unique within the segment, so the join
sorts only the distinct values, not every statement's. The same arrays are
written beside the segment when it is committed (search.exec.segment_files), so a
freshly opened index maps them instead of reading the columns value by value.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from search import schema as S
from search.exec import storage
from search.fields import FIELDS, KEYWORD, Field
from search.exec.distinct import distinct

# The single-valued columns: (attribute, column, dtype).
SINGLE = (("year", S.YEAR_COL, np.int32), ("month", S.MONTH_COL, np.int32),
          ("lang", S.LANG_COL, np.int32), ("datekey", S.DATEKEY, np.int64))


@dataclass
class Part:
    """A multi-valued column of one segment: entry → (document, value id)."""

    doc: np.ndarray  # the entry's document, within the segment
    values: np.ndarray  # the segment's distinct values, sorted
    ids: np.ndarray  # the entry's value, an index into `values`
    by_value: np.ndarray | None = None  # the entries' documents ordered by value (int32; see `runs`)

    @functools.cached_property
    def runs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(the entries' documents ordered by value, where each value's run of them
        starts, the value ids that have one): counting the documents of a mask is
        then one gather and one sum per run, not a pass that writes every entry."""
        if self.by_value is None:
            self.by_value = self.doc[np.argsort(self.ids)].astype(np.int32)
        n = np.bincount(self.ids, minlength=len(self.values))
        has = np.flatnonzero(n)
        return self.by_value, (np.cumsum(n) - n)[has], has

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
    # The declared facets: name → (each document's count of values, the values as strings),
    # parsed from the packed column when first asked for (`declared_raw`), or given.
    declared_lists: dict[str, tuple[np.ndarray, np.ndarray]] | None = None
    declared_raw: list[bytes] | None = None
    declared: dict[str, Part] = field(default_factory=dict)
    slow: str | None = None  # why the columns were read value by value, not from the segment's file

    @classmethod
    def read(cls, leaf) -> SegmentFacets:
        """Reads a segment's columns value by value; IndexUnusable names a column a live segment lacks."""
        size = leaf.doc_count_all()
        single = {name: np.fromiter(storage.read_column(leaf, column), dtype=dtype, count=size)
                  for name, column, dtype in SINGLE}
        keywords = {name: Part.of(*keyword_parts(storage.read_column(leaf, name))) for name in KEYWORD_COLUMNS}
        return cls(size, single, int_part(storage.read_column(leaf, S.NUMBERS_COL)),
                   int_part(storage.read_column(leaf, S.MENTIONED_YEARS_COL)), keywords,
                   declared_raw=storage.read_column(leaf, S.DECLARED_COL))

    def declared_part(self, f: Field) -> Part:
        """A declared facet's values: keywords as strings, integers as numbers."""
        part = self.declared.get(f.name)
        if part is None:  # (two threads may both parse it: the same part either way)
            lengths, flat = self._declared_lists().get(
                f.name, (np.zeros(self.size, dtype=np.int64), np.zeros(0, dtype=str)))
            values = flat if f.kind == KEYWORD else flat.astype(np.int64)
            part = self.declared[f.name] = Part.of(lengths, values)
        return part

    def _declared_lists(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        if self.declared_lists is None:
            self.declared_lists = declared_lists(self.declared_raw, self.size)
        return self.declared_lists

    # --- as the arrays of a segment's file (search.exec.segment_files) ---------------------

    def arrays(self) -> dict[str, np.ndarray]:
        """Every array, by a name `from_arrays` reads back."""
        out = {f"single.{name}": values for name, values in self.single.items()}
        for name, part in self._parts():
            out.update({f"{name}.doc": part.doc, f"{name}.values": part.values, f"{name}.ids": part.ids,
                        f"{name}.by_value": part.runs[0]})
        for name, (lengths, values) in self._declared_lists().items():
            out[f"declared.{name}.lengths"], out[f"declared.{name}.values"] = lengths, values
        return out

    def _parts(self):
        yield "numbers", self.numbers
        yield "mentioned", self.mentioned
        for name, part in self.keywords.items():
            yield f"keyword.{name}", part

    @classmethod
    def from_arrays(cls, size: int, arrays: dict[str, np.ndarray]) -> SegmentFacets:
        """The facets `arrays()` gave; ValueError when they do not fit a segment of `size` documents."""
        def part(name: str) -> Part:
            found = Part(*(arrays[f"{name}.{a}"] for a in ("doc", "values", "ids")),
                         by_value=arrays.get(f"{name}.by_value"))  # (none in a file written before it)
            by_value = found.by_value if found.by_value is not None else found.doc
            if len(found.doc) != len(found.ids) or len(by_value) != len(found.doc) or (len(found.doc) and (
                    found.doc[0] < 0 or found.doc[-1] >= size or found.ids.min() < 0
                    or found.ids.max() >= len(found.values) or by_value.min() < 0 or by_value.max() >= size)):
                raise ValueError(f"{name} does not fit the segment")
            return found

        try:
            single = {name: arrays[f"single.{name}"] for name, _column, _dtype in SINGLE}
            declared = {key[len("declared."):-len(".lengths")]: (arrays[key], arrays[key[:-len("lengths")] + "values"])
                        for key in arrays if key.startswith("declared.") and key.endswith(".lengths")}
            made = cls(size, single, part("numbers"), part("mentioned"),
                       {name: part(f"keyword.{name}") for name in KEYWORD_COLUMNS}, declared_lists=declared)
        except KeyError as err:
            raise ValueError(f"no array {err}") from None
        if any(len(v) != size for v in single.values()) or any(
                len(lengths) != size or int(lengths.sum()) != len(values) for lengths, values in declared.values()):
            raise ValueError("a column's length is not the segment's document count")
        return made


# The keyword columns: whatever the KEYWORD filters read.
KEYWORD_COLUMNS = tuple(name for f in FIELDS if f.kind == KEYWORD for name in f.columns)


def int_part(blobs: list[bytes]) -> Part:
    """A packed int64 column (schema.pack_ints) as a part."""
    lengths = np.fromiter((len(b) // 8 for b in blobs), dtype=np.int64, count=len(blobs))
    return Part.of(lengths, np.frombuffer(b"".join(blobs), dtype=np.int64))


def keyword_parts(blobs: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Packed string lists (schema.pack_strings) → (each document's count of strings, all the strings)."""
    lists = [S.unpack_strings(b) if b else [] for b in blobs]
    lengths = np.fromiter((len(v) for v in lists), dtype=np.int64, count=len(lists))
    return lengths, np.array([v for vs in lists for v in vs], dtype=str)


def declared_lists(blobs: list[bytes], size: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The declared facets' values out of the column that holds them all ("NAME\x1fVALUE"):
    name → (each document's count of values, the values as strings)."""
    found: dict[str, tuple[list[int], list[int], list[str]]] = {}  # name → (documents, counts, values)
    for doc, blob in enumerate(blobs):
        for value in S.unpack_strings(blob) if blob else ():
            name, _sep, value = value.partition(S.DECLARED_SEP)
            docs, counts, values = found.setdefault(name, ([], [], []))
            if docs and docs[-1] == doc:
                counts[-1] += 1
            else:
                docs.append(doc)
                counts.append(1)
            values.append(value)
    out = {}
    for name, (docs, counts, values) in found.items():
        lengths = np.zeros(size, dtype=np.int64)
        lengths[docs] = counts
        out[name] = (lengths, np.array(values, dtype=str))
    return out


def joined(parts: list[tuple[Part, int]], empty) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(doc, values, ids) of the whole index from (segment part, the segment's
    first document number) pairs; `empty` is the values' dtype when there are none."""
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=empty), np.zeros(0, dtype=np.int64)
    values = distinct(np.concatenate([p.values for p, _ in parts]))
    doc = np.concatenate([p.doc + offset for p, offset in parts])
    ids = np.concatenate([np.searchsorted(values, p.values)[p.ids] if len(p.ids) else p.ids
                          for p, _ in parts])
    return doc, values, ids
