"""Facet counts and filters over the per-document columns, vectorised.

The columns (year, month, languages, date key, numbers and years mentioned,
and the keyword columns of the registry's KEYWORD filters, such as the
resolutions cited) are written at index time. A FacetTable reads them once per index
generation into numpy arrays; then a filter is a boolean mask over document
numbers and a facet count is a bincount, whatever the size of the result.
"""

from __future__ import annotations

import numpy as np

from search import schema as S
from search.fields import DATE_RANGE, FIELDS, KEYWORD, LANGUAGE, Field, every
from search.fields import TOP_MENTIONED_YEARS, TOP_NUMBERS, TOP_RESOLUTIONS  # noqa: F401  (the facets' sizes)
from search.langdata import LANGUAGES
from search.query_build import date_key_range
from search.results import FacetValue, Filters


class MultiColumn:
    """A multi-valued integer column as flat arrays (document, value id)."""

    def __init__(self, blobs: list[bytes], size: int):
        lengths = np.fromiter((len(b) // 8 for b in blobs), dtype=np.int64, count=size)
        self._fill(lengths, np.frombuffer(b"".join(blobs), dtype=np.int64), size)

    def _fill(self, lengths: np.ndarray, values: np.ndarray, size: int) -> None:
        """From each document's count of values and all the values, in document order."""
        self.doc = np.repeat(np.arange(size, dtype=np.int64), lengths)
        self.values, self.ids = np.unique(values, return_inverse=True)
        self.size = size

    def docs_with_any(self, wanted) -> np.ndarray:
        kind = str if self.values.dtype.kind == "U" else np.int64
        ids = np.searchsorted(self.values, np.asarray(list(wanted), dtype=kind))
        ids = ids[(ids < len(self.values))]
        ids = ids[np.isin(self.values[ids], list(wanted))]
        return self._docs(np.isin(self.ids, ids))

    def docs_in_range(self, lo: int | None, hi: int | None) -> np.ndarray:
        ok = np.ones(len(self.values), dtype=bool)
        if lo is not None:
            ok &= self.values >= lo
        if hi is not None:
            ok &= self.values <= hi
        return self._docs(ok[self.ids])

    def _docs(self, entry_mask: np.ndarray) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        mask[self.doc[entry_mask]] = True
        return mask

    def counts(self, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(values, counts) of the documents in `mask`, zero counts left out."""
        counts = np.bincount(self.ids[mask[self.doc]], minlength=len(self.values))
        nonzero = np.flatnonzero(counts)
        return self.values[nonzero], counts[nonzero]


class KeywordColumn(MultiColumn):
    """A multi-valued string column (schema.pack_strings): value ids over the
    sorted vocabulary of the strings, so it filters and counts as numbers do."""

    def __init__(self, blobs: list[bytes], size: int):
        lengths, flat = keyword_parts(blobs)
        self._fill(lengths, np.array(flat, dtype=str), size)

    @classmethod
    def from_parts(cls, lengths: np.ndarray, flat: list[str], size: int) -> KeywordColumn:
        column = cls.__new__(cls)
        column._fill(lengths, np.array(flat, dtype=str), size)
        return column


def keyword_parts(blobs: list[bytes]) -> tuple[np.ndarray, list[str]]:
    """Packed string lists → (each document's count of strings, all the strings)."""
    lists = [S.unpack_strings(b) if b else [] for b in blobs]
    lengths = np.fromiter((len(v) for v in lists), dtype=np.int64, count=len(lists))
    return lengths, [v for vs in lists for v in vs]


def declared_parts(blobs: list[bytes], name: str) -> tuple[np.ndarray, list[str]]:
    """One declared facet's values out of the column that holds them all ("NAME\x1fVALUE")."""
    prefix = name + S.DECLARED_SEP
    lists = [[v[len(prefix):] for v in S.unpack_strings(b) if v.startswith(prefix)] if b else []
             for b in blobs]
    lengths = np.fromiter((len(v) for v in lists), dtype=np.int64, count=len(lists))
    return lengths, [v for vs in lists for v in vs]


def declared_column(f: Field, lengths: np.ndarray, flat: list[str], size: int) -> MultiColumn:
    """A declared facet's column: keywords as strings, integers as numbers."""
    if f.kind == KEYWORD:
        return KeywordColumn.from_parts(lengths, flat, size)
    column = MultiColumn.__new__(MultiColumn)
    column._fill(lengths, np.array([int(v) for v in flat], dtype=np.int64), size)
    return column


class FacetTable:
    """The facet columns of one index generation."""

    def __init__(self, reader, kept: dict | None = None):
        """`kept`: columns of segments read before (see schema.read_column)."""
        size = reader.doc_count_all()
        self.size = size
        self.live = np.zeros(size, dtype=bool)
        for leaf, offset in reader.leaf_readers():  # (asking each statement is slow; most segments delete none)
            count = leaf.doc_count_all()
            if not leaf.has_deletions():
                self.live[offset:offset + count] = True
            else:
                self.live[offset + np.fromiter(leaf.all_doc_ids(), dtype=np.int64)] = True

        def column(name, dtype):
            return np.fromiter(values(name), dtype=dtype, count=size)

        def values(name):
            # An index with no segments has Whoosh's EmptyReader: no columns.
            return S.read_column(reader, name, kept) if size else []

        self._kept = kept
        leaves = [leaf for leaf, _ in reader.leaf_readers() if leaf.doc_count_all()] if size else []
        self.year = column(S.YEAR_COL, np.int32)
        self.month = column(S.MONTH_COL, np.int32)
        self.lang = column(S.LANG_COL, np.int32)
        self.datekey = column(S.DATEKEY, np.int64)
        self.numbers = MultiColumn(values(S.NUMBERS_COL), size)
        self.mentioned = MultiColumn(values(S.MENTIONED_YEARS_COL), size)
        # Keyword columns, by column name: whatever the registry's KEYWORD filters read.
        self.keywords = {
            name: KeywordColumn.from_parts(*self._parts(
                [(S.segment_name(leaf), lambda leaf=leaf, name=name: S.read_column(leaf, name))
                 for leaf in leaves], name, keyword_parts), size)
            for f in FIELDS if f.kind == KEYWORD for name in f.columns}
        # Read now (the reader closes with its snapshot); made into columns when first asked for.
        self._declared = [(S.segment_name(leaf), S.read_column(leaf, S.DECLARED_COL, kept))
                          for leaf in leaves]

    def _parts(self, segments, key: str, parse) -> tuple[np.ndarray, list]:
        """parse(a segment's values) → (counts, values), per segment, kept by
        segment id like the raw values, so a commit parses only its new segments.
        `segments`: (segment id, its values or a function reading them)."""
        lengths, flat = [np.zeros(0, dtype=np.int64)], []
        for segment, raw in segments:
            name = (segment, "parsed", key)
            part = self._kept.get(name) if self._kept is not None else None
            if part is None:
                part = parse(raw() if callable(raw) else raw)
                if self._kept is not None:
                    self._kept[name] = part
            lengths.append(part[0])
            flat.extend(part[1])
        return np.concatenate(lengths), flat

    def _declared_column(self, f: Field) -> MultiColumn:
        if f.name not in self.keywords:
            parts = self._parts(self._declared, f"declared:{f.name}", lambda b: declared_parts(b, f.name))
            self.keywords[f.name] = declared_column(f, *parts, self.size)
        return self.keywords[f.name]

    def column(self, name: str):
        """A column by the name a registry entry gives it."""
        if name in self.keywords:
            return self.keywords[name]
        f = next((f for f in every() if f.declared and f.name == name), None)
        return self._declared_column(f) if f else getattr(self, name)

    # --- filters ----------------------------------------------------------------

    def filter_masks(self, filters: Filters) -> dict[str, np.ndarray]:
        """One mask per facet with an active filter (the date range counts as "date");
        the filters of one facet (numbers and a number range) narrow it together."""
        masks: dict[str, np.ndarray] = {}
        for f in every():
            if f.active(filters):
                mask = self._mask(f, f.value(filters))
                masks[f.group] = masks[f.group] & mask if f.group in masks else mask
        return masks

    def _mask(self, f: Field, value) -> np.ndarray:
        if f.kind == DATE_RANGE:
            return self.date_mask(*value)
        if f.kind == LANGUAGE:
            return (self.lang & S.lang_mask(value)) != 0
        mask = np.zeros(self.size, dtype=bool)
        for name in f.columns:  # a match in any of the filter's columns
            column = self.column(name)
            if f.is_range:
                mask |= column.docs_in_range(*value)
            elif isinstance(column, MultiColumn):
                mask |= column.docs_with_any(value)
            else:
                mask |= np.isin(column, value)
        return mask

    def date_mask(self, lo, hi) -> np.ndarray:
        """As query_build.date_query: dated within, or known only by an overlapping year."""
        lo_key, hi_key = date_key_range(lo, hi)
        mask = self.datekey >= lo_key
        if hi_key is not None:
            mask &= self.datekey <= hi_key
        if lo is not None:
            mask |= self.datekey == S.date_key(lo.year)
        return mask

    def combine(self, base: np.ndarray, masks: dict[str, np.ndarray], without: str | None = None):
        mask = base & self.live
        for name, m in masks.items():
            if name != without:
                mask &= m
        return mask

    # --- counts -------------------------------------------------------------------

    def facets(self, base: np.ndarray, filters: Filters, masks: dict[str, np.ndarray]):
        """Counts for every counted facet. A facet's own selection does not narrow
        it, so its other values stay visible with their counts (multi-select)."""
        out = {}
        for f in every():
            if not f.counted:
                continue
            mask = self.combine(base, masks, f.group)
            selected = f.value(filters)
            if f.kind == LANGUAGE:
                out[f.name] = self.lang_facet(mask, selected)
            elif f.display == "histogram":
                out[f.name] = self.year_facet(mask, selected)
            else:
                out[f.name] = self._top(self.column(f.columns[0]), mask, selected, f.top)
                if f.value_names is not None:  # (an entity's names, for people to read)
                    for v in out[f.name]:
                        v.names = f.value_names(v.value)
        return out

    def year_facet(self, mask: np.ndarray, selected=()) -> list[FacetValue]:
        """Years, newest first, each with its months."""
        years = self.year[mask]
        months = self.month[mask]
        out = []
        for year in sorted(set(np.unique(years).tolist()) - {0}, reverse=True):
            in_year = years == year
            month_values, month_counts = np.unique(months[in_year], return_counts=True)
            children = [
                FacetValue(int(m), int(c)) for m, c in zip(month_values, month_counts) if m
            ]
            out.append(FacetValue(int(year), int(in_year.sum()), year in selected, children))
        return out

    def lang_facet(self, mask: np.ndarray, selected=()) -> list[FacetValue]:
        langs = self.lang[mask]
        out = []
        for n, lang in enumerate(LANGUAGES):
            count = int(((langs >> n) & 1).sum())
            if count or lang in selected:
                out.append(FacetValue(lang, count, lang in selected))
        return out

    @staticmethod
    def _top(column: MultiColumn, mask: np.ndarray, selected, limit: int | None) -> list[FacetValue]:
        values, counts = column.counts(mask)
        order = np.lexsort((values, -counts))[:limit]
        out = [FacetValue(values[i].item(), int(counts[i]), values[i].item() in selected) for i in order]
        shown = {v.value for v in out}
        for value in selected:  # a selected value stays visible, even with no count
            if value not in shown:
                found = np.flatnonzero(values == value)
                out.append(FacetValue(value, int(counts[found[0]]) if len(found) else 0, True))
        return out
