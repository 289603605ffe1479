"""The search library on a real index of the test corpus."""

import datetime as dt
import json
import re
import subprocess
import sys
from collections import Counter

import pytest
from whoosh import index as whoosh_index

from search import schema as S
from search.engine import SearchIndex, search
from search.exec.facets import TOP_MENTIONED_YEARS, TOP_NUMBERS, TOP_RESOLUTIONS
from search.fields import TOP_MENTIONS
from search.lang.gazetteer import mentions
from search.results import Filters
from search.exec.texts import Texts
from tests.conftest import LONG_ID, LONG_NEEDLE

SEED = "seed/000_2961365e15364d64.txt"
PAIR = "tests/mfa-073-20.txt"
HOSTILE = "tests/hostile.html"


def ids(result):
    return [h.id for h in result.hits]


def ids_of(hits):
    return [h.id for h in hits]


def all_ids(index, query, filters=None):
    return [h.id for h in index.hits(query, filters)]


# --- morphology ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["выборы", "выборов", "выборам", "выборами", "выборах", "ВЫБОРЫ",
     "territories", "territory", "election", "elections", "elected",
     "оккупированный", "оккупированная", "оккупированных", "оккупированными",
     "резолюция", "резолюций", "резолюциями", "Нагорно-Карабахский", "карабахского"],
)
def test_every_form_finds_the_seed(search_index, query):
    assert SEED in all_ids(search_index, query)


def test_yo_and_ye_are_one_letter(search_index):
    found = set(all_ids(search_index, "елки"))
    assert found and found == set(all_ids(search_index, "ёлки"))
    assert "tests/records.jsonl#r1" in all_ids(search_index, "елка")


def test_phrase_on_lemmas(search_index):
    # The text says "на оккупированных территориях" and "оккупированные территории".
    assert SEED in all_ids(search_index, '"оккупированная территория"')
    assert SEED in all_ids(search_index, '"occupied territory"')
    assert SEED not in all_ids(search_index, '"территория оккупированная"')


def test_a_query_in_either_language_finds_the_bilingual_pair(search_index):
    assert PAIR in all_ids(search_index, "ceasefire")
    assert PAIR in all_ids(search_index, "прекращение огня")


def test_legacy_encodings_are_searchable(search_index):
    assert "tests/legacy-cp1251.txt" in all_ids(search_index, "переговоры министров")
    assert "tests/legacy-koi8r.txt" in all_ids(search_index, "трубопровод")
    assert "tests/water-utf16.txt" in all_ids(search_index, "water")


# --- query language -------------------------------------------------------------------


def test_words_are_all_required(search_index):
    both = set(all_ids(search_index, "Armenia Azerbaijan"))
    assert both and both <= set(all_ids(search_index, "Armenia")) & set(all_ids(search_index, "Azerbaijan"))


def test_or_not_and_minus(search_index):
    a, b = set(all_ids(search_index, "ceasefire")), set(all_ids(search_index, "трубопровод"))
    assert a - b and b - a
    assert set(all_ids(search_index, "ceasefire OR трубопровод")) == a | b
    armenia = set(all_ids(search_index, "Armenia"))
    without = set(all_ids(search_index, "Armenia -Azerbaijan"))
    assert without and without < armenia
    assert without == set(all_ids(search_index, "Armenia NOT Azerbaijan"))
    assert without == armenia - set(all_ids(search_index, "Azerbaijan"))


def test_fields(search_index):
    assert all_ids(search_index, "title:ceasefire") == [PAIR]
    assert SEED in all_ids(search_index, "no:064/20")
    assert all(h.number == "064/20" for h in search_index.hits("no:064/20"))
    ru_only = all_ids(search_index, "выборы lang:en")
    assert SEED in ru_only and "meduza/golunov_meduza_articles.jsonl#golunov-063" not in ru_only


def test_numbers_and_ranges(search_index):
    assert set(all_ids(search_index, "number:822")) == {SEED, "ungdc/session74_2019/AZE_74_2019.txt"}
    assert SEED in all_ids(search_index, "number:[880 TO 890]")
    assert SEED not in all_ids(search_index, "number:[885 TO 890]")
    assert SEED in all_ids(search_index, "mentioned:1975")


def test_years_and_dates(search_index):
    of_2020 = list(search_index.hits("Azerbaijan year:2020"))
    assert of_2020 and all(h.date.startswith("2020") for h in of_2020)
    assert len(of_2020) < len(all_ids(search_index, "Azerbaijan"))
    in_march = all_ids(search_index, "date:2020-03")
    assert SEED in in_march and PAIR not in in_march
    spring = all_ids(search_index, "date:[2020-03-01 TO 2020-04-30]")
    assert SEED in spring and PAIR in spring



@pytest.mark.parametrize("lo, hi, of_2019, of_2020", [
    ("2020-06-01", None, False, False),  # (June to the end covers no whole year of theirs)
    ("2020-01-01", None, False, True),
    ("2019-01-01", "2019-12-31", True, False),
    ("2019-06-01", "2020-12-31", False, True),
    (None, "2020-06-30", True, False),
    ("2020-01-01", "2020-06-30", False, False),  # (Jan-Jun 2020 is not their September)
])
def test_a_statement_known_only_by_its_year_counts_when_the_range_covers_that_year(
        search_index, lo, hi, of_2019, of_2020):
    speeches = {"ungdc/session74_2019/AZE_74_2019.txt": of_2019, "ungdc/session75_2020/AZE_75_2020.txt": of_2020}
    syntax = all_ids(search_index, f"date:[{lo or '*'} TO {hi or '*'}]")
    filtered = {h.id for h in search_index.hits("", Filters(
        date_from=dt.date.fromisoformat(lo) if lo else None, date_to=dt.date.fromisoformat(hi) if hi else None))}
    for doc, wanted in speeches.items():
        assert (doc in syntax) == wanted and (doc in filtered) == wanted, doc


def test_prefix_uses_the_corpus_words_not_a_lemma(search_index):
    found = all_ids(search_index, "окку*")
    assert SEED in found
    result = search_index.search("окку*", filters=Filters(years=(2020,)))
    snippet = " ".join(s.html for h in result.hits for s in h.snippets)
    assert "<mark>оккупированных</mark>" in snippet or "<mark>оккупации</mark>" in snippet


def test_fuzzy(search_index):
    assert SEED in all_ids(search_index, "elction~")
    assert SEED in all_ids(search_index, "Azerbajan~1")


@pytest.mark.parametrize(
    "query, same_as, noted",
    [
        # None: finds nothing. Otherwise the statements of the plain query.
        ("*a*a*a*", None, True),  # only a stop word is left
        (" ".join(["resolution"] * 180), "resolution", True),  # cut to its first words (1,979 characters)
        ("(" * 500 + "x", "x", True),  # too deep, and never closed
        ('"""', None, True),
        ("title:", "title", False),  # a field name with nothing after it is a word
        ("NOT NOT NOT", "", True),  # nothing left to exclude: every statement
        ("number:[1 TO 99999999999]", "number:[1 TO *]", False),
        ("a" * 2000, None, False),
        ("<script>alert(1)</script>", "script alert 1", False),
    ],
)
def test_pathological_queries_are_searched_sensibly(search_index, query, same_as, noted):
    result = search_index.search(query, per_page=100)
    assert bool(result.notices) is noted, result.notices
    if same_as is None:
        assert result.total == 0 and result.hits == []
    else:
        expected = all_ids(search_index, same_as)
        assert expected and result.total == len(expected)
        assert set(all_ids(search_index, query)) == set(expected)


# --- ranking, sorting, paging --------------------------------------------------------------


def test_title_matches_rank_first(search_index):
    assert ids(search_index.search("ceasefire"))[0] == PAIR


SAME_TEXT = "The ministry welcomed the signing of the water treaty."


@pytest.fixture(scope="module")
def dated_index(tmp_path_factory):
    """Statements with one text and different dates (so equal scores), some
    undated, one known only by its year, and one older statement that says
    "water" more often, written in no order of date."""
    from indexer.build import update_index

    corpus = tmp_path_factory.mktemp("dated-corpus")
    records = [
        {"id": "b2019", "date": "2019-05-04"},
        {"id": "undated1"},
        {"id": "d2021", "date": "2021-02-03"},
        {"id": "a2018", "date": "2018-07-08"},
        {"id": "y2020", "date": "2020"},
        {"id": "c2020", "date": "2020-09-10"},
        {"id": "undated2"},
        {"id": "e2022", "date": "2022-01-15"},
    ]
    lines = [json.dumps({"title": "On the water treaty", "text": SAME_TEXT, **r}) for r in records]
    lines.insert(3, json.dumps({"id": "often", "title": "On the water treaty", "date": "2001-01-01",
                                "text": SAME_TEXT + " Water, water and water again."}))
    (corpus / "treaty.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # A plain file with no date in its header or its name.
    (corpus / "undated-note.txt").write_text("On the water treaty\n\n" + SAME_TEXT, encoding="utf-8")
    where = tmp_path_factory.mktemp("dated-index")
    summary = update_index(corpus, where)
    assert summary.problems == [] and summary.documents == 10, summary
    with SearchIndex(where) as index:
        yield index


def short(hits):
    return [h.id.split("#")[-1] for h in hits]


NEWEST_FIRST = ["e2022", "d2021", "c2020", "b2019", "a2018"]
UNDATED = {"undated1", "undated2", "undated-note.txt"}


def test_ties_go_to_the_newer_statement(dated_index):
    hits = dated_index.search("water treaty", per_page=20).hits
    assert len(hits) == 10
    score = {i: h.score for i, h in zip(short(hits), hits)}
    tied = [i for i in short(hits) if score[i] == score["a2018"]]
    assert set(tied) == {*NEWEST_FIRST, "y2020", "undated1", "undated2"}
    assert [i for i in tied if i in NEWEST_FIRST] == NEWEST_FIRST
    # Known only by its year: between the years beside it; undated: last.
    assert tied.index("d2021") < tied.index("y2020") < tied.index("b2019")
    assert set(tied[-2:]) == {"undated1", "undated2"}
    # The one that says "water" most ranks above them, however old.
    assert score["often"] > score["a2018"]
    assert short(hits).index("often") < short(hits).index(tied[0])


def test_ties_go_to_the_newer_statement_when_listing_every_hit(dated_index):
    listed = short(dated_index.hits("water treaty"))
    assert [i for i in listed if i in NEWEST_FIRST] == NEWEST_FIRST
    assert listed == short(dated_index.search("water treaty", per_page=20).hits)


@pytest.mark.parametrize("sort, dated_order", [("-date", NEWEST_FIRST), ("date", NEWEST_FIRST[::-1])])
def test_undated_statements_come_last_either_way(dated_index, sort, dated_order):
    hits = dated_index.search("water", sort=sort, per_page=20).hits
    order = short(hits)
    assert len(order) == 10 and all(h.score is None for h in hits)
    assert set(order[-3:]) == UNDATED and all(h.date is None for h in hits[-3:])
    assert all(h.date for h in hits[:-3])
    assert [i for i in order if i in dated_order] == dated_order
    assert order.index("often") == (0 if sort == "date" else 6)
    # The same across pages.
    pages = [dated_index.search("water", sort=sort, page=page, per_page=3) for page in (1, 2, 3, 4)]
    paged = [i for page in pages for i in short(page.hits)]
    assert paged == order


def test_browsing_lists_undated_statements_last(dated_index):
    result = dated_index.search("", per_page=20)
    assert result.sort == "-date" and result.total == 10
    assert set(short(result.hits)[-3:]) == UNDATED and short(result.hits)[0] == "e2022"


def test_sort_by_date(search_index):
    # (Undated statements: see test_undated_statements_come_last_either_way.)
    for sort, newest_first in (("-date", True), ("date", False)):
        every = list(search_index.hits("resolution", sort=sort))
        dates = [h.date for h in every]
        assert len(set(dates)) > 5 and dates == sorted(dates, reverse=newest_first)
        page = search_index.search("resolution", sort=sort, per_page=100).hits
        assert ids_of(page) == ids_of(every[:100])
        assert all(h.score is None for h in page + every)


def test_empty_query_browses_newest_first(search_index):
    result = search_index.search("", per_page=5)
    assert result.total == search_index.doc_count
    assert result.sort == "-date"
    dates = [h.date for h in result.hits]
    assert len(set(dates)) == 5 and dates == sorted(dates, reverse=True)
    assert dates[0] == max(h.date for h in search_index.hits("") if h.date)


def test_pages_cover_every_hit_once(search_index):
    total = search_index.search("выборы").total
    assert total > 3 * 7  # several pages
    seen = []
    for page in range(1, total // 7 + 2):
        seen += ids(search_index.search("выборы", page=page, per_page=7))
    assert len(seen) == len(set(seen)) == total
    assert seen == all_ids(search_index, "выборы")


def test_page_past_the_end_is_empty(search_index):
    result = search_index.search("Azerbaijan", page=999, per_page=10)
    assert result.hits == [] and result.total > 0


@pytest.mark.parametrize("page, per_page", [(0, 10), (1, 0), (1, 101)])
def test_bad_paging_raises(search_index, page, per_page):
    with pytest.raises(ValueError):
        search_index.search("x", page=page, per_page=per_page)


# --- snippets ------------------------------------------------------------------------------


def test_snippets_mark_inflected_forms(search_index):
    hit = next(h for h in search_index.search("выборы", per_page=100).hits if h.id == SEED)
    html = " ".join(s.html for s in hit.snippets)
    assert "<mark>выборов</mark>" in html or "<mark>Выборы</mark>" in html
    assert all(s.lang == "ru" for s in hit.snippets)
    assert len(hit.snippets) <= 3


@pytest.mark.parametrize("query, phrase", [
    ('"occupied territories"', ("occupied", "territories")),
    ('"так называемые выборы"', ("так", "называемые", "выборы")),
])
def test_a_phrase_is_marked_only_where_its_words_stand_together(search_index, query, phrase):
    """The whole statement, its snippets and its title: a word of the phrase
    standing alone («territories of Azerbaijan») is not marked."""
    doc = search_index.document(SEED, query=query)
    html = " ".join(p for s in doc.sections for p in s.paragraphs_html)
    marked = [m.lower() for m in re.findall(r"<mark>([^<]*)</mark>", html)]
    shown = [w for w in phrase if w not in ("так",)]  # (a stop word is never marked)
    assert marked and len(marked) % len(shown) == 0
    assert [tuple(marked[i:i + len(shown)]) for i in range(0, len(marked), len(shown))] == \
        [tuple(shown)] * (len(marked) // len(shown))
    plain = re.sub(r"</?mark>", "", html).lower()
    assert plain.count(shown[-1]) > len(marked) // len(shown)  # (it stands alone elsewhere, unmarked)
    hits = search_index.search(query, per_page=100).hits
    snippet = " ".join(s.html for h in hits if h.id == SEED for s in h.snippets)
    assert re.search(r"</mark>\W+<mark>", snippet)


def test_a_phrase_in_a_title_is_marked_where_it_stands(search_index):
    hit = next(h for h in search_index.search('title:"foreign affairs"', per_page=100).hits if h.id == SEED)
    assert "<mark>Foreign</mark> <mark>Affairs</mark>" in hit.title_html
    other = search_index.search('"ministry of foreign affairs" Republic', per_page=100).hits
    title = next(h.title_html for h in other if h.id == SEED)
    assert "<mark>Ministry</mark> of <mark>Foreign</mark> <mark>Affairs</mark>" in title


def test_snippets_come_from_the_matching_language(search_index):
    hit = next(h for h in search_index.search("elections", per_page=100).hits if h.id == SEED)
    assert {s.lang for s in hit.snippets} == {"en"}


def test_html_in_statements_comes_back_escaped(search_index):
    hit = next(h for h in search_index.search("referendum", per_page=100).hits if h.id == HOSTILE)
    assert "<script>" not in hit.title_html and "&lt;script&gt;" in hit.title_html
    html = " ".join(s.html for s in hit.snippets)
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert html.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_long_statement_snippet_from_where_the_match_is(search_index):
    hit = next(h for h in search_index.search(LONG_NEEDLE).hits if h.id == LONG_ID)
    assert f"<mark>{LONG_NEEDLE}</mark>" in hit.snippets[0].html


def test_whole_document_with_every_match_marked(search_index):
    doc = search_index.document(SEED, query="выборы")
    assert [s.lang for s in doc.sections] == ["en", "ru"]
    ru = " ".join(doc.sections[1].paragraphs_html)
    assert ru.count("<mark>") >= 5
    assert doc.date == "2020-03-31" and doc.number == "064/20"
    assert {822, 853, 874, 884} <= set(doc.numbers)
    assert search_index.document("no/such/statement.txt") is None


# --- facets ----------------------------------------------------------------------------------


_NAMED: dict[tuple[str, str], set] = {}  # (index, statement) → what its text names, read once a run


def brute_force(index_dir, matching_ids):
    """Facet counts by reading every matching statement's stored fields (and by reading
    the names its text mentions with the extractor, once per statement)."""
    ix = whoosh_index.open_dir(str(index_dir))
    counts = {"year": Counter(), "number": Counter(), "mentioned_year": Counter(), "lang": Counter(),
              "cites": Counter()}
    with ix.searcher() as s:
        texts = Texts(s)
        for doc_id in matching_ids:
            docnum = s.document_number(**{S.ID: doc_id})
            f = s.stored_fields(docnum)
            if f.get(S.DATE):
                counts["year"][int(f[S.DATE][:4])] += 1
            years = set(f.get(S.MENTIONED_YEARS) or [])
            for n in set(f.get(S.NUMBERS) or []) - years:
                counts["number"][n] += 1
            for y in years:
                counts["mentioned_year"][y] += 1
            for lang in f[S.LANG].split():
                counts["lang"][lang] += 1
            for resolution in f.get(S.RESOLUTIONS) or []:
                counts["cites"][resolution] += 1
            key = (str(index_dir), doc_id)
            if key not in _NAMED:
                _NAMED[key] = mentions(f.get(S.TITLE, ""), *(text for _, text in texts.sections(f, docnum)))
            for entity in _NAMED[key]:
                counts.setdefault("mentions", Counter())[entity] += 1
            for name in DECLARED_FACETS:  # the facets corpus/statements.toml declares
                if name in (f.get(S.METADATA) or {}):
                    counts.setdefault(name, Counter())[f[S.METADATA][name]] += 1
    return counts


DECLARED_FACETS = ("collection", "country", "type", "issuer")


def without(filters, facet):
    if facet in DECLARED_FACETS:
        return Filters(**{**filters.__dict__, "declared": tuple(p for p in filters.declared if p[0] != facet)})
    field = {"year": "years", "number": "numbers", "mentioned_year": "mentioned_years", "lang": "langs",
             "cites": "cites", "mentions": "mentions"}[facet]
    return Filters(**{**filters.__dict__, field: ()})


@pytest.mark.parametrize(
    "query, filters",
    [
        ("resolution", Filters()),
        ("Azerbaijan", Filters(years=(2019,))),
        ("выборы", Filters(langs=("ru",))),
        ("", Filters(numbers=(822, 2030), years=(2019, 2020))),
        ("development", Filters(mentioned_years=(2015,), date_from=dt.date(2019, 6, 1))),
        ("", Filters(cites=("S/RES/822 (1993)", "S/RES/2254 (2015)"), langs=("en",))),
    ],
)
def test_facet_counts_equal_brute_force(search_index, index_dir, query, filters):
    result = search_index.search(query, filters=filters)
    assert result.total > 0
    assert set(result.facets) == {"year", "number", "mentioned_year", "cites", "mentions", "lang", *DECLARED_FACETS}
    assert all(v for facet, v in result.facets.items() if facet not in ("cites", "mentions", *DECLARED_FACETS))  # not every search cites
    counted = {}  # (the same matching statements count the same: most facets share them)
    for facet, values in result.facets.items():
        ids = tuple(all_ids(search_index, query, without(filters, facet)))
        if ids not in counted:
            counted[ids] = brute_force(index_dir, ids)
        expected = counted[ids]
        got = {v.value: v.count for v in values}
        expected = expected.get(facet, Counter())
        if facet in ("number", "mentioned_year", "cites", "country", "mentions"):  # the top values, then any selected
            assert all(got[k] == expected[k] for k in got)
            limit = {"number": TOP_NUMBERS, "mentioned_year": TOP_MENTIONED_YEARS, "cites": TOP_RESOLUTIONS,
                     "country": 30, "mentions": TOP_MENTIONS}[facet]
            shown = [v.count for v in values[:limit]]
            assert shown == sorted(expected.values(), reverse=True)[: len(shown)]
        else:
            assert got == dict(expected)


def test_selected_year_keeps_the_others_visible(search_index):
    result = search_index.search("Azerbaijan", filters=Filters(years=(2019,)))
    years = {v.value: v for v in result.facets["year"]}
    assert years[2019].selected and not years[2020].selected
    assert years[2020].count > 0
    assert result.total == years[2019].count


def test_months_within_years(search_index):
    result = search_index.search("", filters=Filters(years=(2020,)))
    year = next(v for v in result.facets["year"] if v.value == 2020)
    march = next(m for m in year.children if m.value == 3)
    assert march.count >= 1 and sum(m.count for m in year.children) <= year.count


def test_filters_that_match_nothing_show_nothing(search_index):
    result = search_index.search("Azerbaijan", filters=Filters(years=(1901,)))
    assert result.total == 0 and result.hits == []
    assert search_index.search("", filters=Filters(numbers=(987654321,))).hits == []


def test_number_filters(search_index):
    exact = search_index.search("", filters=Filters(numbers=(822,))).total
    assert exact == 2
    any_of = set(all_ids(search_index, "", Filters(numbers=(822, 2532))))
    assert any_of == set(all_ids(search_index, "number:822 OR number:2532"))
    assert PAIR in any_of and len(any_of) > exact
    ranged = all_ids(search_index, "", Filters(number_min=880, number_max=890))
    assert SEED in ranged


# --- suggestions and related -------------------------------------------------------------------


@pytest.mark.parametrize("typo, fixed", [("выбары", "выборы"), ("resolutoin", "resolution"), ("Azerbajan", "Azerbaijan")])
def test_did_you_mean(search_index, typo, fixed):
    # As typed: the corrected search itself is tests/test_typos.py's.
    result = search_index.search(typo, autocorrect=False)
    assert result.suggestion == fixed
    assert search_index.search(result.suggestion).total > result.total


def test_no_suggestion_when_the_query_finds_plenty(search_index):
    assert search_index.search("resolution").suggestion is None


@pytest.mark.parametrize("word, commoner", [("австрии", "аварии"), ("автодром", "автором"),
                                            ("автоматические", "автоматически")])
def test_a_rare_dictionary_word_is_not_a_typo(search_index, word, commoner):
    # A neighbour one edit away finds more, yet the word is Russian as written
    # (counted in Russian only: «австрии» also finds the English statements on Austria).
    exact = Filters(exact_names=True)
    assert search_index.search(commoner, exact).total > search_index.search(word, exact).total > 0
    assert search_index.search(word, exact).suggestion is None
    assert search_index.search(word).suggestion is None


@pytest.mark.parametrize("word", ["accident", "acquis"])
def test_no_suggestion_when_only_the_filters_leave_little(search_index, word):
    assert search_index.search(word).total >= 3
    filtered = search_index.search(word, Filters(years=(2020,)))
    assert filtered.total < 3
    assert filtered.suggestion is None


def test_a_typo_is_corrected_under_filters_too(search_index):
    result = search_index.search("resolutoin", Filters(years=(2020,)))
    assert result.suggestion == "resolution"


def test_related_statements(search_index):
    related = [h.id for h in search_index.related(SEED)]
    assert related and SEED not in related
    assert any("AZE" in r or "ARM" in r or r == PAIR for r in related)


def test_convenience_function(index_dir):
    assert search(index_dir, "ceasefire").hits[0].id == PAIR


def test_results_never_hold_whoosh_objects(search_index):
    result = search_index.search("выборы")
    json.dumps(result.as_dict(), ensure_ascii=False)


def test_sees_a_new_commit_without_reopening(tmp_path):
    from indexer.build import update_index

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "one.txt").write_text("First statement about tea.", encoding="utf-8")
    update_index(corpus, tmp_path / "ix")
    with SearchIndex(tmp_path / "ix") as index:
        assert index.search("coffee").total == 0
        (corpus / "two.txt").write_text("Second statement about coffee.", encoding="utf-8")
        update_index(corpus, tmp_path / "ix")
        assert index.search("coffee").total == 1


# --- the command line ----------------------------------------------------------------------------


def run_cli(*args):
    from click.testing import CliRunner

    from search.__main__ import main

    return CliRunner().invoke(main, list(args), prog_name="python -m search")


def test_python_m_search_runs(index_dir):
    result = subprocess.run([sys.executable, "-m", "search", "ceasefire", "--index", str(index_dir),
                             "--json", "--limit", "1"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [PAIR]


def test_cli_json_lines(index_dir, search_index):
    result = run_cli("выборы", "--index", str(index_dir), "--json", "--limit", "3")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [hit["id"] for hit in lines] == ids(search_index.search("выборы", per_page=3))
    assert all("<mark>" in " ".join(s["html"] for s in hit["snippets"]) for hit in lines)


def test_cli_text_and_parsed_query(index_dir, search_index):
    result = run_cli("ceasefire OR трубопровод", "--index", str(index_dir), "--parsed", "--year", "2020")
    assert result.exit_code == 0, result.output
    assert "parsed: (ceasefire OR трубопровод)" in result.stdout
    assert "[ceasefire]" in result.stdout.lower()
    expected = search_index.search("ceasefire OR трубопровод", Filters(years=(2020,)))
    everywhen = search_index.search("ceasefire OR трубопровод")
    assert 0 < expected.total < everywhen.total
    assert f"\n{expected.total} statements (" in "\n" + result.stdout
    assert all(f"   {h.id}" in result.stdout for h in expected.hits)


def test_cli_filters_and_sort(index_dir, search_index):
    result = run_cli("", "--index", str(index_dir), "--json", "--sort", "date", "--number", "822",
                     "--lang", "en", "--limit", "5")
    assert result.exit_code == 0, result.output
    got = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    expected = search_index.search("", Filters(numbers=(822,), langs=("en",)), sort="date", per_page=5)
    assert got == ids(expected) and got


def test_cli_facets_go_to_stderr_with_json(index_dir):
    result = run_cli("resolution", "--index", str(index_dir), "--json", "--facets", "--limit", "1")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 1
    summary = json.loads(result.stderr)
    assert summary["total"] > 1 and set(summary["facets"]) == {"year", "number", "mentioned_year", "cites", "mentions", "lang",
                                                                  *DECLARED_FACETS}


def test_cli_bad_date_is_a_usage_error(index_dir):
    result = run_cli("x", "--index", str(index_dir), "--from", "31.03.2020")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr


def test_cli_missing_index_says_how_to_build_it(tmp_path):
    result = run_cli("x", "--index", str(tmp_path / "none"))
    assert result.exit_code == 2 and "python -m indexer" in result.stderr
    assert "Traceback" not in result.output
