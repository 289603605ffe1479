"""Two of Whoosh's query nodes, corrected: what whoosh3 3.54 gets wrong in
them would change which statements a query finds or how they score."""

from __future__ import annotations

from whoosh import matching
from whoosh import query as wq


class AndNot(wq.AndNot):
    """Whoosh's AndNot, whose first match is checked against the excluded side
    too: whoosh3 3.54 lets it through when the excluded side starts earlier."""

    def matcher(self, searcher, context=None):
        return _AndNotMatcher(self.a.matcher(searcher, context),
                              self.b.matcher(searcher, searcher.boolean_context()))


class _AndNotMatcher(matching.AndNotMatcher):
    def _find_first(self):
        if self.a.is_active() and self.b.is_active():
            if self.b.id() < self.a.id():
                self.b.skip_to(self.a.id())
            if self.b.is_active() and self.a.id() == self.b.id():
                self._find_next()


class Alternatives(wq.DisjunctionMax):
    """One position's alternative terms (a word's lemmas): any of them matches,
    and a statement scores by the best of those it holds. Whoosh's
    DisjunctionMaxMatcher (whoosh3 3.54) takes the best of its sub-matchers'
    scores wherever they stand, so a lemma the statement lacks lent it its
    score in the next statement that has it."""

    def _matcher(self, subs, searcher, context):
        r = searcher.reader()
        return self._tree_matcher(subs, _BestMatcher, searcher, context,
                                  lambda q: q.estimate_size(r), tiebreak=self.tiebreak)


class _BestMatcher(matching.DisjunctionMaxMatcher):
    def score(self):
        a, b = self.a, self.b
        if not a.is_active():
            return b.score()
        if not b.is_active():
            return a.score()
        a_id, b_id = a.id(), b.id()
        if a_id != b_id:  # (only the one at the current statement matches it)
            return a.score() if a_id < b_id else b.score()
        return max(a.score(), b.score())
