"""Proximity: the statement that holds a query's words close together comes
first, and the known-item queries made from corpus/ keep finding theirs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bench.known_items import load, mrr
from indexer.build import update_index
from search.lang.analysis import word_terms
from search.engine import SearchIndex
from search.exec.proximity import proximity_scores, query_words
from search.query.parser import parse
from tests.corpus_tools import write_statements

FILLER = {
    "en": "harvest river bridge school market village doctor teacher railway museum " * 4,
    "ru": "урожай река мост школа рынок деревня врач учитель дорога музей " * 4,
}
# language → (the two words in the statements, the query: other forms of them)
WORDS = {"en": (("glacier", "tundra"), "glaciers tundras"),
         "ru": (("ледник", "тундра"), "ледника тундре")}
DATES = {"en": ("3 March 2020", "4 March 2020"), "ru": ("3 марта 2020 года", "4 марта 2020 года")}
# Measured on the shipped corpus (160 queries a language): 0.810 (English) and
# 0.896 (Russian) by BM25F alone, 0.982 and 0.979 with proximity.
MRR_FLOOR = {"en": 0.95, "ru": 0.95}


@pytest.fixture(scope="module")
def near_and_far(tmp_path_factory):
    """Per language, two statements with the same words, the same number of
    times, in statements of the same length: together, or at either end. The
    far one is newer, so equal scores alone would put it first."""
    corpus = tmp_path_factory.mktemp("corpus")
    statements = {}
    for lang, ((a, b), _) in WORDS.items():
        older, newer = DATES[lang]
        filler = FILLER[lang].strip()
        statements[f"{lang}/near.txt"] = f"Statement\n\n{older}\n\n{a} {b} {filler}\n"
        statements[f"{lang}/far.txt"] = f"Statement\n\n{newer}\n\n{a} {filler} {b}\n"
        statements[f"{lang}/other.txt"] = f"Statement\n\n{older}\n\n{filler}\n"
    write_statements(corpus, statements)
    index_dir = tmp_path_factory.mktemp("index")
    assert update_index(corpus, index_dir).problems == []
    with SearchIndex(index_dir) as index:
        yield index


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_words_close_together_rank_first(near_and_far, lang):
    (a, b), query = WORDS[lang]
    near, far = f"{lang}/near.txt", f"{lang}/far.txt"
    # Equal BM25F: each word scores the same in both statements.
    for word in (a, b):
        scores = {h.id: h.score for h in near_and_far.search(word).hits}
        assert scores[near] == scores[far]
    hits = near_and_far.search(query).hits
    assert [h.id for h in hits] == [near, far]
    assert hits[0].score > hits[1].score
    assert [h.id for h in near_and_far.hits(query)] == [near, far]  # the export's order too


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_alternatives_are_not_drawn_together(near_and_far, lang):
    """"a OR b" asks for either word: holding both close is no closer a match
    (the alternatives are one word to proximity, as a word's lemmas are)."""
    (a, b), _ = WORDS[lang]
    hits = near_and_far.search(f"{a} OR {b}").hits
    assert [h.id for h in hits][:2] == [f"{lang}/far.txt", f"{lang}/near.txt"]  # the newer first
    assert hits[0].score == hits[1].score
    assert set(query_words(parse(f"({a} OR {b}) river"))["body_en"]) == {
        frozenset(word_terms(a) + word_terms(b)), frozenset({"river"})}


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_date_order_is_left_alone(near_and_far, lang):
    _, query = WORDS[lang]
    hits = near_and_far.search(query, sort="-date").hits
    assert [h.id for h in hits] == [f"{lang}/far.txt", f"{lang}/near.txt"]
    assert all(h.score is None for h in hits)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_known_items_keep_ranking_first(search_index, lang):
    items = load()
    assert sum(i["lang"] == lang for i in items) >= 40
    assert mrr(search_index, items, lang) >= MRR_FLOOR[lang]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_title_holding_every_word_counts_as_the_words_side_by_side(tmp_path, lang):
    """Read from the postings a search keeps: a statement whose title (not in
    its text, as a JSON record's) holds both words scores as one whose text
    holds them together, above one that holds them as far apart but not in its title."""
    (a, b), query = WORDS[lang]
    filler, date = FILLER[lang].strip(), DATES[lang][0]
    records = {"near": ("Statement", f"{a} {b} {filler}"), "titled": (f"{a.title()} {b}", f"{a} {filler} {b}"),
               "far": ("Statement", f"{a} {filler} {b}")}
    write_statements(tmp_path / "corpus", {"all.json": json.dumps(
        [{"id": name, "title": title, "date": date, "text": text} for name, (title, text) in records.items()])})
    assert update_index(tmp_path / "corpus", tmp_path / "index").problems == []
    with SearchIndex(tmp_path / "index") as index:
        snap = index._snapshots.current()
        docnum = {name: snap.searcher.document_number(id=f"all.json#{name}") for name in records}
        docnums = np.array(sorted(docnum.values()))
        best, seen = proximity_scores(snap.searcher, docnums, query_words(parse(query)), snap.postings)
        score = dict(zip(docnums.tolist(), best.tolist()))
        assert seen.all()
        assert score[docnum["titled"]] == score[docnum["near"]] > score[docnum["far"]] > 0
