"""Languages as data, proved by Ukrainian: every field of langdata's table is
read by its layer (ARCHITECTURE.md's recipe for a language), and Ukrainian
statements are recognised, lemmatised with the Ukrainian dictionary, split
into sections, dated and named, on a real index with real pymorphy3."""

from __future__ import annotations

import datetime as dt

import babel
import pymorphy3
import pytest
import snowballstemmer
from whoosh import index as whoosh_index

from indexer.build import update_index
from indexer.extract import extract, language_sections, paragraph_language
from indexer.scan import split_lang
from search.lang import gazetteer as G
from search import schema as S
from search.lang.analysis import query_positions, word_terms
from search.engine import SearchIndex
from search.lang.folding import word_language
from search.fields import FIELDS
from search.lang.table import LANGUAGE_TABLE, LANGUAGES
from search.query.lexer import LANG_ALIASES

# A word of each language and what its own analyser makes of it.
SAMPLE_WORDS = {"en": "elections", "ru": "выборов", "uk": "виборів"}

# Statements written for these tests (no real Ukrainian statement is shipped):
# an MFA-style statement in Ukrainian, and the same in three files.
UKRAINIAN = """Заява МЗС України щодо так званих виборів

15 серпня 2016 року

Міністерство закордонних справ України рішуче засуджує проведення так званих виборів на тимчасово окупованій території. Результати цих виборів не будуть визнані міжнародною спільнотою.

Україна дякує Німеччині та Франції за послідовну підтримку. Ціни на газ стали політичною зброєю.
"""
ENGLISH = """Statement of the Ministry of Foreign Affairs of Ukraine on the so-called elections

15 August 2016

The Ministry of Foreign Affairs of Ukraine strongly condemns the so-called elections in the temporarily occupied territory.
"""
RUSSIAN = """Заявление МИД Украины относительно так называемых выборов

15 августа 2016 года

Министерство иностранных дел Украины решительно осуждает проведение так называемых выборов на временно оккупированной территории.
"""
RUSSIAN_STEEL = "Цены на сталь выросли.\n\nПоставки стали из Германии прекратились, сообщили в министерстве."


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("languages")
    (corpus / "uk").mkdir()
    (corpus / "uk" / "zayava.txt").write_text(UKRAINIAN, encoding="utf-8")
    (corpus / "uk" / "vybory.txt").write_text("Вибори\n\nВибори до місцевих рад відбудуться восени.",
                                             encoding="utf-8")
    for lang, text in (("en", ENGLISH), ("ru", RUSSIAN), ("uk", UKRAINIAN)):
        (corpus / f"three.{lang}.txt").write_text(text, encoding="utf-8")
    (corpus / "one-text.txt").write_text(f"{ENGLISH}\n\n{RUSSIAN}\n\n{UKRAINIAN}", encoding="utf-8")
    (corpus / "steel.txt").write_text(RUSSIAN_STEEL, encoding="utf-8")
    where = tmp_path_factory.mktemp("languages-index")
    summary = update_index(corpus, where)
    assert summary.problems == [], summary.problems
    found = SearchIndex(where)
    found.where = where
    yield found
    found.close()


def ids(index, query: str) -> set[str]:
    return {h.id for h in index.search(query, per_page=50).hits}


# --- the recipe: each field of a language's record is read by its layer ---------


@pytest.mark.parametrize("language", LANGUAGE_TABLE, ids=LANGUAGES)
def test_every_field_of_the_table_is_used(language):
    code = language.code
    # the schema: a body field, a text column and a form-terms column, analysed in the language
    schema = S.build_schema()
    assert {S.BODY[code], S.TEXT[code], S.FORM_TERMS[code]} <= set(schema.names())
    morph = schema[S.BODY[code]].analyzer.items[-1]
    assert morph.lang == code
    # the analyser: its dictionary's lemmas, or its stemmer's stem
    word = SAMPLE_WORDS[code]
    if language.morphology:
        own = {p.normal_form for p in pymorphy3.MorphAnalyzer(lang=language.morphology).parse(word)}
        assert set(word_terms(word, False, code)) == own
    else:
        assert word_terms(word, False, code) == (snowballstemmer.stemmer(language.stemmer).stemWord(word),)
    # stop words: dropped by the language's field
    stop = sorted(language.stop_words)[0]
    assert query_positions(schema[S.BODY[code]].analyzer, stop) == []
    # the facet, the query syntax and file names
    (lang_field,) = [f for f in FIELDS if f.name == "lang"]
    assert code in lang_field.choices
    assert all(LANG_ALIASES[name] == code for name in (code, *language.aliases))
    assert split_lang(f"statement.{code}.txt") == ("statement.txt", code)
    # month names, with the words that may follow a year
    for name, month in language.months.items():
        assert extract(f"Title\n\n15 {name} 2016\n\nText.").date == dt.date(2016, month, 15), name
    for word in language.year_words:
        assert extract(f"Title\n\n15 {next(iter(language.months))} 2016 {word}.\n\nText.").date
    # header labels are no title
    for label in language.labels:
        assert extract(f"{label}\n\nThe real title\n\nText.").title == "The real title", label
    # names for the gazetteer from CLDR in the language's locale
    cldr = babel.Locale(language.cldr).territories["DE"]
    assert G.names("DE")[code] == cldr
    assert G.mentions(cldr) == ["DE"]
    # its own letters tell its words from the other languages of its script
    for letter in language.letters:
        assert word_language(f"сл{letter}во") == code, letter


# --- recognition ---------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    (UKRAINIAN.split("\n\n")[2], "uk"),
    ("Заява МЗС", "uk"),  # no і, ї, є, ґ: the dictionary knows «заява», the Russian one does not
    ("Кабінет Міністрів України", "uk"),
    (RUSSIAN.split("\n\n")[2], "ru"),
    ("Киев, Київ и Москва", "ru"),  # a Ukrainian name in Russian text
    ("Москва", "ru"),  # short, in both dictionaries: the default
    ("Moscow", "en"),
])
def test_a_paragraphs_language(text, expected):
    assert paragraph_language(text) == expected


def test_one_text_in_three_languages_has_three_sections():
    sections = language_sections(f"{ENGLISH}\n\n{RUSSIAN}\n\n{UKRAINIAN}")
    assert [lang for lang, _ in sections] == ["en", "ru", "uk"]
    assert sections[2][1].startswith("Заява МЗС України")


def test_a_ukrainian_date_is_read():
    meta = extract(UKRAINIAN)
    assert meta.date == dt.date(2016, 8, 15)
    assert meta.title == "Заява МЗС України щодо так званих виборів"


# --- analysis: the Ukrainian dictionary, never the Russian one ------------------------


def test_ukrainian_words_get_ukrainian_lemmas():
    assert set(word_terms("виборів", False, "uk")) == {"вибори", "вибір"}
    assert set(word_terms("стали", False, "uk")) == {"стати", "станути"}
    assert "сталь" in word_terms("стали", False, "ru")
    # in mixed text (titles) a word's own letters tell
    assert set(word_terms("виборів")) == {"вибори", "вибір"}


def test_a_ukrainian_form_finds_its_lemma(index):
    assert "uk/vybory.txt" in ids(index, "виборів")  # the statement says «Вибори»
    assert "uk/zayava.txt" in ids(index, "вибори")  # it says «виборів»
    assert ids(index, "lang:uk виборів") >= {"uk/zayava.txt", "uk/vybory.txt"}


def test_no_russian_reading_in_a_ukrainian_statement(index):
    # «стали» is «стати» (became) in Ukrainian; only the Russian dictionary reads it as steel
    assert "steel.txt" in ids(index, "сталь")
    assert "uk/zayava.txt" not in ids(index, "сталь")
    with whoosh_index.open_dir(index.where).reader() as reader:  # (the Ukrainian body's terms)
        terms = {t.decode() for t in reader.lexicon(S.BODY["uk"])}
    assert {"стати", "вибори", "німеччина"} <= terms
    assert not {"сталь", "виборіть"} & terms


# --- statements -----------------------------------------------------------------------


@pytest.mark.parametrize("doc_id", ["three.txt", "one-text.txt"])
def test_a_trilingual_statement_is_one_statement_with_three_sections(index, doc_id):
    doc = index.document(doc_id)
    assert [s.lang for s in doc.sections] == ["en", "ru", "uk"]
    for query in ("elections", "выборов", "виборів"):
        assert doc_id in ids(index, query), query
    assert doc_id in ids(index, "lang:uk")


def test_the_language_facet_shows_ukrainian(index):
    facet = {v.value: v.count for v in index.search("", per_page=1).facets["lang"]}
    assert facet["uk"] == 4  # two Ukrainian statements, two trilingual ones


def test_germany_finds_the_ukrainian_name(index):
    result = index.search("Germany lang:uk", per_page=50)
    assert "uk/zayava.txt" in {h.id for h in result.hits}
    doc = index.document("uk/zayava.txt", query="Germany")
    (uk,) = [s for s in doc.sections if s.lang == "uk"]
    assert "<mark>Німеччині</mark>" in " ".join(uk.paragraphs_html)
