"""Query execution on numpy arrays: which statements match, and their BM25F scores.

Whoosh finds and scores matches one posting at a time in Python; a search
with facets needs every match, so that loop was most of a search's time.
Here each term's postings come as arrays (search.exec.postings, read once per
segment) and the query tree is computed on the statements each node matches
(search.exec.matches; over arrays of every statement only where a node needs
them, and for the answer): the same formula, statistics and order of operations as
search.exec.scoring and Whoosh's matchers (sums for AND and OR, the best lemma for
a word's alternatives, boosts as factors). Phrases read positions only for
the statements the intersection of their words leaves. A query class this
module does not know raises `Unsupported`, and the caller runs Whoosh.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from whoosh import query as wq

from search.exec import concept as C
from search.query.nodes import Alternatives, AndNot
from search.query.phrases import Adjacent
from search.exec.positions import adjacent_docs, concept_counts
from search.exec.postings import PostingsCache, segment_id
from search.exec import matches
from search.exec.distinct import best_of, distinct
from search.exec.matches import Hits, Sparse
from search.exec.scoring import CachedBM25F, bm25_idf, segment_lengths


class Unsupported(Exception):
    """A query (or a part of it) that only Whoosh's own matchers can run."""


DENSE_FROM = 8  # a union of more matches than the statements / this is taken over all of them
MAX_STATS = 100_000  # terms whose statistics a snapshot keeps (then it starts again)


class Scored(NamedTuple):
    """A term's statements in one segment and their scores, before any boost."""

    docs: np.ndarray
    scores: np.ndarray

    @property
    def nbytes(self) -> int:
        return self.docs.nbytes + self.scores.nbytes


NOT_HELD = Scored(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))  # a term a segment lacks


class Executor:
    """Runs Whoosh query objects on arrays over one snapshot's segments."""

    def __init__(self, searcher, live: np.ndarray, cache: PostingsCache, stats: dict | None = None):
        """`stats`: where each term's searcher-wide statistics are kept for the
        searcher's commit (a snapshot's), so that each is looked up once."""
        weighting = searcher.weighting
        if not isinstance(weighting, CachedBM25F):
            raise Unsupported(f"weighting {type(weighting).__name__}")
        self.searcher = searcher
        self.weighting = weighting
        self.live = live
        self.size = live.shape[0]
        self.cache = cache
        self.stats = {} if stats is None else stats
        # (leaf searcher, its first global docnum, its number of statements)
        self.leaves = [(s, offset, s.reader().doc_count_all()) for s, offset in searcher.leaf_searchers()]
        self.schema = searcher.schema

    def run(self, q) -> Hits:
        """The statements `q` matches (live ones only) and their scores, over every statement."""
        _, docs, scores = self.found(q)
        return matches.dense(Sparse(docs, scores), self.size)

    def found(self, q) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(a mask of the live statements `q` matches, their numbers ascending, their
        scores): as `run` gives them, without a score array over every statement."""
        node = self._node(q)
        if not isinstance(node, Sparse):
            node.mask &= self.live
            docs = np.flatnonzero(node.mask)
            return node.mask, docs, node.scores[docs]
        node = matches.kept(node, self.live)
        mask = np.zeros(self.size, dtype=bool)
        mask[node.docs] = True
        return mask, node.docs, node.scores

    # --- nodes ------------------------------------------------------------------------

    def _node(self, q) -> Hits | Sparse:
        """A node's matches: as Sparse where its sub-queries' are (terms, and what is made of
        them), as Hits over every statement where one is (NOT alone, every statement, names)."""
        if isinstance(q, type(wq.NullQuery)):
            return matches.empty()
        kind = type(q)
        if kind is wq.Term:
            return self._term(q.fieldname, q.text, q.boost)
        if kind is Adjacent:
            return self._phrase(q)
        if kind is C.Concept:
            return self._concept(q)
        if kind in (wq.Or, wq.And, wq.DisjunctionMax, Alternatives):
            subs = q.subqueries
            if not subs:
                return matches.empty()
            if len(subs) == 1:  # (Whoosh matches the one sub-query alone, unboosted)
                return self._node(subs[0])
            if kind is wq.And:
                return self._and(subs, q.boost)
            if kind is wq.DisjunctionMax or kind is Alternatives:
                if q.tiebreak:
                    raise Unsupported("DisjunctionMax with a tiebreak")
                return self._best(subs, q.boost, exact=kind is Alternatives)
            if q.minmatch or q.scale:
                raise Unsupported("Or with minmatch or scale")
            return self._or(subs, q.boost)
        if kind is wq.AndNot or kind is AndNot:  # (ours: whoosh3's, with its first match fixed)
            a, b = self._node(q.a), self._node(q.b)
            if isinstance(a, Sparse):
                return matches.without(a, b)
            a, b = matches.dense(a, self.size), matches.dense(b, self.size)
            a.mask &= ~b.mask
            a.scores[~a.mask] = 0.0
            return a
        if kind is wq.AndMaybe:  # the first's matches, the second's score added where it matches too
            a, b = self._node(q.a), self._node(q.b)
            if isinstance(a, Sparse):
                return self._boosted(matches.plus_where(a, b), q.boost)
            a, b = matches.dense(a, self.size), matches.dense(b, self.size)
            a.scores += np.where(a.mask & b.mask, b.scores, 0.0)
            return self._boosted(a, q.boost)
        if kind is wq.Not:  # Whoosh's inverse matcher: every other live statement, scored 1
            inner = matches.dense(self._node(q.query), self.size)
            mask = self.live & ~inner.mask
            return Hits(mask, mask.astype(np.float64))
        if kind is wq.Every and q.fieldname in (None, "", "*"):
            return Hits(self.live.copy(), np.where(self.live, float(q.boost), 0.0))
        if kind is wq.NumericRange and q.constantscore:
            return self._per_segment(q)
        raise Unsupported(kind.__name__)

    def _many(self, matched: int) -> bool:
        """Whether a union of so many matches is faster over every statement (sorting them costs more)."""
        return matched * DENSE_FROM > self.size

    def _none(self) -> Hits:
        return matches.no_hits(self.size)

    @staticmethod
    def _boosted(hits, boost: float):
        if boost != 1.0:
            hits.scores *= boost
        return hits

    def _or(self, subs, boost: float) -> Hits | Sparse:
        """Any of the sub-queries; the scores of those that match add up, in their order."""
        found = []  # per sub-query: its (docs, scores) parts, or its Hits over every statement
        for sub in subs:
            if type(sub) is wq.Term:  # (a term's segments as they are: no copy joined)
                found.append(list(self._term_parts(sub.fieldname, sub.text, sub.boost)))
            else:
                node = self._node(sub)
                found.append([(node.docs, node.scores)] if isinstance(node, Sparse) else node)
        if all(type(f) is list for f in found) and not self._many(sum(len(d) for f in found for d, _ in f)):
            return self._boosted(matches.union_sum(part for parts in found for part in parts), boost)
        return self._boosted(matches.dense_union_sum(found, self.size), boost)

    def _and(self, subs, boost: float) -> Hits | Sparse:
        """All the sub-queries; their scores add up, in their order."""
        nodes = [self._node(sub) for sub in subs]
        if any(isinstance(n, Sparse) for n in nodes):
            return self._boosted(matches.intersection_sum(nodes), boost)
        return self._boosted(matches.dense_intersection_sum(nodes, self.size), boost)

    def _best(self, subs, boost: float, exact: bool) -> Hits:
        """Any of the sub-queries (a word's lemmas), scored by the best of those
        that match the statement (`exact`, our Alternatives, _best_exact), or as
        Whoosh's DisjunctionMaxMatcher scores: the best of each one's score at its
        own next match from this statement on (its own score when it matches this
        statement; for one that does not, that of the next statement it matches)."""
        if exact:
            return self._best_exact(subs, boost)
        dense = {n: matches.dense(self._node(sub), self.size)
                 for n, sub in enumerate(subs) if type(sub) is not wq.Term}
        acc = self._none()
        for leaf, offset, count in self.leaves:
            parts = []
            for n, sub in enumerate(subs):
                if n in dense:  # another query: its matches in this segment
                    idx = offset + np.flatnonzero(dense[n].mask[offset:offset + count])
                    found = [(idx, dense[n].scores[idx])]
                else:
                    found = self._term_parts(sub.fieldname, sub.text, sub.boost, leaf)
                for idx, scores in found:
                    keep = self.live[idx]  # Whoosh's matchers skip deleted statements
                    if keep.any():
                        parts.append((idx[keep], scores[keep]))
            if not parts:
                continue
            union = distinct(np.concatenate([idx for idx, _ in parts]))
            best = np.full(len(union), -np.inf)
            for idx, scores in parts:
                at = np.searchsorted(idx, union)
                has = at < len(idx)
                np.maximum(best, np.where(has, scores[np.minimum(at, len(idx) - 1)], -np.inf), out=best)
            acc.mask[union] = True
            acc.scores[union] = best
        return self._boosted(acc, boost)

    def _best_exact(self, subs, boost: float) -> Sparse:
        """Any of the sub-queries, each statement scored by the best of those that match it: all
        their matches sorted at once and the maximum taken over each statement's run (a word's
        related forms are a dozen terms: a binary search per term cost more than the one sort;
        a running maximum over every statement was faster for one word, but its page faults
        slowed the searches after it)."""
        parts = []
        for sub in subs:
            if type(sub) is wq.Term:
                parts.extend(self._term_parts(sub.fieldname, sub.text, sub.boost))
            else:
                found = matches.as_sparse(self._node(sub))
                parts.append((found.docs, found.scores))
        union, best = best_of(parts)
        live = self.live[union]  # (Whoosh's matchers skip deleted statements)
        return self._boosted(Sparse(union[live], best[live]), boost)

    # --- terms ------------------------------------------------------------------------

    def _term(self, fieldname: str, text, boost: float) -> Sparse:
        return matches.joined(self._term_parts(fieldname, text, boost))

    def _term_parts(self, fieldname: str, text, boost: float, only=None):
        """(global docnums, scores) of a term, segment by segment (or in the
        leaf searcher `only`), boost applied."""
        btext = self._bytes(fieldname, text)
        if btext is None:
            return
        scored = self.schema[fieldname].scorable
        model = self._model(fieldname, btext) if scored else None
        for leaf, offset, _ in self.leaves:
            if only is not None and leaf is not only:
                continue
            reader = leaf.reader()
            # (the key holds what the scores are worked out from: a new commit's statistics make new ones)
            docs, scores = self.cache.get((segment_id(reader), "scores", fieldname, btext, model),
                                          lambda: self._scores(reader, fieldname, btext, model))
            if not len(docs):
                continue
            if boost != 1.0:
                scores = scores * boost
            yield (docs + offset if offset else docs), scores

    def _model(self, fieldname: str, btext: bytes) -> tuple:
        """(idf, average length, B, K1, delta) of a term: searcher-wide statistics,
        as Whoosh's BM25FScorer takes them, looked up once per commit."""
        key = (fieldname, btext)
        found = self.stats.get(key)
        if found is None:
            w = self.weighting
            found = (bm25_idf(self._doc_frequency(fieldname, btext), self.searcher.doc_count_all()),
                     self.searcher.avg_field_length(fieldname) or 1,
                     w.field_B(fieldname), w.K1, w.delta)
            if len(self.stats) >= MAX_STATS:
                self.stats.clear()
            self.stats[key] = found
        return found

    def _doc_frequency(self, fieldname: str, btext: bytes) -> int:
        """How many statements of the searcher's segments (deleted ones too, as
        Whoosh counts) hold a term: each segment's count kept, so that a commit
        looks the term up only in the segment it adds."""
        return sum(int(self.cache.get((segment_id(leaf.reader()), "df", fieldname, btext),
                                      lambda r=leaf.reader(): np.array([r.doc_frequency(fieldname, btext)]))[0])
                   for leaf, _, _ in self.leaves if self.cache.may_hold(leaf.reader(), fieldname, btext))

    def _scores(self, reader, fieldname: str, btext: bytes, model: tuple | None) -> Scored:
        """A term's statements in one segment (int64 docnums) and their scores."""
        if not self.cache.may_hold(reader, fieldname, btext):  # (most terms, in a segment a commit adds)
            return NOT_HELD
        p = self.cache.postings(reader, fieldname, btext)
        tf = p.weights.astype(np.float64)
        if model is None:
            scores = tf  # Whoosh's WeightScorer: the weight itself
        else:
            idf, avgfl, B, K1, delta = model
            factor = np.frombuffer(self.weighting.norms.factors(reader, fieldname, avgfl, B, K1), dtype=np.float64)
            # The operations of search.exec.scoring._Scorer.score, in its order.
            scores = idf * ((tf * (K1 + 1)) / (tf + factor[p.docs]) + delta)
        scored = Scored(p.docs.astype(np.int64), scores)
        for array in scored:  # (kept for every search: read only)
            array.flags.writeable = False
        return scored

    def _bytes(self, fieldname: str, text):
        if fieldname not in self.schema:
            return None
        if isinstance(text, bytes):
            return text
        try:
            return self.schema[fieldname].to_bytes(text)
        except ValueError:
            return None

    # --- an entity's names as one term (search.exec.concept) --------------------------------

    def _concept(self, q: C.Concept) -> Hits:
        """The statements that mention the entity in any field, scored as search.exec.concept
        scores them: one idf, each field's mentions normalised by its length, one saturation."""
        K1 = self.weighting.K1
        tfn = np.zeros(self.size, dtype=np.float64)
        mask = np.zeros(self.size, dtype=bool)
        for fieldname, forms in q.forms.items():
            if fieldname not in self.schema:
                continue
            boost = C.field_boost(self.schema, fieldname)
            avgfl = C.average_length(self.searcher, fieldname, sum(
                int(self.cache.get((segment_id(leaf.reader()), "having", fieldname),
                                   lambda leaf=leaf: np.array([np.count_nonzero(
                                       segment_lengths(leaf.reader(), fieldname))]))[0])
                for leaf, _, _ in self.leaves))
            for leaf, offset, _ in self.leaves:
                reader = leaf.reader()
                key = (segment_id(reader), "concept", fieldname, forms)
                docs, counts = self.cache.get(key, lambda: concept_counts(
                    reader, fieldname, forms, self.schema, self.cache, self._bytes))
                if not len(docs):
                    continue
                factor = C.length_factors(self.searcher, reader, fieldname, avgfl)
                idx = docs.astype(np.int64) + offset
                tfn[idx] += K1 * (counts * boost) / factor[docs]
                mask[idx] = True
        mask &= self.live
        idf = C.concept_idf(self.searcher, int(mask.sum()))
        scores = np.where(mask, C.saturated(idf, tfn, K1, self.weighting.delta), 0.0)
        return self._boosted(Hits(mask, scores), q.boost)

    # --- phrases ----------------------------------------------------------------------

    def _phrase(self, q: Adjacent) -> Hits:
        """Words at consecutive positions: the intersection of the words, then
        positions read for the statements it leaves. What a segment's positions
        give is kept with its postings (the segment never changes; its key
        names its deletions, which the candidates leave out)."""
        subs = q.subqueries
        if len(subs) == 1:
            return self._node(subs[0])
        terms = [_position_terms(sub) for sub in subs]
        hits = matches.kept(matches.as_sparse(self._and(subs, 1.0)), self.live)
        keep = []
        for leaf, offset, count in self.leaves:
            lo, hi = np.searchsorted(hits.docs, (offset, offset + count))
            candidates = hits.docs[lo:hi] - offset
            if not len(candidates):
                continue
            reader = leaf.reader()
            segment = reader.segment()
            key = (segment_id(reader), "phrase", segment.deleted_count() if segment else 0,
                   tuple((f, tuple(texts)) for f, texts in terms))
            found = self.cache.get(key, lambda: np.asarray(
                adjacent_docs(reader, terms, candidates.tolist(), self._bytes), dtype=np.int32))
            keep.append(found.astype(np.int64) + offset)
        hits = matches.within(hits, np.sort(np.concatenate(keep)) if keep else hits.docs[:0])
        return self._boosted(hits, q.boost)

    # --- other queries, through Whoosh's own matcher ------------------------------------

    def _per_segment(self, q) -> Sparse:
        """A query Whoosh runs segment by segment (a constant-score range), its
        results cached per segment: they depend on the segment alone."""
        parts = []
        for leaf, offset, _ in self.leaves:
            def make(leaf=leaf):
                m = q.matcher(leaf, leaf.context())
                ids, scores = [], []
                while m.is_active():
                    ids.append(m.id())
                    scores.append(m.score())
                    m.next()
                return np.array([ids, scores], dtype=np.float64).reshape(2, -1)
            segment = leaf.reader().segment()  # (the matcher leaves out its deletions)
            key = (segment_id(leaf.reader()), "q", segment.deleted_count() if segment else 0, q)
            found = self.cache.get(key, make)
            parts.append((found[0].astype(np.int64) + offset, found[1]))
        return matches.joined(parts)


def _position_terms(sub) -> tuple[str, list]:
    """(field, terms) of one position of a phrase: a Term, or a word's lemmas."""
    if type(sub) is wq.Term:
        return sub.fieldname, [sub.text]
    if type(sub) in (wq.DisjunctionMax, Alternatives, wq.Or) and sub.subqueries and all(
            type(t) is wq.Term and t.fieldname == sub.subqueries[0].fieldname for t in sub.subqueries):
        return sub.subqueries[0].fieldname, [t.text for t in sub.subqueries]
    raise Unsupported(f"phrase position {type(sub).__name__}")
