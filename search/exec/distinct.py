"""The distinct values of an array of integers or strings, as np.unique gives
them (floats' NaNs are not merged as np.unique merges them), by a sort and a
comparison of neighbours: numpy 2's np.unique hashes the values first and
took 1.5 ms for 13,000 document numbers here, this 0.1 ms (a search asks it
for the union of a word's forms' statements)."""

from __future__ import annotations

import numpy as np


def distinct(values: np.ndarray, counts: bool = False):
    """The sorted distinct values of an array of integers or strings; with
    `counts`, (those values, how many times each occurs)."""
    ordered = np.sort(values, axis=None)  # (a sorted copy)
    first = np.empty(len(ordered), dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    found = ordered[first]
    if not counts:
        return found
    return found, np.diff(np.append(np.flatnonzero(first), len(ordered)))
