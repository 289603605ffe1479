"""Resolutions over time: counts checked by hand on a small corpus with known
citations, filters, links that find what was counted, the CSV, refusals by
name and a statement's page linking its citations to the view."""

from __future__ import annotations

import csv
import io
import re
import urllib.parse

import pytest

from search import Filters
from search.engine import SearchIndex

R822, R853, R1325 = "S/RES/822 (1993)", "S/RES/853 (1993)", "S/RES/1325 (2000)"
# Five statements: dated 2018, 2019 and 2020, one known only by its year (2020), one undated.
CORPUS = {
    "karabakh.txt": "Statement on Karabakh\n\nPress release 12 March 2019\n\n"
                    "We recall Security Council resolutions 822 (1993) and 853 (1993).\n\n"
                    "Resolution 822 (1993) demands the withdrawal of the occupying forces.\n",
    "peace.txt": "Statement on peace\n\nPress release 5 May 2020\n\nResolution 822 (1993) remains "
                 "unimplemented.\n\nWe also support resolution 1325 (2000) on women, peace and security.\n",
    "speech_2020.txt": "General debate speech\n\nWe support resolution 1325 (2000) on women and peace.\n",
    "note.txt": "Note on the ceasefire\n\nThe parties were reminded of their obligations.\n\n"
                "The ceasefire must respect resolution 822 (1993).\n",
    "talks.txt": "Statement on the talks\n\nPress release 1 June 2018\n\n"
                 "The ministry welcomes the talks on the ceasefire.\n",
}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    from indexer.build import update_index

    root = tmp_path_factory.mktemp("cited")
    for name, text in CORPUS.items():
        (root / "corpus").mkdir(exist_ok=True)
        (root / "corpus" / name).write_text(text, encoding="utf-8")
    assert update_index(root / "corpus", root / "index").problems == []
    return root / "index"


@pytest.fixture(scope="module")
def index(small):
    with SearchIndex(small) as ix:
        yield ix


@pytest.fixture
def web(small):
    from webui import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(small)}).test_client()


def rows(result) -> dict:
    return {r.symbol: (r.statements, r.first, r.last, r.per_year, r.undated) for r in result.resolutions}


def test_counts_per_year_checked_by_hand(index):
    result = index.resolutions("")
    assert (result.matched, result.citing, result.total) == (5, 4, 3)
    assert result.years == [2018, 2019, 2020]
    assert (result.matched_per_year, result.matched_undated) == ([1, 1, 2], 1)
    # Karabakh cites 822 twice and counts once; the year-only speech counts in 2020;
    # the undated note in its own column.
    assert rows(result) == {R822: (3, 2019, 2020, [0, 1, 1], 1), R1325: (2, 2020, 2020, [0, 0, 2], 0),
                            R853: (1, 2019, 2019, [0, 1, 0], 0)}
    assert [r.symbol for r in result.resolutions] == [R822, R1325, R853]  # most cited first
    assert [r.label for r in result.resolutions][0] == "Security Council resolution 822 (1993)"


def test_a_statement_citing_a_resolution_twice_counts_once(index):
    assert CORPUS["karabakh.txt"].count("822 (1993)") == 2
    only = index.resolutions("withdrawal")
    assert only.matched == 1 and rows(only)[R822] == (1, 2019, 2019, [1], 0)


def test_filters_and_the_query_narrow_the_statements_counted(index):
    assert rows(index.resolutions("ceasefire")) == {R822: (1, None, None, [0], 1)}  # talks (2018) cites none
    in_2020 = index.resolutions("", Filters(years=(2020,)))
    assert in_2020.years == [2020] and rows(in_2020) == {R1325: (2, 2020, 2020, [2], 0),
                                                        R822: (1, 2020, 2020, [1], 0)}
    # Those citing 822, and what else they cite.
    with_822 = index.resolutions("", Filters(cites=(R822,)))
    assert rows(with_822) == {R822: (3, 2019, 2020, [1, 1], 1), R1325: (1, 2020, 2020, [0, 1], 0),
                              R853: (1, 2019, 2019, [1, 0], 0)}
    assert [r.symbol for r in with_822.resolutions] == [R822, R853, R1325]  # a tie: by number, not as text
    assert index.resolutions("nothing-like-this").as_dict()["resolutions"] == []


def test_limit_keeps_the_most_cited_and_the_total_says_how_many(index):
    first = index.resolutions("", limit=2)
    assert [r.symbol for r in first.resolutions] == [R822, R1325] and first.total == 3
    assert index.resolutions("", limit=2).as_dict()["shown"] == 2


def search_total(web, url: str) -> int:
    parts = urllib.parse.urlsplit(url)
    return web.get(f"/api/search?{parts.query}&per_page=100").get_json()["total"]


@pytest.mark.parametrize("args", [{}, {"q": "peace OR ceasefire"}, {"year": "2020"}, {"date_from": "2019-06-01"},
                                  {"q": "peace", "raw": "1"}])
def test_each_link_finds_the_statements_counted(web, args):
    body = web.get("/api/resolutions?" + urllib.parse.urlencode(args)).get_json()
    assert body["resolutions"]
    for row in body["resolutions"]:
        assert urllib.parse.urlsplit(row["search_url"]).path == "/"
        narrowed = 'cites=' if args.get("raw") else 'cites:"'  # (Whoosh's raw syntax has no cites:)
        assert narrowed + row["symbol"] in urllib.parse.unquote_plus(row["search_url"])
        assert search_total(web, row["search_url"]) == row["statements"], row["symbol"]
        assert len(row["year_urls"]) == len(body["years"])
        for year, count, url in zip(body["years"], row["per_year"], row["year_urls"]):
            assert search_total(web, url) == count, (row["symbol"], year)


def test_the_json_twin_and_the_page(web):
    body = web.get("/api/resolutions?q=peace&limit=1").get_json()
    assert (body["total"], body["shown"], body["matched"], body["citing"]) == (2, 1, 2, 2)
    assert body["links"]["html"].endswith("/resolutions?q=peace&limit=1")
    assert body["links"]["csv"].endswith("/api/resolutions.csv?q=peace")
    html = web.get("/resolutions?q=peace&limit=1").get_data(as_text=True)
    assert f'data-total="{body["total"]}"' in html and f'data-matched="{body["matched"]}"' in html
    shown = re.findall(r'<tr class="cited" data-symbol="([^"]+)"', html)
    assert shown == [r["symbol"] for r in body["resolutions"]]


def test_csv_has_a_row_per_resolution_and_a_column_per_year(web):
    answer = web.get("/api/resolutions.csv?limit=1")  # the CSV lists every resolution
    table = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
    assert table[0] == ["symbol", "label", "statements", "first", "last", "undated", "2018", "2019", "2020", "url"]
    assert [r[:9] for r in table[1:]] == [
        [R822, "Security Council resolution 822 (1993)", "3", "2019", "2020", "1", "0", "1", "1"],
        [R1325, "Security Council resolution 1325 (2000)", "2", "2020", "2020", "0", "0", "0", "2"],
        [R853, "Security Council resolution 853 (1993)", "1", "2019", "2019", "0", "0", "1", "0"]]
    assert all(r[9].startswith("http") for r in table[1:])


@pytest.mark.parametrize("query, name", [
    ("limit=0", "limit"), ("limit=1001", "limit"), ("limit=many", "limit"),
    ("year=soon", "year"), ("cites=the+Minsk+agreements", "cites"), ("date_from=2020-13-01", "date_from"),
])
def test_bad_parameters_are_400s_naming_the_parameter(web, query, name):
    for path in ("/api/resolutions", "/api/resolutions.csv", "/resolutions"):
        answer = web.get(f"{path}?{query}")
        assert answer.status_code == 400, path
        if path == "/api/resolutions":
            assert answer.get_json()["error"]["message"].startswith(f"{name}: ")


def test_a_statements_page_links_its_citations_to_the_view(web):
    html = web.get("/doc/karabakh.txt").get_data(as_text=True)
    links = re.findall(r'href="(/resolutions\?[^"]+)"', html)
    assert links == ["/resolutions?cites=S/RES/822+(1993)", "/resolutions?cites=S/RES/853+(1993)"]
    assert 'href="/?cites=S/RES/822+(1993)"' in html  # and to the statements citing it
    body = web.get("/api" + links[0]).get_json()
    assert body["resolutions"][0]["symbol"] == R822 and body["resolutions"][0]["statements"] == 3
