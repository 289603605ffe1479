"""Our phrase matcher and BM25F scorer against Whoosh's own, on the real test index.

Both exist for speed only: they must find the same statements and give the
same scores as the Whoosh classes they replace.
"""

import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import scoring

from search.query.phrases import Adjacent
from search.exec.scoring import DELTA, CachedBM25F, LengthNorms

PHRASES = [
    ("body_en", [["occupi"], ["territori"]]),
    ("body_en", [["secur"], ["council"]]),
    ("body_en", [["unit"], ["nation"], ["general"]]),
    ("body_en", [["council"], ["secur"]]),  # reversed: fewer or no matches
    ("body_ru", [["оккупировать"], ["территория"]]),
    ("body_ru", [["совет"], ["безопасность"]]),
    ("body_ru", [["выбор", "выборы"], ["президент"]]),  # a homonym's lemmas
    ("body_ru", [["стать", "сталь"], ["известно"]]),
    ("title", [["foreign"], ["affair"]]),
]
REVERSED = ("body_en", [["council"], ["secur"]])


class WhooshBM25F(scoring.BM25F):
    """Whoosh's own BM25F scorer, with BM25's idf and BM25+'s delta, as ours (search.exec.scoring)."""

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf)
        return _WhooshScorer(searcher, fieldname, text, self._field_B.get(fieldname, self.B), self.K1, qf=qf)


class _WhooshScorer(scoring.BM25FScorer):
    def __init__(self, searcher, fieldname, text, B, K1, qf=1):
        parent = searcher.get_parent()
        self.idf = CachedBM25F.idf(parent, fieldname, text)
        self.avgfl = parent.avg_field_length(fieldname) or 1
        self.B, self.K1, self.qf = B, K1, qf
        self.setup(searcher, fieldname, text)

    def _score(self, weight, length):
        # whoosh.scoring.bm25's operations, in its order, with BM25+'s delta inside the bracket
        norm = self.K1 * ((1 - self.B) + self.B * length / self.avgfl)
        return self.idf * ((weight * (self.K1 + 1)) / (weight + norm) + DELTA)


@pytest.fixture(scope="module")
def whoosh_searchers(index_dir):
    ix = whoosh_index.open_dir(str(index_dir))
    stock = ix.searcher(weighting=WhooshBM25F())
    ours = ix.searcher(weighting=CachedBM25F(LengthNorms()))
    yield stock, ours
    stock.close()
    ours.close()


def _position(fieldname, alternatives):
    if len(alternatives) == 1:
        return wq.Term(fieldname, alternatives[0])
    return wq.DisjunctionMax([wq.Term(fieldname, t) for t in alternatives])


def _results(searcher, query):
    return [(doc, score) for score, doc in
            searcher.search(query, limit=None, optimize=False, terms=False).top_n]


@pytest.mark.parametrize("fieldname, positions", PHRASES)
def test_adjacent_finds_what_whoosh_phrases_find(whoosh_searchers, fieldname, positions):
    stock, _ = whoosh_searchers
    subs = [_position(fieldname, alts) for alts in positions]
    expected = _results(stock, wq.Sequence(subs))
    assert expected or (fieldname, positions) == REVERSED, "a phrase that finds nothing tests little"
    assert _results(stock, Adjacent(subs)) == expected


def test_adjacent_matches_real_phrases(whoosh_searchers):
    stock, _ = whoosh_searchers
    found = _results(stock, Adjacent([wq.Term("body_en", "occupi"), wq.Term("body_en", "territori")]))
    assert found, "the seed statement speaks of occupied territories"
    reversed_ = _results(stock, Adjacent([wq.Term("body_en", "territori"), wq.Term("body_en", "occupi")]))
    assert {d for d, _ in reversed_} != {d for d, _ in found}


def test_adjacent_inside_boolean_queries(whoosh_searchers):
    stock, _ = whoosh_searchers
    phrase = [wq.Term("body_en", "occupi"), wq.Term("body_en", "territori")]
    for outer in (wq.And, wq.Or):
        ours = outer([Adjacent(phrase), wq.Term("body_en", "resolut")])
        theirs = outer([wq.Phrase("body_en", ["occupi", "territori"]), wq.Term("body_en", "resolut")])
        assert _results(stock, ours) == _results(stock, theirs)


@pytest.mark.parametrize("query", [
    wq.Term("body_en", "resolut"),
    wq.Or([wq.Term("title", "заявлен"), wq.Term("body_ru", "заявление"), wq.Term("body_en", "statement")]),
    wq.And([wq.Term("body_en", "secur"), wq.Term("body_en", "council")]),
    wq.Phrase("body_ru", ["оккупировать", "территория"]),
])
def test_cached_bm25f_scores_as_whoosh_does(whoosh_searchers, query):
    stock, ours = whoosh_searchers
    expected = _results(stock, query)
    assert expected
    assert _results(ours, query) == expected


def test_a_score_is_bm25_plus_worked_out_by_hand(tmp_path):
    """One word, once, in the first of two statements of 4 and 2 words: BM25's idf
    ln(1 + (N - df + 0.5) / (df + 0.5)) = ln 2, times tf (K1 + 1) / (tf + K1 (1 - B +
    B length / average length)) + DELTA, with K1 1.2, B 0.75 and DELTA 1; and as
    much again times TYPED_FORM_WEIGHT, for the form typed (search.query.related)."""
    import math

    from indexer.build import update_index
    from search.engine import SearchIndex
    from tests.corpus_tools import write_statements

    write_statements(tmp_path / "corpus", {"a.txt": "glacier river bridge school\n", "b.txt": "river bridge\n"})
    update_index(tmp_path / "corpus", tmp_path / "index")
    with SearchIndex(tmp_path / "index") as index:
        hits = index.search("glacier").hits
    from search.query.related import TYPED_FORM_WEIGHT

    expected = math.log(2) * (2.2 / (1 + 1.2 * (0.25 + 0.75 * 4 / 3)) + 1.0) * (1 + TYPED_FORM_WEIGHT)
    assert [h.id for h in hits] == ["a.txt"] and hits[0].score == pytest.approx(expected, abs=1e-4)


def test_one_word_boost_makes_a_sum_a_mean():
    from search.query.build import one_word_boost

    assert [n * one_word_boost(n) for n in (2, 3, 5)] == pytest.approx([1.0, 1.0, 1.0])


def test_a_hyphenated_word_weighs_as_one_word(tmp_path, monkeypatch):
    """A word the analyser splits ("glacier-river") scores the mean of its parts'
    scores, a quoted phrase of the same words their sum: typed as one word, it
    does not outweigh the other words of a query two to one. (Its form typed
    adds to that: search.query.related, left out here, then in.)"""
    from indexer.build import update_index
    from search.engine import SearchIndex
    from search.query import related
    from tests.corpus_tools import write_statements

    write_statements(tmp_path / "corpus", {"a.txt": "glacier-river bridge school\n", "b.txt": "river bridge\n"})
    update_index(tmp_path / "corpus", tmp_path / "index")
    with SearchIndex(tmp_path / "index") as index:
        with_typed = index.search("glacier-river").hits
        monkeypatch.setattr(related, "TYPED_FORM_WEIGHT", 0.0)
        word = index.search("glacier-river").hits
        phrase = index.search('"glacier river"').hits
    assert [h.id for h in word] == [h.id for h in phrase] == [h.id for h in with_typed] == ["a.txt"]
    assert word[0].score == pytest.approx(phrase[0].score / 2, abs=1e-3)
    assert with_typed[0].score > word[0].score
