"""A form's page read as a person reads it (a drawing's title block, a table
PDFium gives column by column): a lone cell goes beside the row it stands
level with, and labels turned across the page (a drawing's margin, a stamp
up the side) after the upright text.

Only what a measured page needs: a cell is a line of one or two words with
no longer line just above or below it, so a column of prose, its headings
and its paragraphs' last lines, is never taken apart."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right

CELL_WORDS = 2  # a cell has at most this many words; a line with more is a row (or prose)
LEVEL = 0.5  # a cell stands level with a line sharing this share of the lower one's height
NEAR = 1.5  # a line this many line heights or fewer above or below another, over it, is its neighbour


def form_order(order: list[int], lines: list[list], text: str, quarters: list[int | None]) -> list[int]:
    """`order` with the lines turned from the page's upright text (its commonest
    quarter turn) after the others, and each lone upright cell moved beside the
    row placed before it that it stands level with (before the row when left
    of it, after it when right)."""
    counts: dict[int, int] = {}
    for q in quarters:
        if q is not None:
            counts[q] = counts.get(q, 0) + 1
    upright = max(counts, key=counts.get) if counts else None
    turned = [k for k in order if quarters[k] not in (upright, None)]
    words = [len(text[start:end].split()) for start, end, _ in lines]
    near = _Neighbours([line if quarters[m] in (upright, None) else [0, 0, None]
                        for m, line in enumerate(lines)])
    out: list[int] = []
    for k in (k for k in order if quarters[k] in (upright, None)):
        row = _row_of(k, out, near.lines, words, near) if _cell(k, near.lines, words, near) else None
        if row is None:
            out.append(k)
            continue
        at, cell = out.index(row), lines[k][2]
        if cell[2] <= lines[row][2][0]:  # (left of its row: before it and the cells between)
            while at and _level(lines[out[at - 1]][2], cell) and lines[out[at - 1]][2][0] >= cell[2]:
                at -= 1
        else:  # (right of it: after it and the cells between)
            at += 1
            while at < len(out) and _level(lines[out[at]][2], cell) and lines[out[at]][2][0] < cell[0]:
                at += 1
        out.insert(at, k)
    return out + turned


def quarter_turn(angle: float) -> int | None:
    """The quarter turn (0–3) nearest a character's angle in radians (PDFium's; below 0 when unknown)."""
    return None if angle < 0 else round(angle / (math.pi / 2)) % 4


def _cell(k: int, lines, words, near) -> bool:
    box = lines[k][2]
    return (box is not None and words[k] <= CELL_WORDS
            and not any(words[m] > CELL_WORDS for m in near.of(k)))


def _row_of(k: int, placed: list[int], lines, words, near) -> int | None:
    """The placed line a cell stands level with most, beside it and no part of
    prose (None: none)."""
    cell, best, found = lines[k][2], 0.0, None
    for m in placed:
        b = lines[m][2]
        if b is None or not (b[2] <= cell[0] or cell[2] <= b[0]):
            continue
        shared = _level(b, cell)
        if shared > best and not near.in_prose(m, words):
            best, found = shared, m
    return found


def _level(a: tuple | None, b: tuple) -> float:
    """The share of the lower of two boxes' heights they share, when it is at least LEVEL (else 0)."""
    if a is None:
        return 0.0
    height = min(a[3] - a[1], b[3] - b[1])
    shared = (min(a[3], b[3]) - max(a[1], b[1])) / height if height > 0 else 0.0
    return shared if shared >= LEVEL else 0.0


class _Neighbours:
    """The lines just above or below a line and over it (sharing some of its width)."""

    def __init__(self, lines: list[list]):
        self.lines = lines
        self.by_bottom = sorted((b[1], m) for m, (_, _, b) in enumerate(lines) if b is not None)
        self.bottoms = [bottom for bottom, _ in self.by_bottom]
        self.tallest = max((b[3] - b[1] for _, _, b in lines if b is not None), default=0.0)

    def in_prose(self, k: int, words: list[int]) -> bool:
        """Whether a line is prose (a line of more than CELL_WORDS words under or
        over another), or a neighbour of prose (a paragraph's short last line)."""
        return self._prose(k, words) or any(self._prose(m, words) for m in self.of(k))

    def _prose(self, k: int, words: list[int]) -> bool:
        return words[k] > CELL_WORDS and any(words[m] > CELL_WORDS for m in self.of(k))

    def of(self, k: int):
        box = self.lines[k][2]
        reach = NEAR * (box[3] - box[1])
        lo = bisect_left(self.bottoms, box[1] - reach - self.tallest)
        hi = bisect_right(self.bottoms, box[3] + reach)
        for _, m in self.by_bottom[lo:hi]:
            b = self.lines[m][2]
            if m != k and min(b[2], box[2]) > max(b[0], box[0]) and (
                    0 <= b[1] - box[3] <= reach or 0 <= box[1] - b[3] <= reach):
                yield m
