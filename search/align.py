"""Paragraph alignment of a statement's two language sections, by order and length.

Gale and Church (1993): a translation keeps the order of its paragraphs and
their lengths in proportion, so a dynamic programme over the paragraph
lengths finds which paragraphs of one text render which of the other, with
1–1, 1–0, 0–1, 2–1, 1–2 and 2–2 steps. The length ratio of the pair is the
ratio of the sections' lengths (Russian runs longer than English), and the
search stays in a band around the diagonal, so a long statement stays cheap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Prior probabilities of each step (Gale and Church's figures) as costs.
_STEPS = {(1, 1): 0.89, (1, 0): 0.0099, (0, 1): 0.0099, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2,
          (2, 2): 0.011}
_STEP_COST = {step: -math.log(p) for step, p in _STEPS.items()}
_VARIANCE = 6.8  # of the length difference per character (Gale and Church)
BAND = 30  # paragraphs off the diagonal the alignment may stray


@dataclass(frozen=True)
class Bead:
    """Paragraphs of one text (by index) that render those of the other."""

    source: tuple[int, ...]
    target: tuple[int, ...]


def _length_cost(a: int, b: int, ratio: float) -> float:
    """-log of the probability that texts of a and b characters translate each other."""
    if a == 0 and b == 0:
        return 0.0
    mean = (a + b / ratio) / 2
    delta = (b - a * ratio) / math.sqrt(max(mean, 1) * _VARIANCE * ratio)
    # Two-tailed normal tail, with a floor so a log is always defined.
    tail = max(math.erfc(abs(delta) / math.sqrt(2)), 1e-12)
    return -math.log(tail)


def align(source: list[int], target: list[int]) -> list[Bead]:
    """The most probable alignment of two lists of paragraph lengths, in order.

    Every paragraph of both lists is in exactly one bead; a paragraph with no
    counterpart (a heading only one text has) is a bead with an empty side.
    """
    n, m = len(source), len(target)
    if not n or not m:
        return [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
    ratio = (sum(target) or 1) / (sum(source) or 1)
    band = max(BAND, abs(n - m) + 2)
    inf = math.inf
    src_sum, tgt_sum = _prefix_sums(source), _prefix_sums(target)
    cost = {(0, 0): 0.0}
    back: dict[tuple[int, int], tuple[int, int]] = {}
    for i in range(n + 1):
        centre = round(i * m / n)
        for j in range(max(0, centre - band), min(m, centre + band) + 1):
            if i == 0 and j == 0:
                continue
            best, step_of = inf, None
            for (di, dj), step_cost in _STEP_COST.items():
                pi, pj = i - di, j - dj
                prev = cost.get((pi, pj))
                if prev is None:
                    continue
                c = prev + step_cost + _length_cost(src_sum[i] - src_sum[pi],
                                                        tgt_sum[j] - tgt_sum[pj], ratio)
                if c < best:
                    best, step_of = c, (di, dj)
            if step_of is not None:
                cost[(i, j)], back[(i, j)] = best, step_of
    beads: list[Bead] = []
    i, j = n, m
    while (i, j) != (0, 0):
        di, dj = back[(i, j)]
        beads.append(Bead(tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    beads.reverse()
    return beads


def _prefix_sums(lengths: list[int]) -> list[int]:
    out = [0]
    for length in lengths:
        out.append(out[-1] + length)
    return out


def counterparts(beads: list[Bead]) -> dict[int, tuple[int, ...]]:
    """Each source paragraph → the target paragraphs of its bead."""
    return {i: bead.target for bead in beads for i in bead.source}


def inverse(beads: list[Bead]) -> list[Bead]:
    """The same alignment read from the other text."""
    return [Bead(b.target, b.source) for b in beads]
