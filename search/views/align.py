"""Paragraph alignment of a statement's two language sections, by order and length.

Gale and Church (1993): a translation keeps the order of its paragraphs and
their lengths in proportion, so a dynamic programme over the paragraph
lengths finds which paragraphs of one text render which of the other, with
1–1, 1–0, 0–1, 2–1, 1–2 and 2–2 steps. The length ratio of the pair is the
ratio of the sections' lengths (Russian runs longer than English), and the
search stays in a band around the diagonal, so a long statement stays cheap.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

from search.exec.snippets import PARAGRAPH  # (paragraphs as the statement page cuts them)

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


class Sections:
    """A statement's language sections, cut into paragraphs and aligned on demand."""

    def __init__(self, sections: dict[str, str]):
        self.texts = sections  # language → its text, in the order the statement has them
        self._spans: dict[str, list[tuple[int, int]]] = {}
        self._starts: dict[str, list[int]] = {}
        self._pairs: dict[tuple[str, str], dict[int, tuple[int, ...]]] = {}

    def spans(self, lang: str) -> list[tuple[int, int]]:
        """(start, end) of each paragraph of a language's text."""
        if lang not in self._spans:
            self._spans[lang] = [m.span() for m in PARAGRAPH.finditer(self.texts.get(lang, ""))]
        return self._spans[lang]

    def paragraph(self, lang: str, offset: int) -> int:
        """The paragraph (from 0) of a language's text that holds a character offset."""
        starts = self._starts.get(lang)
        if starts is None:
            starts = self._starts[lang] = [s for s, _ in self.spans(lang)]
        return max(0, bisect.bisect_right(starts, offset) - 1)

    def counterpart(self, lang: str, paragraph: int) -> tuple[str, tuple[int, ...], int, int] | None:
        """(other language, its paragraphs, their start and end offsets) rendering a
        paragraph of `lang`; None for a statement in one language or a paragraph
        the other text does not render."""
        other = next((x for x in self.texts if x != lang and self.texts[x]), None)
        if other is None:
            return None
        if (lang, other) not in self._pairs:
            lengths = [[e - s for s, e in self.spans(x)] for x in (lang, other)]
            self._pairs[(lang, other)] = counterparts(align(*lengths))
        chosen = self._pairs[(lang, other)].get(paragraph, ())
        if not chosen:
            return None
        spans = self.spans(other)
        return other, chosen, spans[chosen[0]][0], spans[chosen[-1]][1]
