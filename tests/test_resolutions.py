"""Resolutions cited: read from real sentences in both languages, and a facet,
a filter and a query field that agree with each other and with the statements."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from indexer.extract import extract
from search import Filters
from search.query.parser import parse
from search.lang.resolutions import canonical, find_resolutions
from tests.conftest import ROOT

SEED = "seed/000_2961365e15364d64.txt"
SEED_CITES = ["S/RES/822 (1993)", "S/RES/853 (1993)", "S/RES/874 (1993)", "S/RES/884 (1993)"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # corpus/seed/000_2961365e15364d64.txt, in English and in Russian
        ("In 1993, the United Nations Security Council adopted resolutions 822 (1993), 853 (1993), "
         "874 (1993) and 884 (1993), condemning the occupation of the territories of Azerbaijan", SEED_CITES),
        ("В 1993 году Совет Безопасности ООН принял резолюции 822 (1993), 853 (1993), 874 (1993) и "
         "884 (1993), осуждающие оккупацию территорий Азербайджана", SEED_CITES),
        # corpus/ungdc/
        ("We call for a peaceful settlement of the crisis in accordance with resolution 68/262, of March 2014.",
         ["A/RES/68/262"]),
        ("in blatant violation of Security Council resolutions 2216 (2015) and 2231 (2015).",
         ["S/RES/2216 (2015)", "S/RES/2231 (2015)"]),
        ("the implementation of resolution 194 (III) for 71 years.", ["A/RES/194 (III)"]),
        ("premised on resolution 1803 (XVII) of 1962, on permanent sovereignty over natural resources",
         ["A/RES/1803 (XVII)"]),
        ("I know that they are protected by resolution 2175 of 2014, but this protection must be strengthened.",
         ["S/RES/2175 (2014)"]),
        ("(resolution 74/4, annex) not only reinforces the 2030 Agenda", ["A/RES/74/4"]),
        ("resolutions 73/334 and 73/335", ["A/RES/73/334", "A/RES/73/335"]),
        # cited by number alone: the year the statement gives elsewhere, or a well-known one's
        ("the 20th anniversary of resolution 1325 on Women, Peace and Security", ["S/RES/1325 (2000)"]),
        ("notably in Resolution 194, which guarantees Palestinian refugees the right of return.",
         ["A/RES/194 (III)"]),
        ("резолюции СБ ООН 853", ["S/RES/853"]),
        ("резолюциями 822, 853, 874 и 884", ["S/RES/822", "S/RES/853", "S/RES/874", "S/RES/884"]),
        ("резолюцией 853 (1993) и резолюцией 853", ["S/RES/853 (1993)"]),
        ("«резолюция 822 (1993)»", ["S/RES/822 (1993)"]),
        ("General Assembly resolution 377", ["A/RES/377"]),
        # in Ukrainian (the words of each language in search/lang/table.py)
        ("відповідно до резолюції Ради Безпеки ООН 2202 (2015)", ["S/RES/2202 (2015)"]),
        ("резолюцією Генеральної Асамблеї ООН 68/262 «Територіальна цілісність України»",
         ["A/RES/68/262"]),
        ("резолюціями 242 і 338", ["S/RES/242 (1967)", "S/RES/338 (1973)"]),
        ("резолюції РБ ООН 2231 від 2015 року", ["S/RES/2231 (2015)"]),
        ("резолюцій 822, 853 та 884", ["S/RES/822", "S/RES/853", "S/RES/884"]),
        ("згідно з резолюцією Генеральної Асамблеї 377", ["A/RES/377"]),
        ("резолюція 1325, 20 років потому", ["S/RES/1325 (2000)"]),
        # symbols written out
        ("S/RES/2254 (2015)", ["S/RES/2254 (2015)"]),
        ("A/RES/68/262 and A/RES/ES-10/19", ["A/RES/ES-10/19", "A/RES/68/262"]),  # by session
        # where a citation ends, and what is none
        ("resolution 2468 (2019), adopted in April", ["S/RES/2468 (2019)"]),
        ("resolution 1325, 20 years on", ["S/RES/1325 (2000)"]),
        ("resolutions since 2011", []),
        ("resolution WHA73.1 on the COVID-19 response", []),
        ("резолюции 2254 и Хельсинкский акт 1975 года", ["S/RES/2254"]),
    ],
)
def test_resolutions_cited(text, expected):
    assert find_resolutions(text) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("S/RES/822 (1993)", "S/RES/822 (1993)"),
        ("s/res/822(1993)", "S/RES/822 (1993)"),
        ("822 (1993)", "S/RES/822 (1993)"),
        ("resolution 853", "S/RES/853"),
        ("68/262", "A/RES/68/262"),
        ("a/res/68/262", "A/RES/68/262"),
        ("resolution", None),
        ("S/RES/822 (1993) and more", None),
        ("822 (1993), 853 (1993)", None),
    ],
)
def test_a_users_value_as_its_symbol(value, expected):
    assert canonical(value) == expected


def test_the_seed_cites_exactly_the_four_1993_resolutions():
    text = (ROOT / "corpus" / SEED).read_text(encoding="utf-8")
    assert extract(text, SEED).resolutions == SEED_CITES


def brute_force(search_index, query=""):
    """Statements per resolution, counted over every statement a query finds."""
    return Counter(r for hit in search_index.hits(query) for r in hit.resolutions)


@pytest.mark.parametrize("query", ["", "Azerbaijan", "Security Council"])
def test_facet_counts_are_the_statements_counted(search_index, query):
    counts = brute_force(search_index, query)
    facet = search_index.search(query).facets["cites"]
    assert facet and {v.value: v.count for v in facet}.items() <= counts.items()
    shown = {v.value for v in facet}
    assert len(shown) == min(len(counts), 20)
    assert min(v.count for v in facet) >= max([counts[r] for r in counts if r not in shown], default=0)


def test_the_filter_and_the_query_field_agree_with_the_facet(search_index):
    facet = search_index.search("").facets["cites"]
    for value in facet:
        assert search_index.search("", filters=Filters(cites=(value.value,))).total == value.count
        assert search_index.count(f'cites:"{value.value}"') == value.count
    either = search_index.search("", filters=Filters(cites=("S/RES/822 (1993)", "A/RES/68/262")))
    assert either.total == len({h.id for h in search_index.hits("")
                                if {"S/RES/822 (1993)", "A/RES/68/262"} & set(h.resolutions)})
    selected = [v for v in either.facets["cites"] if v.selected]
    assert {v.value for v in selected} == {"S/RES/822 (1993)", "A/RES/68/262"}


def test_the_api_gives_the_resolutions_and_filters_by_them(client):
    doc = client.get(f"/api/documents/{SEED}").get_json()
    assert doc["resolutions"] == SEED_CITES
    body = client.get("/api/search?q=&cites=822 (1993)&per_page=100").get_json()
    assert SEED in [h["id"] for h in body["hits"]]
    assert all("S/RES/822 (1993)" in h["resolutions"] for h in body["hits"])
    assert body["filters"] == {"cites": ["S/RES/822 (1993)"]}
    refused = client.get("/api/search?cites=the Minsk agreements")
    assert refused.status_code == 400
    assert "S/RES/822 (1993)" in refused.get_json()["error"]["message"]  # says how to write one


def test_pages_show_and_link_the_resolutions(client):
    html = client.get(f"/doc/{SEED}").get_data(as_text=True)
    assert "Resolutions cited" in html
    assert 'href="/?cites=S/RES/822+(1993)"' in html
    search = client.get("/?q=Azerbaijan").get_data(as_text=True)
    assert 'id="facet-cites"' in search and "S/RES/822 (1993)" in search


@pytest.mark.parametrize(
    "query, parsed",
    [
        ('cites:"S/RES/822 (1993)"', "cites:S/RES/822 (1993)"),
        ('cites:"822 (1993)" occupation', "(cites:S/RES/822 (1993) AND occupation)"),
        ("cited:68/262", "cites:A/RES/68/262"),
        ("cites:853", "cites:S/RES/853"),
    ],
)
def test_the_query_field_reads_a_resolution_as_its_symbol(query, parsed):
    assert str(parse(query)) == parsed


def test_a_query_field_value_that_is_no_resolution_is_said_and_ignored(search_index):
    result = parse("cites:Minsk Azerbaijan")
    assert str(result) == "Azerbaijan"
    assert any("cites:" in notice and "S/RES/822 (1993)" in notice for notice in result.notices)
    assert search_index.count('cites:"822 (1993)"') == search_index.count('cites:"S/RES/822 (1993)"') > 0


def test_the_help_page_gives_the_query_field_an_example_that_finds(client):
    html = client.get("/help").get_data(as_text=True)
    example = re.search(r'href="(/\?q=cites[^"]*)"', html)
    assert example, "the help page has no cites: example"
    body = client.get("/api/search" + example.group(1)[1:].replace("&amp;", "&")).get_json()
    assert SEED in [h["id"] for h in body["hits"]]
