"""Paragraph alignment (search/views/align.py): table-driven cases of order and length."""

from __future__ import annotations

import pytest

from search.views.align import Bead, align, counterparts, inverse

# (source paragraph lengths, target paragraph lengths, expected beads as (source, target) pairs)
CASES = [
    ("one to one", [100, 300, 200], [110, 330, 220],
     [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]),
    ("Russian runs longer throughout", [200, 400, 100, 300], [260, 520, 130, 390],
     [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,))]),
    ("a heading only the source has, merged with what follows", [27, 93, 236, 499, 248],
     [115, 250, 530, 262],
     [((0, 1), (0,)), ((2,), (1,)), ((3,), (2,)), ((4,), (3,))]),
    ("one source paragraph translated as two", [200, 600, 200], [210, 300, 330, 205],
     [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,))]),
    ("two source paragraphs translated as one", [300, 150, 160, 400], [320, 330, 420],
     [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]),
    ("a paragraph with no translation", [300, 400, 2, 300], [310, 420, 305],
     None),  # checked below: the tiny paragraph shares a bead or stands alone; the rest are 1–1
    ("nothing on one side", [100, 200], [], [((0,), ()), ((1,), ())]),
    ("nothing on either side", [], [], []),
]


@pytest.mark.parametrize("name, source, target, expected", CASES, ids=[c[0] for c in CASES])
def test_alignment(name, source, target, expected):
    beads = align(source, target)
    # Every paragraph of both texts is in exactly one bead, in order.
    assert [i for b in beads for i in b.source] == list(range(len(source)))
    assert [j for b in beads for j in b.target] == list(range(len(target)))
    if expected is not None:
        assert [(b.source, b.target) for b in beads] == expected
    else:
        pairs = counterparts(beads)
        assert pairs[0] == (0,) and pairs[1] == (1,) and pairs[3][-1] == 2


def test_a_long_statement_stays_diagonal():
    source = [100 + (i * 37) % 400 for i in range(400)]
    target = [round(n * 1.15) for n in source]
    beads = align(source, target)
    assert beads == [Bead((i,), (i,)) for i in range(400)]


def test_counterparts_and_inverse():
    beads = align([27, 93, 236], [115, 250])
    assert counterparts(beads) == {0: (0,), 1: (0,), 2: (1,)}
    assert counterparts(inverse(beads)) == {0: (0, 1), 1: (2,)}
