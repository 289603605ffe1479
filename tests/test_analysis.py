"""Text analysis, table-driven: word → the terms the index holds for it."""

import pickle

import pytest

from search.lang.analysis import (
    fold,
    is_dictionary_word,
    language_analyzer,
    query_positions,
    surface_words,
    word_terms,
)


@pytest.fixture(scope="session")
def ru():
    return language_analyzer("ru")


@pytest.fixture(scope="session")
def en():
    return language_analyzer("en")


def terms(analyzer, text):
    return [t.text for t in analyzer(text)]


# Every case form of a Russian word shares a term with its dictionary form.
RUSSIAN_FORMS = [
    ("выборы", {"выборы", "выбор"}),
    ("выборов", {"выборы", "выбор"}),
    ("выборах", {"выборы", "выбор"}),
    ("выборам", {"выборы", "выбор"}),
    ("территория", {"территория"}),
    ("территории", {"территория"}),
    ("территорий", {"территория"}),
    ("территориях", {"территория"}),
    ("территориям", {"территория"}),
    ("территорией", {"территория"}),
    ("оккупированных", {"оккупировать"}),
    ("оккупированные", {"оккупировать"}),
    ("резолюции", {"резолюция"}),
    ("резолюций", {"резолюция"}),
    ("Азербайджана", {"азербайджан"}),
    ("Азербайджаном", {"азербайджан"}),
]


@pytest.mark.parametrize("word, expected", RUSSIAN_FORMS)
def test_russian_forms_share_lemmas(ru, word, expected):
    assert expected <= set(terms(ru, word))


@pytest.mark.parametrize(
    "word, expected",
    [
        ("стали", {"сталь", "стать"}),  # steel / became
        ("души", {"душа", "душ"}),  # of the soul / showers
        ("косой", {"коса", "косой"}),  # with a braid / slanting
    ],
)
def test_homonyms_index_every_normal_form(word, expected):
    assert expected <= set(word_terms(fold(word)))


@pytest.mark.parametrize(
    "word, expected",
    [
        ("elections", "elect"),
        ("election", "elect"),
        ("elected", "elect"),
        ("resolutions", "resolut"),
        ("resolution", "resolut"),
        ("occupied", "occupi"),
        ("occupies", "occupi"),
        ("Armenia’s", "armenia"),
        ("nations", "nation"),
    ],
)
def test_english_stems(en, word, expected):
    assert terms(en, word) == [expected]


@pytest.mark.parametrize(
    "a, b",
    [
        ("ёлка", "елка"),
        ("Ёлки", "ЕЛКИ"),
        ("её", "ее"),
        ("вы́боры", "выборы"),  # stress mark
        ("Рoссия", "Россия"),  # Latin "o" inside a Russian word
        ("Armenia’s", "Armenia's"),
    ],
)
def test_folding_makes_equal(ru, a, b):
    assert fold(a) == fold(b)
    assert terms(ru, a) == terms(ru, b)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Нагорно-Карабахский регион", [["нагорно-карабахский", "нагорный"], ["карабахский"], ["регион"]]),
        ("«выборы»", [["выборы"]]),  # (not «выбор»'s paradigm: see analysis.query_terms)
        ("«данные»", [["дать", "данные", "данный"]]),
        ("“elections”", [["elect"]]),
    ],
)
def test_positions(text, expected):
    analyzer = language_analyzer("ru" if any("а" <= c <= "я" for c in text.lower()) else "en")
    assert query_positions(analyzer, text) == expected


def test_hyphenated_word_parts_are_searchable(ru):
    assert {"нагорно-карабахский", "карабахский"} <= set(terms(ru, "Нагорно-Карабахский"))


def test_stop_words_leave_no_gap_in_positions(en):
    tokens = [(t.text, t.pos) for t in en("Ministry of Foreign Affairs", positions=True)]
    positions = [pos for _, pos in tokens]
    assert [text for text, _ in tokens] == ["ministri", "foreign", "affair"]
    assert positions == list(range(positions[0], positions[0] + 3))


@pytest.mark.parametrize("analyzer_lang, word", [("en", "the"), ("en", "of"), ("ru", "и"), ("ru", "на"), ("ru", "из-за")])
def test_stop_words_are_dropped(analyzer_lang, word):
    assert terms(language_analyzer(analyzer_lang), word) == []


# A question's own words say what kind of answer is asked for, not what it is
# about: a bag of the question's words must not rank the statements that hold
# «какой» or «сколько» first (bench/ir.py: XQuAD-R Russian nDCG@10 0.8402 → 0.8434).
@pytest.mark.parametrize("word", ["какой", "Какие", "каких", "какова", "сколько", "почему", "зачем", "чей",
                                  "которые", "котором", "куда", "откуда"])
def test_russian_question_words_are_stop_words(word):
    assert terms(language_analyzer("ru"), word) == []


def test_a_russian_question_searches_its_subject_only():
    analyzer = language_analyzer("ru")
    assert query_positions(analyzer, "Сколько университетов и какие?") == [["университет"]]


@pytest.mark.parametrize("word, expected", [
    ("австрии", True), ("выборов", True), ("резолюциями", True), ("ёлка", True), ("елка", True),
    ("выбары", False), ("резолюцыя", False), ("elections", False), ("822", False),
])
def test_dictionary_words(word, expected):
    assert is_dictionary_word(word) is expected


@pytest.mark.parametrize("word", ["US", "May", "No", "822", "1993"])
def test_words_that_look_common_are_kept(en, word):
    assert terms(en, word) != []


def test_offsets_point_into_the_original_text(ru):
    text = "На «ОККУПИРОВАННЫХ» территориях, Ёлка и выборах"
    tokens = [(t.text, text[t.startchar : t.endchar]) for t in ru(text, chars=True)]
    # Every term of a word (each of its lemmas) points at the word as written.
    assert tokens == [
        ("оккупировать", "ОККУПИРОВАННЫХ"),
        ("территория", "территориях"),
        ("елка", "Ёлка"),
        ("выборы", "выборах"),
        ("выбор", "выборах"),
    ]


def test_numbers_are_terms(ru):
    assert terms(ru, "резолюции 822 (1993)") == ["резолюция", "822", "1993"]


def test_analyzers_pickle_with_the_schema():
    from search.schema import build_schema

    schema = build_schema()
    again = pickle.loads(pickle.dumps(schema))
    assert again["body_ru"].analyzer == schema["body_ru"].analyzer
    assert [t.text for t in again["body_ru"].analyzer("выборов")] == ["выборы", "выбор"]


def test_lemma_cache_is_not_pickled():
    blob = pickle.dumps(language_analyzer("ru"))
    word_terms("кэш")
    assert pickle.dumps(language_analyzer("ru")) == blob
    assert len(blob) < 1000


def test_surface_words():
    assert surface_words("Нагорно-Карабахский регион, Ёлка 2020") == {
        "нагорно-карабахский", "нагорно", "карабахский", "регион", "елка",
    }


# The fused indexing path must give exactly what Whoosh's own postings format
# makes from the token chain: same terms, positions, offsets and weights (and
# the exact-form terms uncounted in the field's length, as the schema's formats make them).
POSTINGS_TEXTS = [
    "The elections in the Nagorno-Karabakh region, and the election of 2020.",
    "Выборы в Нагорно-Карабахском регионе и выборы в регионах, из-за которых",
    "и в но Выборы: начало",  # leading stop words leave no gap
    "the of and",  # stop words only
    "",
    "Ёлка и ёж; уда\u0301рение, пере\u00adнос, Mоскве (mixed script)",
    "Armenia’s and Russia's; 064/20 and A/RES/68/262, 2019-2020",
    "стали сталь стать — homonyms, e-mail, a-b-c-d, -dash- x--y",
    "UN Security Council resolution 2231 (2015) Совет Безопасности ООН",
]


def _whoosh_postings(analyzer, text):
    from whoosh import formats

    from search.schema import _uncounted

    return sorted(_uncounted(formats.Characters(field_boost=1.5).word_values(text, analyzer, mode="index")))


def _fused_postings(analyzer, text):
    from search.schema import OffsetPostings

    return sorted(OffsetPostings(field_boost=1.5).word_values(text, analyzer, mode="index"))


@pytest.mark.parametrize("lang", ["ru", "en", None])
@pytest.mark.parametrize("text", POSTINGS_TEXTS)
def test_fused_postings_match_the_token_chain(lang, text):
    analyzer = language_analyzer(lang)
    assert _fused_postings(analyzer, text) == _whoosh_postings(analyzer, text)


def test_fused_postings_match_the_token_chain_on_the_corpus(index_dir):
    """Every statement body of the test corpus, as the index stores it."""
    from search.schema import BODY
    from tests.corpus_tools import stored as stored_statements

    bodies = [(lang, stored[field]) for stored in stored_statements(index_dir).values()
              for lang, field in BODY.items() if stored.get(field)]
    assert len(bodies) > 400
    for lang, text in bodies:
        analyzer = language_analyzer(lang)
        assert _fused_postings(analyzer, text) == _whoosh_postings(analyzer, text)


def test_indexes_built_before_search_lang_still_find_their_analysers():
    """Whoosh pickles each field's analyser into the index's schema by its classes' import path;
    indexes built before the analysers moved to search/lang/ name them by their module then
    (analysis, at the top of the package),
    so that path must still give the very classes the schema uses (else such an index
    could not be opened and would be reported as damaged)."""
    from search.schema import build_schema

    schema = build_schema()
    used = {type(schema["body_ru"].analyzer)} | {type(part) for part in schema["body_ru"].analyzer.items}
    old_path = "search" + ".analysis"  # (as such an index's schema names it)
    for name in ("StatementTokenizer", "StopFilter", "MorphFilter", "LetterWordsFilter", "LanguageAnalyzer"):
        found = pickle.loads(b"\x80\x02c" + f"{old_path}\n{name}\n".encode() + b".")
        assert found.__name__ == name
    assert all(pickle.loads(b"\x80\x02c" + f"{old_path}\n{cls.__name__}\n".encode() + b".") is cls
               for cls in used)
