"""Key terms (search/views/keyterms.py, /keyterms and its twin): log-likelihood, stop words,
abbreviations, sampling, on a real index."""

from __future__ import annotations

import json
import math

import pytest

from search.lang.analysis import fold
from search.views.keyterms import MIN_LL, log_likelihood
from search.lang.table import STOP_WORDS
from search.results import Filters

CEASEFIRE_EN = ("The UN and the EU welcomed the ceasefire in the region, and the UN mission "
                "will monitor the ceasefire along the line of contact.")
CEASEFIRE_RU = ("ООН и НАТО приветствовали перемирие в регионе; миссия ООН будет следить за "
                "перемирием на линии соприкосновения.")
OTHER_EN = "The ministry discussed trade, tourism and culture with the delegation of the partners."
OTHER_RU = "Министерство обсудило торговлю, туризм и культуру с делегацией партнёров."


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    """160 statements: 12 about a ceasefire (with UN, EU, ООН, НАТО), 148 about trade."""
    from indexer.build import update_index
    from search.engine import SearchIndex

    corpus = tmp_path_factory.mktemp("kt-corpus")
    records = [{"id": f"c{i}", "date": f"2020-01-{i + 1:02d}", "title": f"Ceasefire {i}",
                "text": f"{CEASEFIRE_EN}\n\n{CEASEFIRE_RU}"} for i in range(12)]
    records += [{"id": f"o{i}", "date": f"2021-02-{i % 28 + 1:02d}", "title": f"Trade {i}",
                 "text": f"{OTHER_EN}\n\n{OTHER_RU}"} for i in range(148)]
    (corpus / "statements.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records),
                                             encoding="utf-8")
    where = tmp_path_factory.mktemp("kt-index")
    assert update_index(corpus, where).problems == []
    index = SearchIndex(where)
    yield index, where
    index.close()


def test_log_likelihood_against_a_hand_computed_value():
    # a=10 in c=1,000; b=100 in d=100,000: E1 = 1.0891, E2 = 108.9109,
    # G² = 2 (10 ln 9.18182 + 100 ln 0.918182) = 2 (22.1722 − 8.5359) = 27.2725
    assert float(log_likelihood(10, 100, 1000, 100_000)) == pytest.approx(27.2725, abs=1e-3)
    # A term as frequent in both has none; 0·log 0 counts as 0.
    assert float(log_likelihood(10, 1000, 1000, 100_000)) == pytest.approx(0, abs=1e-9)
    assert float(log_likelihood(0, 5, 1000, 1000)) == pytest.approx(2 * 5 * math.log(2))


def test_key_terms_of_a_search(small_index):
    index, _ = small_index
    result = index.keyterms("ceasefire")
    assert (result.matched, result.sampled, result.corpus) == (12, 12, 160)
    by_lang = {x.lang: x for x in result.languages}
    en, ru = by_lang["en"], by_lang["ru"]
    words = {t.word for t in en.terms} | {t.word for t in ru.terms}
    # Abbreviations kept, as written.
    assert {"UN", "EU", "ООН", "НАТО"} <= words
    # Stop words left out; every term over-represented and significant.
    for lang in (en, ru):
        for t in lang.terms:
            assert fold(t.word) not in STOP_WORDS[lang.lang] and t.term not in STOP_WORDS[lang.lang]
            assert t.ll >= MIN_LL and t.count / lang.tokens > t.corpus_count / lang.corpus_tokens
    # Counts in both: "UN" twice in each of the 12 statements, nowhere else.
    un = next(t for t in en.terms if t.word == "UN")
    assert (un.count, un.corpus_count) == (24, 24)
    assert un.ll == pytest.approx(float(log_likelihood(24, 24, en.tokens, en.corpus_tokens)), abs=0.01)
    # The trade words are not key terms of the ceasefire.
    assert not words & {"trade", "торговля", "ministry"}


def test_a_language_filter_keeps_that_language(small_index):
    index, _ = small_index
    assert [x.lang for x in index.keyterms("ceasefire").languages] == ["en", "ru"]
    assert [x.lang for x in index.keyterms("ceasefire", Filters(langs=("ru",))).languages] == ["ru"]


def test_a_sample_is_reported(small_index):
    index, _ = small_index
    result = index.keyterms("", sample=5)  # no words: every statement, sampled
    assert result.notices and "Give words" in result.notices[0]
    result = index.keyterms("ceasefire OR trade", sample=5)
    assert (result.matched, result.sampled) == (160, 5)
    assert any("5 of the 160" in n for n in result.notices)
    assert result.languages


def test_api_and_page(client):
    body = client.get("/api/keyterms?q=Azerbaijan&limit=5&sample=3").get_json()
    assert body["sampled"] == 3 < body["matched"]
    assert body["languages"] and all(len(x["terms"]) <= 5 for x in body["languages"])
    term = body["languages"][0]["terms"][0]
    assert set(term) >= {"term", "word", "count", "corpus_count", "ll", "log_ratio", "search_url"}
    assert "q=Azerbaijan+" in term["search_url"]
    html = client.get("/keyterms?q=Azerbaijan&limit=5&sample=3").get_data(as_text=True)
    assert "a random sample of" in html and f'data-sampled="{body["sampled"]}"' in html
    assert f'data-term="{term["term"]}"' in html
    search = client.get("/?q=Azerbaijan&lang=en").get_data(as_text=True)
    assert "/keyterms?q=Azerbaijan&amp;lang=en" in search
    assert "/api/keyterms?" in client.get("/api").get_json()["keyterms"]


@pytest.mark.parametrize("params, name", [("sample=0", "sample"), ("sample=10001", "sample"),
                                          ("limit=0", "limit"), ("limit=201", "limit"),
                                          ("limit=many", "limit"), ("year=abc", "year")])
def test_bad_parameters_are_400s(client, params, name):
    response = client.get(f"/api/keyterms?q=Azerbaijan&{params}")
    assert response.status_code == 400
    assert response.get_json()["error"]["message"].startswith(name + ":")
    assert client.get(f"/keyterms?q=Azerbaijan&{params}").status_code == 400


def test_names_exact_narrows_the_statements_read(search_index):
    exact = Filters(exact_names=True)  # (a Filters with only this set is falsy: it must not be lost)
    assert (search_index.keyterms("Germany", exact).matched == search_index.count("Germany", exact)
            < search_index.keyterms("Germany").matched)
