"""Query execution on arrays against Whoosh's own matchers, on real indexes.

The array path exists for speed only: for every kind of query it must find
the same statements as Whoosh, in the same order, with the same scores.
"""

from __future__ import annotations

import numpy as np
import pytest
from whoosh import query as wq

from indexer.build import update_index
from search.lang.analysis import word_terms
from search.exec.arrays import Executor, Unsupported
from search.exec.distinct import best_of, distinct
from search.engine import SearchIndex
from search.exec.matching import Match, _run, find, run_whoosh
from search.query.phrases import Adjacent
from search.query.build import QueryBuilder
from search.query.nodes import Alternatives
from search.query.parser import parse
from search.results import Filters
from tests.corpus_tools import small_corpus, statement_text, write_statements

# Every kind of query the query language has.
QUERIES = [
    "выборы",  # a Russian word: its lemmas, in every field
    "elections",
    "стали",  # a homonym: several lemmas, the best one scores
    "выборы резолюция",  # AND
    "security council united nations",
    '"оккупированные территории"',  # phrases
    '"security council"',
    '"Совет Безопасности"',
    '"foreign affairs"',
    "elections OR выборы",  # OR
    "(ceasefire OR truce) Syria",
    "Armenia -Azerbaijan",  # NOT
    "Armenia NOT Azerbaijan",
    "-Azerbaijan",  # NOT alone
    "security OR -war",  # an OR with a NOT in it
    "title:statement",  # fields
    'title:"foreign affairs"',
    "lang:ru выборы",
    "year:2020 выборы",  # filters in the query
    "date:[2019-01-01 TO 2020-12-31] security",
    "number:822",
    "mentioned:1993 resolution",
    'cites:"S/RES/822 (1993)"',
    "окку*",  # prefix
    "elec*",
    "elction~",  # fuzzy
    "выбары~1",
    "zzzqqqxxy",  # nothing
    '"council security"',  # a phrase that may find nothing
    "Germany",  # names: the entity as one term in every language (search.exec.concept)
    '"United States"',
    "United States",  # a name typed as words: the name, or the words apart
    "НАТО Армения",
    "title:Germany",
]


def _paths(snap, text: str):
    parsed = parse(text)
    wquery, _ = QueryBuilder(snap.vocabulary()).build(parsed)
    return parsed, wquery


def _ordered(snap, mask, docs, scores):
    match = Match(None, None, {}, mask, mask & snap.table.live, docs, scores)
    return match.ordered(snap.table.datekey, "relevance")


def assert_same(snap, text: str, wquery=None) -> None:
    """The array path finds what Whoosh finds, in its order, with its scores."""
    parsed, built = _paths(snap, text)
    wquery = built if wquery is None else wquery
    mask, docs, scores = _run(snap, parsed, wquery, scored=True)
    if docs is None:  # nothing to score: an empty query, or no words left
        return
    # On arrays, not Whoosh's fallback (which would compare Whoosh with itself): raises Unsupported.
    Executor(snap.searcher, snap.table.live, snap.postings).run(wquery)
    ref_mask, ref_docs, ref_scores = run_whoosh(snap, wquery, scored=True)
    assert np.array_equal(mask, ref_mask), text
    ours = dict(zip(docs.tolist(), scores.tolist()))
    theirs = dict(zip(ref_docs.tolist(), ref_scores.tolist()))
    assert ours.keys() == theirs.keys(), text
    for doc, score in theirs.items():
        assert ours[doc] == pytest.approx(score, abs=1e-4), (text, doc)
    got, _ = _ordered(snap, mask, docs, scores)
    want, _ = _ordered(snap, ref_mask, ref_docs, ref_scores)
    assert got.tolist() == want.tolist(), text
    unscored, _, _ = _run(snap, parsed, wquery, scored=False)
    assert np.array_equal(unscored, ref_mask), text


def runs_on_arrays(snap, text: str) -> bool:
    _, wquery = _paths(snap, text)
    try:
        Executor(snap.searcher, snap.table.live, snap.postings).run(wquery)
    except Unsupported:
        return False
    return True


@pytest.mark.parametrize("text", QUERIES)
def test_arrays_find_and_score_as_whoosh_does(search_index, text):
    search_index._snapshots.retrying(lambda snap: assert_same(snap, text))


def test_the_queries_compared_find_something_and_run_on_arrays(search_index):
    def check(snap):
        found = 0
        for text in QUERIES:
            parsed, wquery = _paths(snap, text)
            mask, _, _ = _run(snap, parsed, wquery, scored=True)
            found += bool(mask.any())
            assert runs_on_arrays(snap, text), text
        assert found >= len(QUERIES) - 4  # the comparison is not of empty results

    search_index._snapshots.retrying(check)


BOOSTED = [  # alternatives with boosts, as a query may weigh a name's words typed apart
    wq.Or([wq.Term("body_en", "elect", boost=2.0), wq.Term("body_ru", "выборы", boost=0.5)], boost=1.5),
    wq.DisjunctionMax([wq.Or([wq.Term("body_en", "secur"), wq.Term("title", "secur", boost=3.0)]),
                       wq.Term("body_ru", "безопасность", boost=0.7)]),
    wq.And([wq.Term("body_en", "council", boost=1.3),
            Adjacent([wq.Term("body_en", "secur"), wq.Term("body_en", "council")], boost=2.5)]),
    wq.Or([wq.Term("body_en", "occupi"), wq.Not(wq.Term("body_en", "war"))]),
]


@pytest.mark.parametrize("wquery", BOOSTED, ids=repr)
def test_boosted_alternatives_score_as_whoosh_does(search_index, segmented_index, wquery):
    for index in (search_index, segmented_index):
        def check(snap):
            assert_same(snap, "placeholder", wquery)
            Executor(snap.searcher, snap.table.live, snap.postings).run(wquery)  # not Unsupported

        index._snapshots.retrying(check)


def test_filters_and_facets_come_from_the_same_matches(search_index):
    filters = Filters(years=(2020,), langs=("ru",))
    result = search_index.search("выборы", filters=filters, per_page=5)
    assert result.total > 0

    def check(snap):
        parsed, wquery = _paths(snap, "выборы")
        match = find(snap, parsed, filters, scored=True)
        ref_mask, _, _ = run_whoosh(snap, wquery, scored=True)
        assert match.total == int(snap.table.combine(ref_mask, match.masks).sum()) == result.total

    search_index._snapshots.retrying(check)


def test_raw_queries_of_other_kinds_run_through_whoosh(search_index):
    result = search_index.search("election*", raw=True)  # Whoosh's own Prefix query
    assert result.total > 0

    def check(snap):
        assert not runs_on_arrays_raw(snap, parse("election*", raw=True))

    search_index._snapshots.retrying(check)


def runs_on_arrays_raw(snap, parsed) -> bool:
    try:
        Executor(snap.searcher, snap.table.live, snap.postings).run(parsed.raw)
    except Unsupported:
        return False
    return True


@pytest.fixture(scope="module")
def segmented_index(tmp_path_factory):
    """An index of several segments, with statements deleted and replaced."""
    root = tmp_path_factory.mktemp("segmented")
    corpus, index_dir = small_corpus(root / "corpus", 36, chars=1500), root / "index"
    update_index(corpus, index_dir, commit_every=9)
    for i in (1, 4, 11, 20):  # removed
        (corpus / f"s{i:03d}.txt").unlink()
    write_statements(corpus, {f"s{i:03d}.txt": statement_text(i, 1500, revision="Выборы и elections.")
                              for i in (2, 8, 23)})  # replaced
    write_statements(corpus, {f"n{i:03d}.txt": statement_text(i + 40, 1500) for i in range(9)})  # added
    update_index(corpus, index_dir, commit_every=5)
    with SearchIndex(index_dir) as index:
        yield index


def test_a_made_index_has_segments_and_deletions(segmented_index):
    def check(snap):
        leaves = snap.searcher.reader().leaf_readers()
        assert len(leaves) > 1
        assert any(leaf.segment().deleted_count() for leaf, _ in leaves)

    segmented_index._snapshots.retrying(check)


@pytest.mark.parametrize("text", QUERIES + ["development", '"general debate"', "statement -March"])
def test_arrays_match_whoosh_across_segments(segmented_index, text):
    segmented_index._snapshots.retrying(lambda snap: assert_same(snap, text))


def test_postings_are_read_once_per_segment(segmented_index):
    def search(snap):
        parsed, wquery = _paths(snap, "development security")
        _run(snap, parsed, wquery, scored=True)
        return snap.postings.reads

    first = segmented_index._snapshots.retrying(search)
    assert segmented_index._snapshots.retrying(search) == first
    assert segmented_index._snapshots.retrying(lambda snap: snap.postings.bytes) > 0


def test_postings_of_segments_no_snapshot_uses_are_dropped(tmp_path):
    corpus, index_dir = small_corpus(tmp_path / "corpus", 12), tmp_path / "index"
    update_index(corpus, index_dir)

    def search(snap):
        parsed, wquery = _paths(snap, "statement development")
        _run(snap, parsed, wquery, scored=True)
        return {leaf.segment().segment_id() for leaf, _ in snap.searcher.reader().leaf_readers()}

    with SearchIndex(index_dir) as index:
        old = index._snapshots.retrying(search)
        cache = index._snapshots.postings
        assert {key[0] for key in cache._entries} == old
        update_index(corpus, index_dir, rebuild=True)  # every segment new
        new = index._snapshots.retrying(search)
        assert new.isdisjoint(old)
        assert {key[0] for key in cache._entries} == new == set(cache._by_segment)
        assert cache.bytes == sum(cache._sizes.values())


def test_the_cache_stays_within_its_bytes(segmented_index):
    from search.exec.postings import PostingsCache

    def fill(snap):
        small = PostingsCache(0.001)  # about a kilobyte
        ex = Executor(snap.searcher, snap.table.live, small)
        for text in ("development", "security", "statement", "international", "выборы"):
            ex.run(_paths(snap, text)[1])
        return small

    small = segmented_index._snapshots.retrying(fill)
    assert small.reads > len(small) >= 1
    assert small.bytes <= max(small.max_bytes, max(small._sizes.values()))
    assert sorted(k for keys in small._by_segment.values() for k in keys) == sorted(small._entries)  # (evicted: gone there too)


@pytest.mark.parametrize("word", ["стали", "выборы"])
def test_a_word_scores_by_the_lemmas_a_statement_holds(search_index, word):
    """A statement that holds one of a word's lemmas scores as that lemma alone
    scores it, on arrays and in Whoosh (whose own DisjunctionMax lent it the
    other lemma's score from the next statement that holds it)."""
    def check(snap):
        lemmas = list(word_terms(word))  # (the index's terms of the word: a query may keep fewer)
        assert len(lemmas) >= 2
        alone = {t: dict(_whoosh_scores(snap, wq.Term("body_ru", t))) for t in lemmas}
        either = Alternatives([wq.Term("body_ru", t) for t in lemmas])
        arrays = Executor(snap.searcher, snap.table.live, snap.postings).run(either)
        checked = 0
        for doc, score in _whoosh_scores(snap, either):
            held = [t for t in lemmas if doc in alone[t]]
            assert score == pytest.approx(max(alone[t][doc] for t in held))
            assert arrays.scores[doc] == pytest.approx(score)
            checked += len(held) < len(lemmas)
        assert checked  # some statements hold one lemma only

    search_index._snapshots.retrying(check)


def test_a_words_forms_score_each_live_statement_by_its_own_best_form(segmented_index):
    """With statements deleted among those that hold the forms (replaced ones),
    a live statement's score is the best of the forms it holds itself, never
    one a deleted statement beside it held."""
    def check(snap):
        reader = snap.searcher.reader()
        terms = [t for _, t in reader.most_frequent_terms("body_ru", 12)]
        run = Executor(snap.searcher, snap.table.live, snap.postings).run
        alone = [run(wq.Term("body_ru", t)) for t in terms]
        either = run(Alternatives([wq.Term("body_ru", t) for t in terms]))
        held = np.array([a.mask for a in alone])
        assert (either.mask == (held.any(axis=0) & snap.table.live)).all()
        best = np.where(held, np.array([a.scores for a in alone]), -np.inf).max(axis=0)
        assert np.allclose(either.scores[either.mask], best[either.mask])
        assert (~snap.table.live).any()  # (the deleted statements are still in the posting lists)

    segmented_index._snapshots.retrying(check)


def _whoosh_scores(snap, wquery):
    return [(doc, score) for score, doc in
            snap.searcher.search(wquery, limit=None, optimize=False, terms=False).top_n]


@pytest.mark.parametrize("values", [
    np.zeros(0, np.int64), np.array([5]), np.array([3, 1, 3, 3, 0, 1], np.int32),
    np.random.default_rng(4).integers(0, 500, 2000), np.array(["b", "a", "b", "", "c"]),
])
def test_distinct_values_are_numpys_unique_ones(values):
    want, want_counts = np.unique(values, return_counts=True)
    found, counts = distinct(values, counts=True)
    assert np.array_equal(distinct(values), want) and np.array_equal(found, want)
    assert np.array_equal(counts, want_counts) and found.dtype == want.dtype


@pytest.mark.parametrize("sizes", [(), (0,), (4,), (0, 3), (5, 5, 1), (40,) * 12])
def test_the_best_of_some_scored_statements_is_each_ones_highest_score(sizes):
    rng = np.random.default_rng(len(sizes))
    parts = [(np.sort(rng.choice(60, n, replace=False)).astype(np.int64), rng.random(n)) for n in sizes]
    want: dict[int, float] = {}
    for docs, scores in parts:  # (the reference: a running maximum per statement)
        for doc, score in zip(docs.tolist(), scores.tolist()):
            want[doc] = max(want.get(doc, -np.inf), score)
    docs, best = best_of(parts)
    assert docs.tolist() == sorted(want) and best.tolist() == [want[d] for d in sorted(want)]
