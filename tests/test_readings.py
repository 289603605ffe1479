"""Russian matching counts the word asked for (search/lang/analysis.py `query_terms`):
a form whose dictionary readings belong to different words searches the word
it most likely is, and the exact-form operator (=выборах) finds only that form.

Each statement of a small real index holds one word form, so what a query
finds is the set of forms it matches: the table says, for ambiguous Russian
forms, which forms each must find and which it must not. The research views
(trend, concordance, key terms) are checked to count what search finds.
"""

from __future__ import annotations

import json

import pytest

from search.lang.analysis import _morph, fold

# query → forms it must find → forms it must not find
READINGS = [
    # «выборы» (elections, plurale tantum) is not the plural of «выбор» (choice)
    ("выборы", "выборы выборов выборах выборами выборам", "выбор выбора выбору выбором выборе"),
    ("выборов", "выборы выборов выборах выборами выборам", "выбор выбора выбору выбором выборе"),
    ("выборах", "выборы выборов выборах выборами выборам", "выбор выбора выбору выборе"),
    ("выборами", "выборы выборов выборах выборами выборам", "выбор выбора выбору выборе"),
    ("выборам", "выборы выборов выборах выборами", "выбор выбору выбором"),
    ("Выборы", "выборы выборов выборах", "выбор выбору выборе"),
    ("ВЫБОРЫ", "выборы выборов выборах", "выбор выбору выборе"),
    # ... but «выбор» finds the plural forms it shares with «выборы»: only the context tells
    ("выбор", "выбор выбора выбору выбором выборе выборы выборов выборах", "выборный выборного"),
    ("выбору", "выбор выбора выборе выборы выборов", "выборный"),
    ("выбором", "выбор выбору выборе выборах", "выборного"),
    # an abbreviation written in capitals is that abbreviation, not a common word's form
    ("ПНИ", "ПНИ пни", "пень пней пнём"),
    ("пень", "пень пней пнём пни", "ПНИ"),
    ("пней", "пень пнём пни", "ПНИ"),
    ("пни", "ПНИ пни пень пней", ""),
    ("РАН", "РАН", "рана раны ранами"),
    ("раны", "рана раны ранами", "РАН"),
    ("рана", "раны ранами ран", "РАН"),
    ("ран", "рана раны ран РАН", ""),
    # ... an abbreviated noun only when the dictionary reads the form so most of the time
    ("Баку", "баку БАКУ", "бака баком"),
    ("РОД", "род рода РОД", "родился"),
    # homonyms, read by the dictionary's probabilities
    ("стали", "стали стал стала станет", "сталь сталью"),
    ("сталь", "сталь сталью стали", "стал станет"),
    ("сталью", "сталь стали", "стал стала"),
    ("стать", "стал стала стали станет", "сталь сталью"),
    ("мира", "мир мира миру миром", "миро"),
    ("миру", "мир мира миром", "миро"),
    ("мирам", "мир мира миру", "миро"),
    ("права", "право права прав правом правами", "правая правого"),
    ("правом", "право права правами правая", ""),  # (в правом углу: as likely)
    ("правая", "правая правого правый прав правом", "правами"),
    ("прав", "право права правом", "правая правого"),
    ("мою", "мой моя моего мою", "моет мыть"),
    ("моет", "мыть мою моя", "моего"),  # (моя руки)
    ("три", "три трех тремя", "трет тереть"),
    ("трет", "тереть три", "трех тремя"),
    ("есть", "есть ест ела", "был будет"),
    ("быть", "был будет есть", "ест ела"),
    ("стекло", "стекло стекла стеклом", "стечет"),
    ("суда", "суд суда суду судом", "судно судном"),
    ("судно", "судно судна судном суда", "суду судом"),
    ("судов", "суд суду судом судно судном", ""),
    ("суду", "суд суда судом", "судно судном"),
    ("простой", "простой простого простая", "простоял простоять"),
    ("простоял", "простоять простой", "простого простая"),
    ("гости", "гость гостя гостей гости", "гостить гостит"),
    ("гостит", "гостить гости гостя", "гостей"),  # (гостя у друзей)
    ("дали", "дал дала дали", "далью"),
    ("даль", "даль далью дали", "дал дала"),
    ("полки", "полка полку полкой полки", "полк полком"),
    ("полк", "полк полком полка полки", "полкой"),
    ("мину", "мина мины минами мину", "минует"),
    ("мин", "мина мины минами мин", ""),
    ("вино", "вино вином вина", "виной"),
    ("мер", "мера меры мерами мер", "мрет"),
    ("ворота", "ворота ворот воротами", "воротом"),
    ("род", "род рода роду родом РОД", "родился"),
    ("весть", "весть вестью вести", ""),
    ("данные", "данные данных данный дал", ""),
    ("часы", "часы часов час часа", ""),
    ("духи", "дух духа духи", ""),
    ("очки", "очко очка очки очков", ""),
    ("дела", "дело дела делом делам", "денет"),
    # the exact form: that form only, whatever its case, ё folded
    ("=выборах", "выборах", "выборы выборов выбор выборе"),
    ("=выборы", "выборы Выборы ВЫБОРЫ", "выборах выбор выборов"),
    ("=ПНИ", "ПНИ пни", "пень пней"),
    ("=пни", "ПНИ пни", "пень пней"),
    ("=ёлка", "ёлка елка", "ёлки елкой"),
    ("=стали", "стали", "сталь стал сталью"),
    ("=права", "права", "право прав правом правая"),
]

# Lexemes whose every form the corpus holds: the word asked for loses none of them.
WHOLE_PARADIGMS = [("выборы", "выборы"), ("выбор", "выбор"), ("сталь", "сталь"), ("право", "право"),
                   ("суд", "суд"), ("судно", "судно"), ("пень", "пень"), ("мера", "мера")]


def _forms() -> list[str]:
    forms = []
    for query, find, avoid in READINGS:
        for form in find.split() + avoid.split():
            if form not in forms:
                forms.append(form)
    for _, lemma in WHOLE_PARADIGMS:
        for form in _paradigm(lemma):
            if form not in forms:
                forms.append(form)
    return forms


def _paradigm(lemma: str) -> list[str]:
    """Every form of the noun `lemma` (its first reading as a noun), folded."""
    parse = next(p for p in _morph().parse(lemma) if p.tag.POS == "NOUN" and p.normal_form == lemma)
    return sorted({fold(f.word) for f in parse.lexeme})


FORMS = _forms()
DATES = {"выборы": "2019", "выборов": "2020", "выбор": "2021", "выбору": "2022"}  # (for the trend)


@pytest.fixture(scope="module")
def readings_index(tmp_path_factory):
    """One statement per word form, written three times as it stands in FORMS (so key
    terms have enough occurrences), built by the real indexer."""
    from indexer.build import update_index
    from search.engine import SearchIndex

    corpus = tmp_path_factory.mktemp("readings-corpus")
    records = [{"id": f"f{i}", "date": f"{DATES.get(form, '2018')}-01-{i % 28 + 1:02d}",
                "title": f"Запись {i}", "text": f"Запись {i}.\n\nЗдесь: {form}, {form}, {form}."}
               for i, form in enumerate(FORMS)]
    (corpus / "statements.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    where = tmp_path_factory.mktemp("readings-index")
    assert update_index(corpus, where).problems == []
    index = SearchIndex(where)
    yield index, where
    index.close()


def found_forms(index, query: str) -> set[str]:
    return {_form(hit.id) for hit in index.hits(query, autocorrect=False)}


def _form(statement_id: str) -> str:
    return FORMS[int(statement_id.rsplit("f", 1)[-1])]


def test_the_table_is_large_enough():
    assert len(READINGS) >= 60


@pytest.mark.parametrize("query, find, avoid", READINGS, ids=[q for q, _, _ in READINGS])
def test_a_form_finds_the_word_asked_for(readings_index, query, find, avoid):
    found = found_forms(readings_index[0], query)
    assert set(find.split()) <= found, (query, set(find.split()) - found)
    assert not set(avoid.split()) & found, (query, set(avoid.split()) & found)


@pytest.mark.parametrize("query, lemma", WHOLE_PARADIGMS)
def test_the_word_asked_for_loses_none_of_its_forms(readings_index, query, lemma):
    paradigm = set(_paradigm(lemma))
    assert len(paradigm) >= 5
    assert paradigm <= found_forms(readings_index[0], query)


def test_marks_are_the_forms_of_the_word_asked_for(readings_index):
    index, _ = readings_index
    for query, wanted in (("выборы", {"выборы", "выборов", "выборах", "выборами", "выборам"}),
                          ("=выборах", {"выборах"})):
        marked = set()
        result = index.search(query, per_page=100, autocorrect=False, suggest=False)
        assert result.total == len(found_forms(index, query))
        for hit in result.hits:
            marked |= {fold(m) for s in hit.snippets for m in _marked(s.html)}
        assert marked == wanted, query


def _marked(html: str) -> list[str]:
    import re

    return re.findall(r"<mark>(.*?)</mark>", html)


# --- the research views count what search finds ----------------------------------------


def test_the_concordance_has_a_line_for_each_form_search_finds(readings_index):
    from search.views.concordance import ConcordanceRequest

    index, _ = readings_index
    for query in ("выборы", "выбор", "=выборов", "ПНИ"):
        lines = list(index.concordance_lines(ConcordanceRequest(query=query, per_page=1000)))
        found = found_forms(index, query)
        assert sorted(fold(line.match) for line in lines) == sorted(3 * [fold(f) for f in found]), query
    lines = list(index.concordance_lines(ConcordanceRequest(query="выборы", per_page=1000)))
    assert {fold(line.match) for line in lines} == {"выборы", "выборов", "выборах", "выборами", "выборам"}


def test_the_trend_counts_what_search_finds(readings_index):
    index, _ = readings_index
    counts = {}
    for query in ("выборы", "выбор", "=выборов"):
        result = index.trend([query], period="year")
        series = result.series[0]
        counts[query] = {p.key: n for p, n in zip(result.periods, series.counts) if n}
        assert series.matched == sum(counts[query].values()) == len(found_forms(index, query)), query
    # «выборы» (2019) and «выборов» (2020) are elections; «выбор», «выбору» (2021, 2022) are not
    assert "2021" not in counts["выборы"] and "2022" not in counts["выборы"]
    assert {"2019", "2020", "2021", "2022"} <= set(counts["выбор"])
    assert set(counts["=выборов"]) == {"2020"}


def test_key_terms_read_a_form_as_the_word_search_finds(readings_index):
    index, _ = readings_index

    def shown(query):
        result = index.keyterms(query, sample=1000, limit=50)
        return {t.word for lang in result.languages for t in lang.terms}

    # «выборов», «выборах»… are counted under «выборы» and «выбор», as the index has them,
    # but only «выборы» is shown: «выбор» is the same words read another way.
    assert "выборы" in shown("выборы") and "выбор" not in shown("выборы")
    # «ПНИ» and «пни» (one statement each) are found; «пни» is counted under «пень» and
    # «пнуть» too, which are not shown; «ПНИ» under none of them.
    assert "пни" in {w.lower() for w in shown("ПНИ")} and not {"пень", "пнуть"} & shown("ПНИ")


def test_titles_are_marked_as_the_index_reads_them():
    from search.query.build import Highlights
    from search.exec.snippets import Marker

    def marked(terms, text):
        return [text[m.start:m.end] for m in Marker(Highlights(terms={"title": terms})).marks(text, "title")]

    assert marked({"=выборах"}, "Выборах, выборы, ВЫБОРАХ") == ["Выборах", "ВЫБОРАХ"]
    assert marked({"пень"}, "ПНИ и пни") == ["пни"]
    assert marked({"пни"}, "ПНИ и пни") == ["ПНИ", "пни"]
    assert marked({"выборы"}, "Выборы и выбор") == ["Выборы"]


def test_every_russian_form_of_the_corpus_finds_itself(index_dir):
    """Whatever the case it is typed and written in, a form searches at least one
    term the index keeps for it: the statements holding it are always found."""
    from search.lang.analysis import query_terms, script, word_terms
    from tests.corpus_tools import vocabulary

    forms = [w for w in vocabulary(index_dir) if script(w) == "ru"]
    assert len(forms) > 20_000
    lost = [w for w in forms for typed in (False, True) for written in (False, True)
            if not set(query_terms(w, typed)) & set(word_terms(w, written))]
    assert lost == []
    narrower = sum(set(query_terms(w)) != set(word_terms(w)) for w in forms)
    assert 0.01 < narrower / len(forms) < 0.1  # (the ambiguous forms, not every form)
