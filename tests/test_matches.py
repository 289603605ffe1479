"""A query node's matches as the statements matched (search.exec.matches), against
the same operations on arrays over every statement, which the executor used
before: the same statements, and the same scores to the bit."""

from __future__ import annotations

import numpy as np
import pytest

from search.exec import matches
from search.exec.matches import Sparse

SIZE = 200


def _random(rng, n: int) -> Sparse:
    docs = np.sort(rng.choice(SIZE, n, replace=False)).astype(np.int64)
    return Sparse(docs, rng.random(n) * 10.0 ** rng.integers(-4, 4, n))  # (magnitudes apart: order tells)


def _whole(found: Sparse) -> tuple[np.ndarray, np.ndarray]:
    hits = matches.dense(found, SIZE)
    return hits.mask, hits.scores


def _same(found: Sparse, mask: np.ndarray, scores: np.ndarray) -> None:
    assert found.docs.tolist() == np.flatnonzero(mask).tolist()
    assert found.scores.tolist() == scores[mask].tolist()  # (exactly: sums in the same order)


@pytest.mark.parametrize("sizes", [(0,), (5,), (0, 7), (30, 30, 30), (120, 3, 60, 1), (150, 160, 170, 180)])
def test_any_and_all_add_up_as_over_every_statement(sizes):
    """Both ways: on the statements matched, and over every statement (for many matches)."""
    rng = np.random.default_rng(sum(sizes) + len(sizes))
    nodes = [_random(rng, n) for n in sizes]
    mask, scores = np.zeros(SIZE, bool), np.zeros(SIZE)
    for node in nodes:  # (the OR of search.exec.arrays over whole arrays)
        m, s = _whole(node)
        mask |= m
        scores += s
    _same(matches.union_sum((n.docs, n.scores) for n in nodes), mask, scores)
    _same(matches.as_sparse(matches.dense_union_sum(
        [[(n.docs, n.scores)] if i % 2 else matches.dense(n, SIZE) for i, n in enumerate(nodes)], SIZE)), mask, scores)
    mask, scores = _whole(nodes[0])  # (its AND)
    for node in nodes[1:]:
        m, s = _whole(node)
        mask &= m
        scores += s
    _same(matches.intersection_sum(nodes), mask, np.where(mask, scores, 0.0))
    # Nodes over every statement beside them (a union of many matches), the sparse ones leading:
    mixed = [matches.dense(n, SIZE) if i % 2 else n for i, n in enumerate(nodes)]
    _same(matches.intersection_sum(mixed), mask, np.where(mask, scores, 0.0))
    _same(matches.as_sparse(matches.dense_intersection_sum(mixed, SIZE)), mask, np.where(mask, scores, 0.0))


@pytest.mark.parametrize("seed", range(4))
def test_but_not_and_maybe_and_filters_are_as_over_every_statement(seed):
    rng = np.random.default_rng(seed)
    a, b = _random(rng, rng.integers(0, 90)), _random(rng, rng.integers(0, 90))
    (ma, sa), (mb, sb) = _whole(a), _whole(b)
    for b_found in (b, matches.dense(b, SIZE)):
        _same(matches.without(a, b_found), ma & ~mb, sa)
        _same(matches.plus_where(a, b_found), ma, sa + np.where(ma & mb, sb, 0.0))
    keep = rng.random(SIZE) < 0.5
    _same(matches.kept(a, keep), ma & keep, sa)
    _same(matches.within(a, b.docs), ma & mb, sa)
    _same(matches.as_sparse(matches.dense(a, SIZE)), ma, sa)


def test_a_terms_segments_are_joined_and_its_cached_scores_left_alone():
    cached = np.array([1.0, 2.0])
    cached.flags.writeable = False
    one = matches.joined([(np.array([3, 9]), cached)])
    one.scores *= 2  # (a boost: on the node's own copy)
    assert cached.tolist() == [1.0, 2.0] and one.scores.tolist() == [2.0, 4.0]
    both = matches.joined([(np.array([3, 9]), cached), (np.array([12]), np.array([5.0]))])
    assert both.docs.tolist() == [3, 9, 12] and both.scores.tolist() == [1.0, 2.0, 5.0]
    assert len(matches.joined([]).docs) == 0
