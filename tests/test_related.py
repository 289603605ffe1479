"""The form typed and related words (search.query.related): they raise the
score of a statement a query finds and never find one, so totals, counts and
the research views stay the query's own."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from whoosh import query as wq

from indexer.build import update_index
from search.engine import SearchIndex
from search.exec.matching import find, run_whoosh
from search.query import related
from search.query.build import analyzer
from search.query.parser import parse
from search.views.concordance import ConcordanceRequest
from tests.corpus_tools import write_statements

FILLER = {
    "en": "harvest river bridge school market village doctor teacher railway museum " * 3,
    "ru": "урожай река мост школа рынок деревня врач учитель дорога музей " * 3,
}
DATES = {"en": ("3 March 2020", "4 March 2020"), "ru": ("3 марта 2020 года", "4 марта 2020 года")}
# Statements of the same length, the one without the signal newer (equal scores put it first).
STATEMENTS = {
    # «арестуют» (арестовать) and «арестах» (арест): one Snowball stem, two lemmas.
    "ru/derived.txt": ("ru", 0, "тактика солидарности при массовых арестах"),
    "ru/plain.txt": ("ru", 1, "тактика солидарности при массовых забастовках"),
    "ru/only_derived.txt": ("ru", 0, "полиция сообщила о массовых арестах"),
    # «выборы» (elections) must never find «выбор» (choice); «выбору» is related, for ranking.
    "ru/elections.txt": ("ru", 0, "выборы прошли спокойно широкий выбор"),
    "ru/elections_only.txt": ("ru", 1, "выборы прошли спокойно широкий круг"),
    "ru/choice.txt": ("ru", 0, "широкий выбор чаев и выбору нет конца"),
    # The form typed: "hymns" in one, "hymn" in the other.
    "en/typed.txt": ("en", 0, "Luther wrote hymns for the congregation"),
    "en/other_form.txt": ("en", 1, "Luther wrote a hymn for the congregation"),
    # A related word: Darwin and Darwinian.
    "en/darwinian.txt": ("en", 0, "a Darwinian theory of the town"),
    "en/plain.txt": ("en", 1, "a Newtonian theory of the town"),
    # A name (Kenya) is an entity, found and ranked by its mentions: "Kenyan" is no mention.
    "en/kenyan.txt": ("en", 0, "corruption cases before the Kenyan courts"),
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("corpus")
    write_statements(corpus, {
        name: f"Statement\n\n{DATES[lang][newer]}\n\n{text} {FILLER[lang].strip()}\n"
        for name, (lang, newer, text) in STATEMENTS.items()})
    index_dir = tmp_path_factory.mktemp("index")
    assert update_index(corpus, index_dir).problems == []
    with SearchIndex(index_dir) as opened:
        yield opened


def ids(result) -> list[str]:
    return [h.id for h in result.hits]


@pytest.mark.parametrize("query, first, second", [
    ("арестуют OR тактика", "ru/derived.txt", "ru/plain.txt"),
    ("hymns OR Luther", "en/typed.txt", "en/other_form.txt"),
    ("Darwin OR theory", "en/darwinian.txt", "en/plain.txt"),
])
def test_the_statement_with_the_related_word_or_the_form_typed_ranks_first(index, query, first, second):
    hits = index.search(query).hits
    assert [h.id for h in hits][:2] == [first, second]
    assert hits[0].score > hits[1].score


@pytest.mark.parametrize("query, found", [
    # «арестах» alone (only_derived) is not «арестуют»: related words never find a statement.
    ("арестуют OR тактика", {"ru/derived.txt", "ru/plain.txt"}),
    ("арестуют", set()),
    ("выборы", {"ru/elections.txt", "ru/elections_only.txt"}),
    ("Kenya", set()),
    ("Darwin OR theory", {"en/darwinian.txt", "en/plain.txt"}),
])
def test_totals_counts_and_views_are_the_querys_own(index, query, found):
    result = index.search(query, per_page=100, autocorrect=False)
    assert set(ids(result)) == found
    assert result.total == len(found) == index.count(query, autocorrect=False)
    assert sum(value.count for value in result.facets["year"]) == len(found)  # (one year each)
    if found:
        series = index.trend([query], period="year").series[0]
        assert series.matched == len(found)
    lines = index.concordance(ConcordanceRequest(query, per_page=100))
    assert {line.id for line in lines.lines} <= found


def test_the_other_word_sharing_a_stem_ranks_but_is_never_counted(index):
    """«выборы» finds the statements about elections only; among them the one
    that also says «выбор» ranks first (the related word, for ranking alone)."""
    hits = index.search("выборы").hits
    assert [h.id for h in hits] == ["ru/elections.txt", "ru/elections_only.txt"]
    assert hits[0].score > hits[1].score


def test_the_optional_clause_is_an_and_maybe_whose_scores_whoosh_agrees_with(index):
    def work(snap):
        parsed = parse("арестуют OR тактика OR hymns", registry=snap.registry)
        match = find(snap, parsed, None, scored=True)
        assert isinstance(match.wquery, wq.AndMaybe)
        mask, docs, scores = run_whoosh(snap, match.wquery, True)
        assert np.array_equal(mask, match.base)
        assert dict(zip(docs.tolist(), scores.round(9).tolist())) == dict(
            zip(match.docs.tolist(), match.scores.round(9).tolist()))
    index._snapshots.retrying(work)


def test_related_terms_are_the_fields_forms_of_the_stem_and_its_derivations(index):
    def work(snap):
        reader = snap.searcher.reader()
        body_ru = "body_ru"
        lang = analyzer(body_ru).lang
        assert related.related_terms("арестуют", lang, body_ru, reader) == ("=арестах",)
        # The forms of the word's own lemma are no related words: the query finds them.
        assert "=выборы" not in related.related_terms("выборы", lang, body_ru, reader)
        assert related.related_terms("выборы", lang, body_ru, reader) == ("=выбор", "=выбору")
        assert related.related_terms("darwin", analyzer("body_en").lang, "body_en", reader) == ("=darwinian",)
        assert related.related_terms("kenya", analyzer("body_en").lang, "body_en", reader) == ("=kenyan",)
        assert related.related_terms("ни", lang, body_ru, reader) == ()  # (too short a stem)
    index._snapshots.retrying(work)


def test_a_name_searched_across_languages_is_no_word_to_refine():
    """A country's name (one word or several typed side by side) is an entity,
    ranked by its mentions in every language; with names=exact it is words."""
    words = lambda q, names=True: [leaf.text for leaf in related.plain_words(  # noqa: E731
        dataclasses.replace(parse(q), names=names))]
    assert words("Kenya corruption") == ["corruption"]
    assert words("United States courts") == ["courts"]
    assert words("Kenya corruption", names=False) == ["Kenya", "corruption"]
    assert words("title:Kenya title:corruption") == ["corruption"]
    assert words("выборы -Кения и выборы") == ["выборы"]  # (each once; no stop word, nothing negated)


def test_a_commit_keeps_its_related_words_and_a_new_commit_finds_its_own(tmp_path):
    """The vocabulary walk that finds a word's related forms is made once per
    commit (the costly part of a search's ranking signals), never carried over
    to a commit whose vocabulary differs."""
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    text = "Statement\n\n3 марта 2020 года\n\n{} " + FILLER["ru"].strip() + "\n"
    write_statements(corpus, {"ru/a.txt": text.format("полиция сообщила о массовых арестах")})
    assert update_index(corpus, index_dir).problems == []
    key = ("арестуют", analyzer("body_ru").lang, "body_ru")
    with SearchIndex(index_dir) as opened:
        first = opened.search("арестуют OR полиция")
        assert opened._snapshots.retrying(lambda snap: snap.related.get(key)) == ("=арестах",)
        again = opened.search("арестуют OR полиция")  # (from the kept words: the same hits and scores)
        assert [(h.id, h.score) for h in again.hits] == [(h.id, h.score) for h in first.hits]
        write_statements(corpus, {"ru/b.txt": text.format("полиция сообщила об арестами задержанных")})
        assert update_index(corpus, index_dir).problems == []
        opened.search("арестуют OR полиция")
        assert opened._snapshots.retrying(lambda snap: snap.related.get(key)) == ("=арестами", "=арестах")

        def segment_by_segment(snap):  # (each segment's words kept: the same as the whole index's)
            vocabulary = snap.vocabulary()
            assert len(vocabulary.reader.leaf_readers()) == 2
            return [related.related_terms(word, key[1], "body_ru", vocabulary.reader, each)
                    for word in ("арестуют", "полиция", "сообщила")
                    for each in (None, vocabulary.each_segment, vocabulary.each_segment)]
        found = opened._snapshots.retrying(segment_by_segment)
        assert found[0] == found[1] == found[2] == ("=арестами", "=арестах") and found[3:6] == found[3:4] * 3
