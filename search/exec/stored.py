"""A page of hits' stored fields, kept per segment in the postings cache.

Whoosh reads a statement's stored fields from a compressed column, value by
value (some 13 µs a statement); a page shown again (the next search of the
same words with another filter, the page after, a second reader) reads them
from the cache. Exports read stored fields directly: they would only push a
searcher's postings out of the cache.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

from search.exec.postings import PostingsCache, segment_id


class _Kept(NamedTuple):
    fields: dict
    nbytes: int  # about what the dict holds (the cache counts its entries' bytes)


def stored_fields(searcher, cache: PostingsCache, docnum: int) -> dict:
    """The statement's stored fields, as `searcher.stored_fields` gives them (not to be changed)."""
    leaves = searcher.reader().leaf_readers()
    i = bisect_right([offset for _, offset in leaves], docnum) - 1 if len(leaves) > 1 else 0
    leaf, offset = leaves[i]
    return cache.get((segment_id(leaf), "stored", docnum - offset),
                     lambda: _kept(searcher.stored_fields(docnum))).fields


def _kept(fields: dict) -> _Kept:
    return _Kept(fields, _bytes(fields))


def _bytes(value) -> int:
    """About how many bytes a stored value holds (strings by their length, containers by their items)."""
    if isinstance(value, str):
        return 50 + len(value)
    if isinstance(value, dict):
        return 64 + sum(_bytes(k) + _bytes(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return 56 + sum(_bytes(v) for v in value)
    return 32
