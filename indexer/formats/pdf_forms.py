"""A form's page read as a person reads it (a drawing's title block, a grid
PDFium gives column by column): a lone cell goes beside the row it stands
level with, and text turned across the page (a drawing's margin labels, a
stamp up the side) after the upright text.

Only what a measured page needs, and never on a page of prose: a form's page
has no paragraph (no two lines of more than CELL_WORDS words one over the
other), and a cell is a line of one or two words with no longer line just
above or below it."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right, insort

CELL_WORDS = 2  # a cell has at most this many words; a line with more is a row (or prose)
LEVEL = 0.5  # a cell stands level with a line sharing this share of the lower one's height
NEAR = 1.5  # a line this many line heights or fewer above or below another, over it, is its neighbour
ROW_HEIGHTS = 3.0  # a cell's row is at most this many times as high as the cell (a drawing's huge stamp is none)


def form_order(order: list[int], lines: list[list], text: str, quarters: list[int | None]) -> list[int]:
    """`order` with the lines turned from the page's upright text (the quarter
    turn most of its characters are written at; no turn when as many are) after
    the others, and on a form's page each lone upright cell moved beside the row
    placed before it that it stands level with (before the row when left of it,
    after it when right)."""
    weights: dict[int, int] = {}
    for (start, end, _), q in zip(lines, quarters):
        if q is not None:
            weights[q] = weights.get(q, 0) + len(text[start:end].replace(" ", ""))
    upright = max(sorted(weights), key=weights.get) if weights else None  # (ties: the fewest quarter turns)
    turned = [k for k in order if quarters[k] not in (upright, None)]
    words = [len(text[start:end].split()) for start, end, _ in lines]
    near = _Neighbours([line if quarters[m] in (upright, None) else [0, 0, None]
                        for m, line in enumerate(lines)])
    out: list[int] = []
    placed: list[tuple[float, int]] = []  # (bottom, line) of the upright lines placed so far, sorted
    upright_order = [k for k in order if quarters[k] in (upright, None)]
    form = not any(_in_paragraph(k, near.lines, words, near) for k in upright_order)
    for k in upright_order:
        row = _row_of(k, placed, near) if form and _cell(k, near.lines, words, near) else None
        if near.lines[k][2] is not None:
            insort(placed, (near.lines[k][2][1], k))
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
    """Whether a line may be a cell: one or two words, not the end of a longer line wrapped."""
    return (lines[k][2] is not None and words[k] <= CELL_WORDS
            and not any(words[m] > CELL_WORDS for m in near.of(k)))


def _in_paragraph(k: int, lines, words, near) -> bool:
    """Whether a line of more than CELL_WORDS words stands over or under another."""
    return (lines[k][2] is not None and words[k] > CELL_WORDS
            and any(words[m] > CELL_WORDS for m in near.of(k)))


def _row_of(k: int, placed: list[tuple[float, int]], near) -> int | None:
    """The placed line of letters at most ROW_HEIGHTS times as high as the cell's
    that the cell stands level with most, beside it (None: none)."""
    cell, best, found = near.lines[k][2], 0.0, None
    height = cell[3] - cell[1]
    lo = bisect_left(placed, (cell[1] - ROW_HEIGHTS * height, -1))  # (a lower bottom: too tall, or below)
    hi = bisect_right(placed, (cell[3], len(near.lines)))
    for _, m in placed[lo:hi]:
        b = near.lines[m][2]
        if (b[2] <= cell[0] or cell[2] <= b[0]) and (shared := _level(b, cell)) > best:
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
        boxed = [(m, b) for m, (_, _, b) in enumerate(lines) if b is not None]
        self.by_bottom = sorted((b[1], m) for m, b in boxed)  # (a line above: its bottom over the top)
        self.by_top = sorted((b[3], m) for m, b in boxed)  # (a line below: its top under the bottom)
        self.bottoms = [edge for edge, _ in self.by_bottom]
        self.tops = [edge for edge, _ in self.by_top]

    def of(self, k: int):
        box = self.lines[k][2]
        reach = NEAR * (box[3] - box[1])
        above = self.by_bottom[bisect_left(self.bottoms, box[3]):bisect_right(self.bottoms, box[3] + reach)]
        below = self.by_top[bisect_left(self.tops, box[1] - reach):bisect_right(self.tops, box[1])]
        for _, m in above + below:
            b = self.lines[m][2]
            if m != k and min(b[2], box[2]) > max(b[0], box[0]):
                yield m
