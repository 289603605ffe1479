"""Phrase matching on plain sets of positions.

Whoosh matches a phrase through its span machinery: a `Span` object for every
position of every term in every statement that holds all the terms, compared
pair by pair. Checking adjacency on sets of integers does the same work
several times faster, and phrases of common words ("climate change") are
among the slowest queries researchers type. Scores are those of Whoosh's
own phrase: the sum of the terms' scores in the statements that match.
"""

from __future__ import annotations

from whoosh import matching
from whoosh import query as wq
from whoosh.util import make_binary_tree


class Adjacent(wq.Sequence):
    """Sub-queries matched at consecutive positions of one field.

    Each sub-query is one position of the phrase: a Term, or a word's
    alternative lemmas (any query over terms of the same field).
    """

    def _matcher(self, subs, searcher, context):
        # Unions below must keep their sub-matchers on the current statement,
        # so their positions can be read.
        context = context.set(needs_current=True) if context else context
        ms = [q.matcher(searcher, context) for q in subs]
        if not all(m.is_active() for m in ms):
            return matching.NullMatcher()
        m = AdjacentMatcher(ms)
        return matching.WrappingMatcher(m, boost=self.boost) if self.boost != 1.0 else m


class AdjacentMatcher(matching.WrappingMatcher):
    """The intersection of its matchers, kept only where their positions follow
    one another."""

    def __init__(self, ms: list):
        self.ms = ms
        super().__init__(make_binary_tree(matching.IntersectionMatcher, ms))
        self._advance()

    def copy(self):
        return self.__class__([m.copy() for m in self.ms])

    def _replacement(self, newchild):
        return self  # the positions are read from self.ms: the tree cannot be swapped

    def replace(self, minquality=0):
        return self if self.is_active() else matching.NullMatcher()

    def supports_block_quality(self) -> bool:
        return False

    def _adjacent(self) -> bool:
        starts = None
        for offset, m in enumerate(self.ms):
            here = {p - offset for p in _positions(m)}
            starts = here if starts is None else starts & here
            if not starts:
                return False
        return True

    def _advance(self) -> None:
        child = self.child
        while child.is_active() and not self._adjacent():
            child.next()

    def next(self):
        self.child.next()
        self._advance()

    def skip_to(self, id):
        self.child.skip_to(id)
        self._advance()

    def reset(self):
        self.child.reset()
        self._advance()

    def all_ids(self):
        while self.is_active():
            yield self.id()
            self.next()


def _positions(m) -> list[int]:
    """Positions of the current statement in a term matcher, or (for a union of
    a word's lemmas) in whichever of its terms are there."""
    if m.is_leaf():
        return m.value_as("positions")
    return [span.start for span in m.spans()]
