"""Compare: each set's size, key terms, facets and years agree with the search,
the key-terms view and the trend over the same statements; links find what
they count; bad parameters are refused by name."""

from __future__ import annotations

import csv
import io
import urllib.parse

import pytest

from search import Filters
from search.views.keyterms import log_likelihood

ARM, AZE = "Republic of Armenia", "Republic of Azerbaijan"
SPLIT = f"split=country&values={ARM},{AZE}"
CASES = [SPLIT, "q=выборы", "a_q=sanctions&a_year=2019&b_q=sanctions&b_year=2020", "a_q=выборы&b_q=Москва&lang=ru"]


def search_total(client, url: str) -> int:
    return client.get("/api/search?" + urllib.parse.urlsplit(url).query + "&per_page=1").get_json()["total"]


@pytest.mark.parametrize("args", CASES)
def test_each_sets_size_and_years_are_its_searchs(client, args):
    body = client.get(f"/api/compare?{args}").get_json()
    a, b = body["sides"]
    if b["rest"]:  # one query against the rest: together they are every statement
        assert a["statements"] + b["statements"] == client.get("/api/search?q=").get_json()["total"]
    else:
        assert search_total(client, b["search_url"]) == b["statements"] > 0
    assert search_total(client, a["search_url"]) == a["statements"] > 0
    for side in (a, b):
        assert len(side["per_year"]) == len(side["year_totals"]) == len(side["year_urls"]) == len(body["years"])
        if not side["rest"]:
            assert [search_total(client, u) for u in side["year_urls"]] == side["per_year"]
        assert all(c <= t for c, t in zip(side["per_year"], side["year_totals"]))


@pytest.mark.parametrize("args", CASES)
def test_key_terms_count_as_the_key_terms_view_and_score_by_log_likelihood(client, args):
    body = client.get(f"/api/compare?{args}").get_json()
    listed = checked = 0
    for side, other in (body["sides"], body["sides"][::-1]):
        if side["rest"]:
            continue
        own = urllib.parse.urlsplit(side["search_url"]).query
        kt = client.get(f"/api/keyterms?{own}&limit=200").get_json()
        assert side["tokens"] == {x["lang"]: x["tokens"] for x in kt["languages"]}
        for lang, terms in side["terms"].items():
            known = {t["term"]: t["count"] for x in kt["languages"] if x["lang"] == lang for t in x["terms"]}
            for t in terms:
                listed += 1
                if t["term"] in known:  # (key terms list the 200 best; compare's own rank differs)
                    checked += 1
                    assert known[t["term"]] == t["count"]
                ll = float(log_likelihood(t["count"], t["other"], side["tokens"][lang], other["tokens"][lang]))
                assert abs(ll - t["ll"]) < 0.01 and t["ll"] >= 10.83
                assert t["count"] / side["tokens"][lang] > t["other"] / other["tokens"][lang]
            assert [t["ll"] for t in terms] == sorted((t["ll"] for t in terms), reverse=True)
    assert listed and checked


def test_a_split_gives_each_value_its_set_and_its_key_terms(client):
    body = client.get(f"/api/compare?{SPLIT}").get_json()
    a, b = body["sides"]
    assert (a["label"], b["label"]) == (f"Country: {ARM}", f"Country: {AZE}")
    assert a["filters"] == {"country": [ARM]} and b["filters"] == {"country": [AZE]}
    assert "Azerbaijan" in [t["word"] for t in b["terms"]["en"]]
    assert {r["value"]: (r["a"], r["b"]) for r in body["facets"]["country"]} == {ARM: (a["statements"], 0),
                                                                                 AZE: (0, b["statements"])}


def test_facets_side_by_side_are_each_sets_counts(client, search_index):
    body = client.get("/api/compare?a_q=sanctions&a_year=2019&b_q=sanctions&b_year=2020").get_json()
    for name, side in zip("ab", body["sides"]):
        facets = search_index.search("sanctions", filters=Filters(years=(2019 if name == "a" else 2020,))).facets
        for field, rows in body["facets"].items():
            if field == "year":  # (the search's facet of its own filter lists every year; a set has its own)
                assert {r["value"]: r[name] for r in rows} == ({"2019": side["statements"], "2020": 0} if name == "a"
                                                              else {"2019": 0, "2020": side["statements"]})
                continue
            counts = {str(v.value): v.count for v in facets[field]}
            for row in rows:
                assert row[name] == counts.get(row["value"], 0), (field, row)


def test_a_terms_link_is_its_sets_concordance_with_the_term(client):
    body = client.get(f"/api/compare?{SPLIT}").get_json()
    for side in body["sides"]:
        term = side["terms"]["en"][0]
        url = urllib.parse.urlsplit(term["concordance_url"])
        assert url.path == "/concordance"
        args = urllib.parse.parse_qs(url.query)
        assert args["q"] == [term["word"]] and args["country"] == side["filters"]["country"]
        lines = client.get("/api/concordance?" + url.query).get_json()
        assert 0 < lines["statements"] <= side["statements"]


def test_csv_rows_are_the_key_terms(client):
    body = client.get(f"/api/compare?{SPLIT}").get_json()
    answer = client.get(f"/api/compare.csv?{SPLIT}")
    table = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
    assert table[0] == ["side", "label", "lang", "word", "term", "count", "other", "tokens", "other_tokens",
                        "ll", "log_ratio"]
    expected = [[s["name"], lang, t["word"], str(t["count"]), str(t["other"])]
                for s in body["sides"] for lang, ts in s["terms"].items() for t in ts]
    assert [[r[0], r[2], r[3], r[5], r[6]] for r in table[1:]] == expected


@pytest.mark.parametrize("query, name", [
    ("a_year=abc", "a_year"), ("b_date_from=2020-13-01", "b_date_from"), ("split=nonesuch&values=a,b", "split"),
    ("split=country&values=x", "values"), ("values=a,b", "values"), ("a_q=x&split=country&values=a,b", "split"),
    ("q=x&sample=0", "sample"), ("q=x&limit=500", "limit"), ("year=soon", "year"), ("a_cites=Minsk", "a_cites"),
])
def test_bad_parameters_are_400s_naming_the_parameter(client, query, name):
    for path in ("/api/compare", "/api/compare.csv", "/compare"):
        answer = client.get(f"{path}?{query}")
        assert answer.status_code == 400, path
        if path == "/api/compare":
            assert answer.get_json()["error"]["message"].startswith(f"{name}: ")


def test_the_page_shows_both_sets_and_the_chart(client):
    html = client.get(f"/compare?{SPLIT}").get_data(as_text=True)
    body = client.get(f"/api/compare?{SPLIT}").get_json()
    for side in body["sides"]:
        assert f'class="side-size {side["name"]}" data-statements="{side["statements"]}"' in html
    assert html.count('class="trend-chart') == 2 and 'data-facet="country"' in html


def test_a_language_the_other_set_lacks_is_said_not_compared(client):
    args = "a_q=&a_lang=uk&b_q=&b_lang=ru"  # (Ukrainian statements hold no Russian text)
    body = client.get(f"/api/compare?{args}").get_json()
    a, b = body["sides"]
    assert b["tokens"].get("ru") and not a["tokens"].get("ru") and b["terms"]["ru"] == []
    html = client.get(f"/compare?{args}").get_data(as_text=True)
    assert 'class="empty no-other" data-lang="ru">A has no text in this language' in html
