"""The short cuts a search takes for speed give what the long way gives, on real indexes.

Facet counts document by document or in one pass, the head of the relevance
order sorted alone, snippet marks from kept character offsets: each is held
to the plain computation it replaces (bench/RESULTS.md has what they save).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from indexer.build import update_index
from search import schema as S
from search.engine import SearchIndex, _ranked
from search.exec import proximity
from search.exec.facets import MultiColumn
from search.exec.matching import Match, find
from search.exec import postings
from search.exec.postings import PostingsCache
from search.exec.snippets import index_marks
from search.lang.table import LANGUAGES
from search.query.parser import parse
from search.results import Filters
from tests.corpus_tools import small_corpus, statement_text, write_statements

QUERIES = ["выборы", "elections", "security council united nations", '"Совет Безопасности"',
           '"security council"', "elections OR выборы", "Armenia -Azerbaijan", "development",
           "statement", "окку*", "elction~", "United States", "general debate", "=выборов"]
FILTERS = [Filters(), Filters(years=(2020, 1999)), Filters(langs=("ru",)), Filters(numbers=(822, 7)),
           Filters(mentions=("AM", "XX"))]


@pytest.fixture(scope="module")
def segmented_index(tmp_path_factory):
    """An index of several segments, with statements deleted and replaced."""
    root = tmp_path_factory.mktemp("cost")
    corpus, index_dir = small_corpus(root / "corpus", 30, chars=1200), root / "index"
    update_index(corpus, index_dir, commit_every=8)
    for i in (3, 10):
        (corpus / f"s{i:03d}.txt").unlink()
    write_statements(corpus, {"s005.txt": statement_text(5, 1200, revision="Выборы и elections.")})
    update_index(corpus, index_dir, commit_every=5)
    with SearchIndex(index_dir) as index:
        yield index


def _indexes(search_index, segmented_index):
    return [search_index, segmented_index]


def _entries(column: MultiColumn, mask: np.ndarray) -> Counter:
    """A multi-valued column's values counted entry by entry."""
    return Counter(column.values[i].item() for d, i in zip(column.doc.tolist(), column.ids.tolist()) if mask[d])


def _expected(table, base, filters: Filters, masks) -> dict:
    """Every counted facet, counted statement by statement in Python."""
    out = {}
    for f in table.registry.fields:
        if not f.counted:
            continue
        mask = table.combine(base, masks, f.group)
        selected = f.value(filters)
        docs = np.flatnonzero(mask).tolist()
        if f.kind == "language":
            counts = {lang: sum(1 for d in docs if table.lang[d] >> n & 1) for n, lang in enumerate(LANGUAGES)}
            out[f.name] = [(lang, c, lang in selected, []) for lang, c in counts.items() if c or lang in selected]
        elif f.display == "histogram":
            years = Counter(int(table.year[d]) for d in docs if table.year[d])
            months = Counter((int(table.year[d]), int(table.month[d])) for d in docs if table.year[d] and table.month[d])
            out[f.name] = [(y, c, y in selected, [(m, n) for (yy, m), n in sorted(months.items()) if yy == y])
                           for y, c in sorted(years.items(), reverse=True)]
        else:
            counts = _entries(table.column(f.columns[0]), mask)
            top = sorted(counts.items(), key=lambda vc: (-vc[1], vc[0]))[:f.top]
            out[f.name] = [(v, c, v in selected, []) for v, c in top]
            out[f.name] += [(v, counts.get(v, 0), True, []) for v in selected if v not in dict(top)]
    return out


def _got(facets: dict) -> dict:
    return {name: [(v.value, v.count, v.selected, [(m.value, m.count) for m in v.children]) for v in values]
            for name, values in facets.items()}


@pytest.mark.parametrize("density", [0.0, 0.01, 0.05, 0.2, 0.6, 1.0])
def test_facet_counts_are_those_counted_statement_by_statement(search_index, segmented_index, density):
    rng = np.random.default_rng(int(density * 100))

    def check(snap):
        table = snap.table
        for filters in FILTERS:
            base = rng.random(table.size) < density
            masks = table.filter_masks(filters)
            assert _got(table.facets(base, filters, masks)) == _expected(table, base, filters, masks), filters

    for index in _indexes(search_index, segmented_index):
        index._snapshots.retrying(check)


def test_a_facet_of_one_value_per_statement_is_counted_as_one(search_index):
    def check(snap):
        table = snap.table
        column = MultiColumn([S.pack_ints([d % 5]) for d in range(table.size)], table.size)
        for density in (0.01, 0.3, 1.0):
            mask = np.random.default_rng(3).random(table.size) < density
            values, counts = column.counts(mask, np.flatnonzero(mask))
            assert dict(zip(values.tolist(), counts.tolist())) == _entries(column, mask)

    search_index._snapshots.retrying(check)


@pytest.mark.parametrize("text", ["development", "statement", "elections OR выборы", "security council"])
def test_the_head_of_the_order_is_where_the_whole_order_starts(search_index, segmented_index, text):
    def check(snap):
        found = find(snap, parse(text), None, scored=True)
        datekey = snap.table.datekey
        whole, scores = found.ordered(datekey, "relevance")
        for head in (1, 3, 10, len(whole), len(whole) + 5):
            start, start_scores = found.ordered(datekey, "relevance", head)
            assert start.tolist() == whole[:head].tolist()
            assert start_scores.tolist() == scores[:head].tolist()
        for sort in ("-date", "date"):
            assert found.ordered(datekey, sort, 4)[0].tolist() == found.ordered(datekey, sort)[0][:4].tolist()
        return len(whole)

    found = [index._snapshots.retrying(check) for index in _indexes(search_index, segmented_index)]
    assert max(found) > 12, text  # (a head of 1 and 3 left most of them out)


def test_the_head_of_the_order_keeps_ties_as_the_whole_order_does(search_index):
    def check(snap):
        size = snap.table.size
        docs = np.arange(size)
        scores = np.repeat([3.0, 2.0, 1.0], -(-size // 3))[:size]  # a third at each score
        match = Match(None, None, {}, np.ones(size, bool), snap.table.live.copy(), docs, scores)
        whole = match.ordered(snap.table.datekey, "relevance")[0]
        for head in (1, 2, size // 3, size // 3 + 1, size // 2):
            assert match.ordered(snap.table.datekey, "relevance", head)[0].tolist() == whole[:head].tolist()

    search_index._snapshots.retrying(check)


@pytest.mark.parametrize("text", ["security council united nations", "general debate development",
                                  "elections OR выборы", "United States", "выборы", '"security council"'])
def test_a_page_ranks_as_when_the_whole_order_is_sorted(search_index, segmented_index, text):
    def check(snap):
        parsed = parse(text)
        found = find(snap, parsed, None, scored=True)
        whole = _ranked(snap, parsed, found, "relevance", len(found.final), head=len(found.final) + 1)
        for shown, head in ((10, 1), (10, 3), (20, 5), (5, 50)):
            order, scores = _ranked(snap, parsed, found, "relevance", shown, head=head)
            assert order[:shown].tolist() == whole[0][:shown].tolist(), (text, shown, head)
            assert scores[:shown].tolist() == whole[1][:shown].tolist()

    for index in _indexes(search_index, segmented_index):
        index._snapshots.retrying(check)


def test_a_window_past_the_head_asks_for_the_whole_order(search_index):
    def check(snap):
        parsed = parse("security council united nations")
        found = find(snap, parsed, None, scored=True)
        order, scores = found.ordered(snap.table.datekey, "relevance")
        assert len(order) > 3
        assert proximity.reranked(snap, parsed, order[:3], scores[:3], whole=False) is None
        assert proximity.reranked(snap, parsed, order[:3], scores[:3]) is not None

    search_index._snapshots.retrying(check)


def test_small_segments_kept_term_sets_find_and_score_as_look_ups_do(segmented_index, monkeypatch):
    def found(snap):
        snap.postings.keep_only([])  # (what the other way kept is read again)
        out = {}
        for text in QUERIES:
            match = find(snap, parse(text), None, scored=True)
            scored = (match.docs.tolist(), match.scores.tolist()) if match.docs is not None else None
            out[text] = (np.flatnonzero(match.final).tolist(), scored)
        return out

    def kept_sets(snap):
        return [postings.SegmentTerms.of(leaf).terms is not None for leaf, _ in snap.searcher.reader().leaf_readers()]

    assert any(segmented_index._snapshots.retrying(kept_sets))  # (the short cut is taken here)
    with_sets = segmented_index._snapshots.retrying(found)
    assert sum(bool(docs) for docs, _ in with_sets.values()) > len(QUERIES) // 2
    monkeypatch.setattr(postings, "SMALL_SEGMENT", 0)  # (no segment keeps its terms: a look-up each)
    assert segmented_index._snapshots.retrying(found) == with_sets


@pytest.mark.parametrize("text", QUERIES)
def test_marks_from_kept_offsets_are_those_of_the_posting_lists(search_index, segmented_index, text):
    def check(snap):
        found = find(snap, parse(text), None, scored=True)
        docs = np.flatnonzero(found.final)[::3][:40].tolist()
        if not docs or found.highlights is None:
            return 0
        plain = index_marks(snap.searcher, docs, found.highlights)
        cache = PostingsCache(64)
        first = index_marks(snap.searcher, docs, found.highlights, cache)  # (asked once: the posting lists)
        kept = index_marks(snap.searcher, docs, found.highlights, cache)  # (asked again: read whole and kept)
        assert first == kept == plain, text
        assert len(cache) > 0
        return sum(len(marks) for by_field in kept.values() for marks in by_field.values())

    marked = [index._snapshots.retrying(check) for index in _indexes(search_index, segmented_index)]
    if text in ("выборы", "elections", '"security council"', "development"):
        assert any(marked), text  # (the comparison saw marks)


def test_a_terms_offsets_are_read_whole_when_asked_for_again(search_index):
    def check(snap):
        cache = PostingsCache(64)
        reader = snap.searcher.reader().leaf_readers()[0][0]
        btext = snap.searcher.schema[S.BODY["en"]].to_bytes("develop")
        assert (S.BODY["en"], btext) in reader
        assert cache.occurrences(reader, S.BODY["en"], btext) is None  # (a freshly opened index's first search)
        kept = cache.occurrences(reader, S.BODY["en"], btext)
        assert len(kept.docs) > 1 and kept.first[-1] == len(kept.chars)
        assert cache.occurrences(reader, S.BODY["en"], btext) is kept

    search_index._snapshots.retrying(check)
