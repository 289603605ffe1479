"""Typos that fix themselves: a query that finds nothing because of a misspelt
word is searched as corrected, and says so, in the library, the API, the page
and the CLI."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from search.__main__ import main as search_cli
from search.lang.correction import distance, max_edits, one_edit_variants, slip_cost
from search.results import Filters
from search.query.parser import parse
from search.exec.suggest import CORRECT_BELOW, MAX_RESPELLED, respelled

# typo → the word searched instead
TYPOS = [
    # the first letter dropped, changed or added
    ("етербургский", "петербургский"),
    ("збирательный", "избирательный"),
    ("aximizing", "maximizing"),
    ("fresolution", "resolution"),
    ("desolution", "resolution"),
    # two letters swapped
    ("resolutoin", "resolution"),
    ("rseolution", "resolution"),
    ("выброы", "выборы"),
    # other slips, Russian and English
    ("выбары", "выборы"),
    ("Azerbajan", "Azerbaijan"),
    ("territorry", "territory"),
    # equally near: the likelier slip wins (a dropped letter, not n typed for c)
    ("restrint", "restraint"),
]


@pytest.mark.parametrize("typo, meant", TYPOS)
def test_a_typo_is_searched_as_corrected(search_index, typo, meant):
    assert search_index.search(typo, autocorrect=False).total == 0
    result = search_index.search(typo)
    assert result.corrected is not None
    assert (result.corrected.query, result.corrected.original) == (meant, typo)
    assert result.total == search_index.search(meant).total > 0
    assert [h.id for h in result.hits] == [h.id for h in search_index.search(meant).hits]


@pytest.mark.parametrize("typed, searched", [
    ('"occupied teritories"', '"occupied territories"'),
    ("выбары lang:ru", "выборы lang:ru"),
    ("ceasefire Azerbajan", "ceasefire Azerbaijan"),
    ("Azerbajan OR Armenai", "Azerbaijan OR Armenia"),
])
def test_phrases_and_fields_survive_the_correction(search_index, typed, searched):
    result = search_index.search(typed)
    assert result.corrected.query == searched
    assert result.parsed == search_index.search(searched).parsed


@pytest.mark.parametrize("word, commoner", [("аврора", "автора"), ("актора", "автора"),
                                            ("автола", "автора"), ("австрии", "аварии")])
def test_dictionary_words_are_left_alone(search_index, word, commoner):
    # Russian as written, though one edit away is a word the corpus uses, and
    # though as typed it finds too little to be left alone for that reason.
    assert search_index.search(commoner).total > 0
    assert search_index.search(word, Filters(exact_names=True), autocorrect=False).total < CORRECT_BELOW
    result = search_index.search(word, Filters(exact_names=True))
    assert result.corrected is None and result.query == word


@pytest.mark.parametrize("query", ["resolution", "выборы", "ceasefire", "Azerbaijan"])
def test_no_correction_when_results_exist(search_index, query):
    result = search_index.search(query)
    assert result.total > 0 and result.corrected is None


def test_as_typed_when_asked(search_index):
    result = search_index.search("выбары", autocorrect=False)
    assert result.corrected is None and result.total == 0
    assert result.suggestion == "выборы"  # still offered to click


def test_count_and_export_follow_the_correction(search_index):
    result = search_index.search("resolutoin", per_page=100)
    assert search_index.count("resolutoin") == result.total
    assert len(list(search_index.hits("resolutoin"))) == result.total
    assert list(search_index.hits("resolutoin", autocorrect=False)) == []


def test_json_says_what_was_searched(client):
    body = client.get("/api/search?q=выбары").get_json()
    assert body["corrected"] == {"query": "выборы", "original": "выбары"}
    assert body["query"] == "выбары" and body["total"] > 0
    exact = client.get("/api/search?q=выбары&autocorrect=0").get_json()
    assert exact["corrected"] is None and exact["total"] == 0
    assert client.get("/api/search?q=выборы").get_json()["corrected"] is None


def test_a_bad_autocorrect_value_is_refused(client):
    response = client.get("/api/search?q=выбары&autocorrect=maybe")
    assert response.status_code == 400
    assert "autocorrect" in response.get_data(as_text=True)


def test_the_page_says_so_and_offers_the_original(client):
    html = client.get("/?q=выбары").get_data(as_text=True)
    assert "Showing results for «<strong>выборы</strong>». Search instead for «" in html
    link = re.search(r'Search instead for «<a href="([^"]+)">выбары</a>»', html).group(1)
    assert "autocorrect=0" in link
    exact = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "Showing results for" not in exact and "No statement matches" in exact
    assert "Did you mean" in exact


def test_the_views_of_a_corrected_search_take_the_query_it_ran(client):
    """The small trend chart and the concordance and key-terms links show «выборы», not nothing."""
    from urllib.parse import parse_qs, urlsplit

    html = client.get("/?q=выбары").get_data(as_text=True)
    for cls in ("trend-thumb", "to-concordance", "to-keyterms"):
        href = re.search(rf'<a class="{cls}" href="([^"]+)"|<a href="([^"]+)" class="{cls}"', html)
        url = (href.group(1) or href.group(2)).replace("&amp;", "&")
        assert parse_qs(urlsplit(url).query)["q"] == ["выборы"], cls
    svg = re.search(r'<img src="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(svg).query)["q"] == ["выборы"]


def test_the_search_box_forgets_the_switch(client):
    # A new query typed after "search instead" is corrected again.
    html = client.get("/?q=выбары&autocorrect=0").get_data(as_text=True)
    form = html[html.index('<form class="search main"'):html.index("</form>")]
    assert 'name="autocorrect"' not in form


def test_the_cli_says_so(index_dir):
    out = CliRunner().invoke(search_cli, ["--index", str(index_dir), "выбары", "-n", "1"])
    assert out.exit_code == 0, out.output
    assert "Showing results for «выборы». Search instead for «выбары» with --as-typed." in out.output
    exact = CliRunner().invoke(search_cli, ["--index", str(index_dir), "выбары", "--as-typed"])
    assert "Showing results" not in exact.output and exact.output.startswith("0 statements")


@pytest.mark.parametrize("typed, meant, edits", [
    ("resolutoin", "resolution", 1), ("aximizing", "maximizing", 1), ("выбары", "выборы", 1),
    ("rseolutoin", "resolution", 2), ("ab", "ba", 1), ("abc", "abc", 0),
])
def test_distance(typed, meant, edits):
    assert distance(typed, meant) == edits
    assert (meant in one_edit_variants(typed)) == (edits == 1)


@pytest.mark.parametrize("word, edits", [("выбор", 1), ("выбр", 0), ("resolution", 2), ("restrint", 2),
                                         ("aximize", 1), ("a" * 40, 2), ("a" * 41, 0), ("x" * 100_000, 0)])
def test_longer_words_may_take_more_edits(word, edits):
    assert max_edits(word) == edits


@pytest.mark.parametrize("typed, likelier, less_likely", [
    ("restrint", "restraint", "restrict"),  # a dropped letter, not an unrelated key
    ("elecyion", "election", "elecxion"),  # t and y are neighbours on the keyboard
    ("выбары", "выборы", "выбуры"),  # а and о sound alike
    ("comittee", "committee", "comitter"),  # a doubled letter typed once
])
def test_likelier_slips_cost_less(typed, likelier, less_likely):
    assert slip_cost(typed, likelier) < slip_cost(typed, less_likely)


def test_the_export_and_the_feed_follow_the_switch(client):
    rows = client.get("/api/search.csv?q=выбары").get_data(as_text=True).strip().splitlines()
    exact = client.get("/api/search.csv?q=выбары&autocorrect=0").get_data(as_text=True).strip().splitlines()
    assert len(rows) > 1 and len(exact) == 1  # the header alone
    feed = client.get("/api/search.atom?q=выбары").get_data(as_text=True)
    assert feed.count("<entry>") > 0
    assert client.get("/api/search.atom?q=выбары&autocorrect=0").get_data(as_text=True).count("<entry>") == 0
    assert "autocorrect" in client.get("/api").get_json()["parameters"]


def test_a_word_too_long_to_be_a_slip_is_searched_as_typed(search_index):
    long = "peacekeeping" * 4  # 48 letters: no real word's slip
    result = search_index.search(long + "s", autocorrect=True)
    assert result.total == 0 and result.corrected is None and result.suggestion is None
    assert search_index.search(f"{long}~2").total == 0


def test_only_a_querys_first_words_are_looked_up_for_a_respelling():
    typed = " ".join(f"word{n}" for n in range(MAX_RESPELLED + 5))
    respelt = respelled(parse(typed), lambda word: word.upper())
    assert respelt.split() == [w.upper() for w in typed.split()[:MAX_RESPELLED]] + typed.split()[MAX_RESPELLED:]
