"""Collocations (search/views/collocations.py, /collocations and its twins) and the
concordance's `near` filter, on real indexes: a small corpus whose counts and
scores are worked by hand, and the shipped one."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest

from search.results import Filters
from search.views.collocations import scores
from search.views.concordance import ConcordanceRequest

# 6 statements with "ceasefire" (one sentence each side of a full stop), 2 with
# "fragile" elsewhere, 30 of filler; 3 in Russian with «боевик» in three forms, 30 of filler.
CEASEFIRE = "The fragile ceasefire holds in the north. Rebels shelled villages."
ECONOMY = "A fragile economy grows slowly."
FILLER = "Farmers harvest wheat early."
FILLER_RU = "Фермеры рано собирают пшеницу."
RUSSIAN = ("Боевики нарушили перемирие.", "Перемирие сорвали боевиками.", "Перемирие и отряды боевиков.")


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    from indexer.build import update_index
    from search.engine import SearchIndex

    corpus = tmp_path_factory.mktemp("co-corpus")
    texts = [CEASEFIRE] * 6 + [ECONOMY] * 2 + [FILLER] * 30 + list(RUSSIAN) + [FILLER_RU] * 30
    records = [{"id": f"s{i}", "date": f"2020-01-{i % 28 + 1:02d}", "title": f"Statement {i}", "text": t}
               for i, t in enumerate(texts)]
    (corpus / "statements.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records),
                                             encoding="utf-8")
    where = tmp_path_factory.mktemp("co-index")
    assert update_index(corpus, where).problems == []
    index = SearchIndex(where)
    yield index
    index.close()


def english(result):
    return next(x for x in result.languages if x.lang == "en")


def by_word(lang):
    return {c.word: c for c in lang.collocates}


def test_counts_and_scores_worked_by_hand(small):
    en = english(small.collocations("ceasefire", min_freq=1))
    # N: the corpus's English terms, stop words out: 6×7 (fragile ceasefire holds north
    # rebels shelled villages) + 2×4 + 30×4 = 170. f(node) = 6 matches; window ±5: span 10.
    assert (en.nodes, en.corpus_tokens) == (6, 170)
    # Each match's window: The fragile [ceasefire] holds in the north — 2 words left,
    # 4 right (the sentence ends there), so 36 words in all.
    assert en.window_tokens == 36
    found = by_word(en)
    assert set(found) == {"fragile", "holds", "north"}  # not "ceasefire" (the node), nor past the full stop
    fragile = found["fragile"]
    # O = 6, f(fragile) = 8: E = 6 · 8 · 10 / 170 = 2.8235; MI = log2(6/2.8235) = 1.0875;
    # t = (6 − 2.8235)/√6 = 1.2968.
    assert (fragile.observed, fragile.corpus_count, fragile.lines) == (6, 8, 6)
    assert fragile.expected == pytest.approx(2.8235, abs=1e-4)
    assert fragile.mi == pytest.approx(1.0875, abs=1e-3)
    assert fragile.t == pytest.approx(1.2968, abs=1e-3)
    # LL on the 2×2 table: windows R1 = 60 words, the rest 110; fragile C1 = 8, others 162:
    # O11 = 6 (E 2.8235), O12 = 54 (E 57.1765), O21 = 2 (E 5.1765), O22 = 108 (E 104.8235):
    # 2 (6 ln 2.125 + 54 ln 0.94444 + 2 ln 0.38636 + 108 ln 1.03030) = 2 (4.5227 − 3.0865 − 1.9019 + 3.2252)
    assert fragile.ll == pytest.approx(2 * (4.5227 - 3.0865 - 1.9019 + 3.2252), abs=0.01)
    # holds: f = 6, E = 6 · 6 · 10 / 170 = 2.1176.
    assert found["holds"].expected == pytest.approx(2.1176, abs=1e-4)
    # Ranked by LL: holds and north (in the corpus only here) above fragile.
    assert [c.word for c in en.collocates][-1] == "fragile"


def test_scores_function_against_hand_values():
    ll, mi, t = scores(6, 6 * 8 * 10 / 170, 60, 8, 170)
    assert float(mi) == pytest.approx(math.log2(6 / (480 / 170)))
    assert float(t) == pytest.approx((6 - 480 / 170) / math.sqrt(6))
    assert float(ll) == pytest.approx(5.519, abs=0.01)


def test_the_measure_ranks(search_index):
    orders = {}
    for measure in ("ll", "mi", "t"):
        en = english(search_index.collocations("Azerbaijan", min_freq=3, measure=measure))
        values = [getattr(c, measure) for c in en.collocates]
        assert values == sorted(values, reverse=True), measure
        orders[measure] = [c.term for c in en.collocates]
    assert len({tuple(x) for x in orders.values()}) == 3  # MI favours rare words, t frequent ones


def test_window_1_against_5(small):
    one = set(by_word(english(small.collocations("ceasefire", min_freq=1, window=1))))
    five = set(by_word(english(small.collocations("ceasefire", min_freq=1, window=5))))
    assert one == {"fragile", "holds"}  # "north" stands 4 words away
    assert five == {"fragile", "holds", "north"}
    assert english(small.collocations("ceasefire", min_freq=1, window=1)).window_tokens == 12


def test_a_window_stops_at_the_sentence_end(small):
    # "rebels" is 5 words after "ceasefire" but in the next sentence: even ±10 never reaches it.
    words = set(by_word(english(small.collocations("ceasefire", min_freq=1, window=10))))
    assert not words & {"rebels", "shelled", "villages"}
    # From the other side, "north" is not a collocate of "rebels" either.
    assert "north" not in by_word(english(small.collocations("rebels", min_freq=1, window=10)))


def test_minimum_frequency(small):
    assert by_word(english(small.collocations("ceasefire", min_freq=6)))
    assert not english(small.collocations("ceasefire", min_freq=7)).collocates


def test_a_russian_lemma_counts_its_forms_as_one(small):
    result = small.collocations("перемирие", min_freq=1)
    ru = next(x for x in result.languages if x.lang == "ru")
    fighters = next(c for c in ru.collocates if c.term == "боевик")
    assert (fighters.observed, fighters.word) == (3, "боевик")  # боевики, боевиками, боевиков


def test_a_sample_is_said(small):
    result = small.collocations("ceasefire", min_freq=1, sample=2)
    assert (result.sampled, result.read, result.statements) == (True, 2, 6)
    assert english(result).nodes == 2 and any("2 of the 6" in n for n in result.notices)
    assert small.collocations("ceasefire").sampled is False


def test_the_near_filter_keeps_the_lines_a_collocate_stands_near(small, search_index):
    near = small.concordance(ConcordanceRequest("ceasefire", near="fragil", window=1))
    assert near.total == 6 and all("fragile" in x.left for x in near.lines)
    # "north" is 4 words away: not within 1, within 5; "rebels" never (the next sentence).
    assert small.concordance(ConcordanceRequest("ceasefire", near="north", window=1)).total == 0
    assert small.concordance(ConcordanceRequest("ceasefire", near="north", window=5)).total == 6
    assert small.concordance(ConcordanceRequest("ceasefire", near="rebel", window=10)).total == 0
    # On the shipped corpus: each collocate's lines are what its concordance link shows.
    result = search_index.collocations("Azerbaijan", limit=10)
    en = english(result)
    assert en.collocates
    for c in en.collocates:
        lines = search_index.concordance(ConcordanceRequest(
            "Azerbaijan", Filters(langs=("en",)), near=c.term, window=result.window, per_page=1))
        assert lines.total == c.lines <= c.observed, c.term


def test_api_page_csv_and_links(client):
    body = client.get("/api/collocations?q=Azerbaijan&window=3&limit=5").get_json()
    assert body["window"] == 3 and body["measure"] == "ll" and body["min_freq"] == 5
    en = next(x for x in body["languages"] if x["lang"] == "en")
    first = en["collocates"][0]
    assert set(first) >= {"term", "word", "observed", "expected", "corpus_count", "lines", "ll", "mi", "t",
                          "concordance_url"}
    link = client.get(first["concordance_url"].split("localhost", 1)[1] + "&per_page=1000").get_json()
    assert link["near"] == first["term"] and link["window"] == 3 and link["total"] == first["lines"]
    html = client.get("/collocations?q=Azerbaijan&window=3&limit=5").get_data(as_text=True)
    assert f'data-term="{first["term"]}"' in html and "near=" in html
    response = client.get("/api/collocations.csv?q=Azerbaijan&window=3&limit=5")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert list(rows[0]) == ["lang", "term", "word", "observed", "expected", "corpus_count", "lines",
                             "ll", "mi", "t", "concordance_url"]
    assert len(rows) == sum(len(x["collocates"]) for x in body["languages"])
    assert (rows[0]["term"], int(rows[0]["observed"]), float(rows[0]["ll"])) == (
        body["languages"][0]["collocates"][0]["term"], body["languages"][0]["collocates"][0]["observed"],
        body["languages"][0]["collocates"][0]["ll"])
    near_page = client.get(f"/concordance?q=Azerbaijan&lang=en&near={first['term']}&window=3").get_data(as_text=True)
    assert f'data-near="{first["term"]}"' in near_page
    assert near_page.count('<tr class="line"') == first["lines"]


@pytest.mark.parametrize("path, params, name", [
    ("/api/collocations", "window=0", "window"), ("/api/collocations", "window=11", "window"),
    ("/api/collocations", "measure=dice", "measure"), ("/api/collocations", "min_freq=0", "min_freq"),
    ("/api/collocations", "limit=501", "limit"), ("/api/collocations", "sample=0", "sample"),
    ("/api/collocations", "year=abc", "year"), ("/api/collocations.csv", "window=x", "window"),
    ("/api/concordance", "near=fragil&window=11", "window"), ("/api/concordance", "near=" + "x" * 101, "near"),
])
def test_bad_parameters_are_400s(client, path, params, name):
    response = client.get(f"{path}?q=Azerbaijan&{params}")
    assert response.status_code == 400, (path, params)
    assert response.get_json()["error"]["message"].startswith(name + ":")
    assert client.get(f"{path.replace('/api', '').replace('.csv', '')}?q=Azerbaijan&{params}").status_code == 400


@pytest.mark.parametrize("span", [1, 5, 10])
def test_stretches_around_the_matches_give_the_whole_texts_windows(search_index, span):
    """Collocations read only the text around the matches: each window is the one
    the whole text gives (on the shipped corpus's long speeches and news)."""
    from search.views import occurrences
    from search import schema as S
    from search.lang.table import LANGUAGES
    from search.exec.matching import find
    from search.query.parser import parse
    from search.exec.texts import Texts, decode
    from search.views.windows import spelled, words, words_around

    def check(snap):
        compared = 0
        for q in ("россия", "Azerbaijan", '"так называемые"'):
            parsed = parse(q, registry=snap.registry)
            found = find(snap, parsed, Filters(), scored=False)
            docs, langs, starts, ends = occurrences.occurrences(
                snap.searcher, occurrences.patterns(snap, parsed, found.highlights), found.final)
            bodies, columns = Texts(snap.searcher), Texts(snap.searcher, S.FORM_TERMS)
            for d, li in sorted(set(zip(docs.tolist(), langs.tolist()))):
                lang, mine = LANGUAGES[li], (docs == d) & (langs == li)
                text, column = decode(bodies.value(d, lang)), columns.value(d, lang)
                spans = list(zip(starts[mine].tolist(), ends[mine].tolist()))
                whole, around = words(text, lang, column), words_around(text, lang, column, spans, span)
                for s, e in spans:
                    assert list(spelled(around, s, e, span, lang)) == list(spelled(whole, s, e, span, lang))
                    compared += 1
        return compared

    assert search_index._snapshots.retrying(check) > 500


def test_a_window_reaching_past_its_stretch_reads_the_whole_text():
    from search.views.formterms import column_value
    from search.views.windows import spelled, window, words, words_around

    long_words = " ".join(f"counter-disinformation-{c}-programmes" for c in "abcdefghij")
    text = f"{long_words} ceasefire {long_words}."
    start = text.index("ceasefire")
    column = column_value(text, "en")
    for span in (1, 5, 10):
        around = words_around(text, "en", column, [(start, start + 9)], span)
        found = list(spelled(around, start, start + 9, span, "en"))
        assert found == list(spelled(words(text, "en", column), start, start + 9, span, "en"))
        own, where = window(around, start, start + 9, span)
        assert (len(own), len(where)) == (1, 2 * span + 1)  # 40-character words: past the stretch read


def test_a_homonyms_other_reading_is_not_listed_again(search_index):
    """«после» (after) is also read as «посол» (ambassador): near «выборы» it is listed once."""
    ru = next(x for x in search_index.collocations("выборы", window=3).languages if x.lang == "ru")
    words = [c.word for c in ru.collocates]
    assert "после" in words and "посол" not in words
