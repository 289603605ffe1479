"""Facet counts and filters over the per-document columns, vectorised.

The columns (year, month, languages, date key, numbers and years mentioned,
and the keyword columns of the registry's KEYWORD filters, such as the
resolutions cited) are written at index time. A FacetTable joins them, read
once per segment, into numpy arrays; then a filter is a boolean mask over
document numbers and a facet count is a bincount, whatever the size of the result.
"""

from __future__ import annotations

import functools

import numpy as np

from search import schema as S
from search.exec import storage
from search.fields import DATE_RANGE, FIELDS, KEYWORD, LANGUAGE, Field
from search.fields import TOP_MENTIONED_YEARS, TOP_NUMBERS, TOP_RESOLUTIONS  # noqa: F401  (the facets' sizes)
from search.lang.table import LANGUAGES
from search.query.build import date_key_range
from search.registry import BUILT_IN, Registry
from search.results import FacetValue, Filters
from search.exec.facet_columns import SINGLE, Part, SegmentFacets, int_part, joined
from search.exec.segment_files import facets as segment_facets

# A multi-valued facet is counted document by document when the documents are
# fewer than its entries divided by this; else in one pass over every entry, in
# value order (Part.runs). Measured at a million statements, the pass is the
# cheaper from about 8 entries a document down (at 38,000, from about 3: both
# take under 0.1 ms there).
SPARSE = 8
MONTHS = 13  # a year's month values: 0 (unknown) and 1 to 12


class MultiColumn:
    """A multi-valued column (integers or strings) as flat arrays: each entry's
    document and value id, over the sorted distinct values."""

    def __init__(self, blobs: list[bytes], size: int):
        """From a packed int64 column (schema.pack_ints), one blob per document."""
        part = int_part(blobs)
        self.doc, self.values, self.ids, self.size = part.doc, part.values, part.ids, size
        self._parts = [(part, 0, np.arange(len(part.values)))]

    @classmethod
    def joined(cls, parts: list[tuple[Part, int]], size: int, empty) -> MultiColumn:
        """The index's column from its segments' parts (see segment_facets.joined)."""
        column = cls.__new__(cls)
        column.doc, column.values, column.ids = joined(parts, empty)
        column.size = size
        # (each part, its first document, and its value ids' in the joined column: for `counts`)
        column._parts = [(p, offset, np.searchsorted(column.values, p.values)) for p, offset in parts]
        return column

    def docs_with_any(self, wanted) -> np.ndarray:
        kind = str if self.values.dtype.kind == "U" else np.int64
        ids = np.searchsorted(self.values, np.asarray(list(wanted), dtype=kind))
        ids = ids[(ids < len(self.values))]
        ids = ids[np.isin(self.values[ids], list(wanted))]
        chosen = np.zeros(len(self.values), dtype=bool)  # (a table by value id: np.isin sorts every entry)
        chosen[ids] = True
        return self._docs(chosen[self.ids])

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

    def counts(self, mask: np.ndarray, docs: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(values, counts) of the documents in `mask`, zero counts left out.
        With `docs` (the mask's document numbers, ascending), few of them are
        counted through each one's run of entries, not by a pass over all entries."""
        if docs is not None and self._one_each:  # (entry = document)
            counts = np.bincount(self.ids[docs], minlength=len(self.values))
        elif docs is not None and len(docs) * SPARSE < len(self.doc):
            first, n = self._starts[docs], self._starts[docs + 1] - self._starts[docs]
            # Each document's run of entries, laid end to end.
            entries = np.repeat(first - (np.cumsum(n) - n), n) + np.arange(int(n.sum()))
            counts = np.bincount(self.ids[entries], minlength=len(self.values))
        else:  # (per segment, the mask at its entries in value order, summed over each value's run)
            counts = np.zeros(len(self.values), dtype=np.int64)
            for part, offset, joined_ids in self._parts:
                by_value, starts, has = part.runs
                if len(has):
                    counts[joined_ids[has]] += np.add.reduceat(mask[offset:][by_value], starts, dtype=np.int64)
        nonzero = np.flatnonzero(counts)
        return self.values[nonzero], counts[nonzero]

    @functools.cached_property
    def _starts(self) -> np.ndarray:
        """Where each document's entries start (entries are in document order), and the end."""
        return np.concatenate([[0], np.cumsum(np.bincount(self.doc, minlength=self.size))])

    @functools.cached_property
    def _one_each(self) -> bool:
        """Whether every document has exactly one entry."""
        return len(self.doc) == self.size and bool((np.diff(self._starts) == 1).all())


class FacetTable:
    """The facet columns of one commit, joined from its segments' (see search.exec.facet_columns),
    filtered and counted by the fields of the index's registry."""

    def __init__(self, reader, kept: dict | None = None, registry: Registry = BUILT_IN):
        """`kept`: segment id → SegmentFacets read before; a segment never
        changes, so after a commit only its new segments are read."""
        self.registry = registry
        size = reader.doc_count_all()
        self.size = size
        self.live = np.zeros(size, dtype=bool)
        # An index with no segments has Whoosh's EmptyReader: no columns.
        leaves = [(leaf, offset) for leaf, offset in reader.leaf_readers()
                  if leaf.doc_count_all()] if size else []
        self._segments: list[tuple[SegmentFacets, int]] = []
        self.segment_names = [storage.segment_name(leaf) for leaf, _ in leaves]
        for leaf, offset in leaves:  # (asking each statement is slow; most segments delete none)
            count = leaf.doc_count_all()
            if not leaf.has_deletions():
                self.live[offset:offset + count] = True
            else:
                self.live[offset + np.fromiter(leaf.all_doc_ids(), dtype=np.int64)] = True
            name = storage.segment_name(leaf)
            segment = kept.get(name) if kept is not None else None
            if segment is None:
                segment = segment_facets(leaf)[0]
                if kept is not None:
                    kept[name] = segment
            self._segments.append((segment, offset))
        for name, _column, dtype in SINGLE:
            setattr(self, name, np.concatenate([s.single[name] for s, _ in self._segments])
                    if self._segments else np.zeros(0, dtype=dtype))
        self.numbers = self._joined(lambda s: s.numbers, np.int64)
        self.mentioned = self._joined(lambda s: s.mentioned, np.int64)
        # Keyword columns, by column name: whatever the registry's KEYWORD filters read.
        self.keywords = {name: self._joined(lambda s, name=name: s.keywords[name], str)
                         for f in FIELDS if f.kind == KEYWORD for name in f.columns}

    def slow(self) -> dict[str, str]:
        """Segment id → why its columns were read value by value (it has no good arrays file)."""
        return {name: s.slow for (s, _), name in zip(self._segments, self.segment_names) if s.slow}

    def _joined(self, part_of, empty) -> MultiColumn:
        return MultiColumn.joined([(part_of(s), offset) for s, offset in self._segments],
                                  self.size, empty)

    def _declared_column(self, f: Field) -> MultiColumn:
        if f.name not in self.keywords:
            self.keywords[f.name] = self._joined(lambda s: s.declared_part(f),
                                                 str if f.kind == KEYWORD else np.int64)
        return self.keywords[f.name]

    def column(self, name: str):
        """A column by the name a registry entry gives it."""
        if name in self.keywords:
            return self.keywords[name]
        f = next((f for f in self.registry.declared if f.name == name), None)
        return self._declared_column(f) if f else getattr(self, name)

    # --- filters ----------------------------------------------------------------

    def filter_masks(self, filters: Filters) -> dict[str, np.ndarray]:
        """One mask per facet with an active filter (the date range counts as "date");
        the filters of one facet (numbers and a number range) narrow it together."""
        masks: dict[str, np.ndarray] = {}
        for f in self.registry.fields:
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
        """As query_build.date_query: dated within, or known only by a year the range covers."""
        lo_key, hi_key, partial_year = date_key_range(lo, hi)
        mask = self.datekey >= lo_key
        if hi_key is not None:
            mask &= self.datekey <= hi_key
        if partial_year is not None:
            mask &= self.datekey != partial_year
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
        shared = None  # (mask, its documents) of the facets without a selection of their own
        for f in self.registry.fields:
            if not f.counted:
                continue
            if f.group in masks:
                mask = self.combine(base, masks, f.group)
                docs = np.flatnonzero(mask)
            else:
                if shared is None:
                    mask = self.combine(base, masks)
                    shared = (mask, np.flatnonzero(mask))
                mask, docs = shared
            selected = f.value(filters)
            if f.kind == LANGUAGE:
                out[f.name] = self.lang_facet(mask, selected, docs)
            elif f.display == "histogram":
                out[f.name] = self.year_facet(mask, selected, docs)
            else:
                out[f.name] = self._top(self.column(f.columns[0]), mask, selected, f.top, docs)
                if f.value_names is not None:  # (an entity's names, for people to read)
                    for v in out[f.name]:
                        v.names = f.value_names(v.value)
        return out

    def year_facet(self, mask: np.ndarray, selected=(), docs: np.ndarray | None = None) -> list[FacetValue]:
        """Years, newest first, each with its months (counted at once, per year and month)."""
        low, keys, size = self._year_months
        counts = np.bincount(keys[mask] if docs is None else keys[docs], minlength=size)
        rows = counts.reshape(-1, MONTHS)[1:].tolist()  # (row 0: the undated)
        out = []
        for row in range(len(rows) - 1, -1, -1):
            per_month = rows[row]
            total = sum(per_month)
            if total:
                year = low + row
                children = [FacetValue(m, c) for m, c in enumerate(per_month) if m and c]
                out.append(FacetValue(year, total, year in selected, children))
        return out

    @functools.cached_property
    def _year_months(self) -> tuple[int, np.ndarray, int]:
        """(the earliest year, each statement's year and month as one number:
        (year - earliest + 1) * MONTHS + month, or its month alone when undated,
        and one more than the largest such number could be)."""
        dated = self.year != 0
        low = int(self.year[dated].min()) if dated.any() else 0
        keys = np.where(dated, (self.year.astype(np.int64) - low + 1) * MONTHS, 0) + self.month
        high = int(self.year.max()) if len(self.year) else 0
        return low, keys.astype(np.int64), (max(high, low) - low + 2) * MONTHS

    def lang_facet(self, mask: np.ndarray, selected=(), docs: np.ndarray | None = None) -> list[FacetValue]:
        langs = self.lang[mask] if docs is None else self.lang[docs]
        # (a statement's languages are bits: count each combination once, then each bit)
        per_set = np.bincount(langs, minlength=1 << len(LANGUAGES))
        sets = np.arange(len(per_set))
        out = []
        for n, lang in enumerate(LANGUAGES):
            count = int(per_set[(sets >> n) & 1 == 1].sum())
            if count or lang in selected:
                out.append(FacetValue(lang, count, lang in selected))
        return out

    @staticmethod
    def _top(column: MultiColumn, mask: np.ndarray, selected, limit: int | None,
             docs: np.ndarray | None = None) -> list[FacetValue]:
        values, counts = column.counts(mask, docs)
        # Most frequent first, ties in value order (values are sorted and distinct).
        order = np.argsort(-counts, kind="stable")[:limit]
        shown_values, shown_counts = values[order].tolist(), counts[order].tolist()
        out = [FacetValue(v, c, v in selected) for v, c in zip(shown_values, shown_counts)]
        shown = set(shown_values)
        for value in selected:  # a selected value stays visible, even with no count
            if value not in shown:
                found = np.flatnonzero(values == value)
                out.append(FacetValue(value, int(counts[found[0]]) if len(found) else 0, True))
        return out
