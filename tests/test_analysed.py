"""The analysed corpus's tokens: made from the analysers' term postings and back
without loss, and taken as they are by the analysers when the index is written."""

from __future__ import annotations

import pytest

from search import schema as S
from search.analysed import AnalysedText, analyse, postings_of, tokens_of
from search.lang.analysis import language_analyzer

TEXTS = [
    ("ru", "Выборы в Нагорно-Карабахском регионе: ООН и «выборов» не признаёт."),
    ("en", "The so-called elections in the occupied territories; the UN and the EU."),
    ("uk", "Виборів не буде: Україна і Данія."),
    (None, "Заявление МИД / Statement on elections"),
]


@pytest.mark.parametrize("lang,text", TEXTS)
def test_tokens_give_back_the_postings_they_came_from(lang, text):
    postings = language_analyzer(lang).term_postings(text)
    tokens = tokens_of(postings)
    assert postings_of(tokens) == postings
    assert list(postings_of(tokens)) == list(postings)  # (in the same order)
    assert [t["start"] for t in tokens] == sorted(t["start"] for t in tokens)
    for token in tokens:
        assert text[token["start"]:token["end"]].lower().replace("ё", "е") == token["form"]


def test_a_token_holds_its_form_lemmas_position_and_offsets():
    tokens = analyse(S.build_schema(), S.BODY["ru"], "Нагорно-Карабахский регион")
    assert [(t["form"], t["position"], t["start"], t["end"]) for t in tokens] == [
        ("нагорно-карабахский", 0, 0, 19), ("нагорно", 0, 0, 7), ("карабахский", 1, 8, 19),
        ("регион", 2, 20, 26)]
    assert tokens[-1]["lemmas"] == ["регион"]


@pytest.mark.parametrize("lang,text", TEXTS)
def test_an_analysed_text_is_taken_as_it_is_when_indexing(lang, text):
    analyzer = language_analyzer(lang)
    given = AnalysedText(text, {"zz": [(0, 0, 2)], "=zz": [(0, 0, 2)]})
    assert analyzer.term_postings(given) == given.postings
    indexed = [(t.text, t.pos, t.startchar, t.endchar)
               for t in analyzer(given, positions=True, chars=True, mode="index")]
    assert indexed == [("=zz", 0, 0, 2), ("zz", 0, 0, 2)]
    # (a query is analysed as ever)
    assert [t.text for t in analyzer(given, mode="query")] != ["zz"]
