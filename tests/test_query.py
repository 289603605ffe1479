"""The query language, without an index: text → tree → Whoosh query."""

import datetime as dt

import pytest
from whoosh import query as wq

from search.query.phrases import Adjacent
from search.errors import QueryError
from search.query.build import QueryBuilder
from search.query.parser import parse
from search.query.tree import FieldCondition, Text


@pytest.mark.parametrize(
    "text, parsed",
    [
        ("выборы резолюция", "(выборы AND резолюция)"),
        ('"оккупированные территории"', '"оккупированные территории"'),
        ("«оккупированные территории»", '"оккупированные территории"'),
        ("elections OR выборы", "(elections OR выборы)"),
        ("Armenia NOT Azerbaijan", "(Armenia AND NOT Azerbaijan)"),
        ("Armenia -Azerbaijan", "(Armenia AND NOT Azerbaijan)"),
        ("(a OR b) c", "((a OR b) AND c)"),
        ("title:statement", "title:statement"),
        ('title:"foreign affairs"', 'title:"foreign affairs"'),
        ("lang:russian", "lang:ru"),
        ("year:2020", "year:2020"),
        ("no:064/20", "no:064/20"),
        ("number:822", "number:822"),
        ("number:[800 TO 900]", "number:[800 TO 900]"),
        ("number:[800 TO *]", "number:[800 TO *]"),
        ("mentioned:1993", "mentioned:1993"),
        ("date:2020-03", "date:[2020-03-01 TO 2020-03-31]"),
        ("date:[2019-01-01 TO 2020-12-31]", "date:[2019-01-01 TO 2020-12-31]"),
        ("окку*", "окку*"),
        ("elction~", "elction~2"),
        ("elction~1", "elction~1"),
        ("=выборах", "=выборах"),
        ("=Выборах выборы", "(=Выборах AND выборы)"),
        ('="выборах в парламент"', '="выборах в парламент"'),
        ("-=выборах", "NOT =выборах"),
        ("NOT =выборах", "NOT =выборах"),
        ("title:=выборы", "title:=выборы"),
        ("=выборах OR =выборы", "(=выборах OR =выборы)"),
        ("", "*"),
    ],
)
def test_syntax(text, parsed):
    result = parse(text)
    assert str(result) == parsed
    assert result.notices == []


@pytest.mark.parametrize(
    "text, parsed, notice",
    [
        ('"unbalanced quote', "(unbalanced AND quote)", "quotation mark"),
        ("((a b)", "(a AND b)", "never closed"),
        ("a ) b", "(a AND b)", "closing bracket"),
        ("OR", "*", "nothing before"),
        ("a OR", "a", "nothing after"),
        ("NOT", "*", "nothing after"),
        ("AND", "*", "“AND” has nothing before"),  # (every statement, and a word of why)
        ("a AND", "a", "“AND” has nothing after"),
        ("(a AND) OR b", "(a OR b)", "“AND” has nothing after"),
        ("number:abc", "*", "whole number"),
        ("year:4294967296", "*", "from 1 to 9999"),  # (beyond the index's 32-bit year field)
        ("mentioned:[1990 TO 99999]", "*", "from 1 to 9999"),
        ("year:[ TO ]", "*", "[FROM TO UNTIL]"),
        ("year:[2021 TO 2019]", "*", "starts after it ends"),
        ("date:yesterday", "*", "YYYY-MM-DD"),
        ("lang:fr", "*", "lang:"),
        ("colour:red", "(colour AND red)", "not a field"),
        ("o*", "o", "too short"),
        ("=выбор*", "=выбор", "exact form"),
        ("(" * 40 + "x" + ")" * 40, "x", "deeper than"),
        (" ".join(f"w{i}" for i in range(400)), None, "first 100"),
    ],
)
def test_odd_input_is_read_as_words_with_a_notice(text, parsed, notice):
    result = parse(text)
    if parsed is not None:
        assert str(result) == parsed
    assert any(notice in n for n in result.notices), result.notices


@pytest.mark.parametrize("text", ["*a*a*a*", "!!!", "\x00\x01", "))))((((", "~", "\"\"", "-", "title:", ":::", "[ TO ]"])
def test_nonsense_never_raises(text):
    q, _ = QueryBuilder().build(parse(text))
    assert isinstance(q, wq.Query)


def test_spans_point_at_the_users_words():
    text = 'title:выбары "a b" resolutoin'
    leaves = parse(text).texts()
    assert [text[s:e] for s, e in (leaf.span for leaf in leaves)] == ["выбары", '"a b"', "resolutoin"]


def test_negated_words_are_not_highlighted():
    parsed = parse("elections -Armenia")
    assert [t.text for t in parsed.texts()] == ["elections"]
    assert [t.text for t in parsed.texts(negated=True)] == ["Armenia"]
    _, hl = QueryBuilder().build(parsed)
    assert all("armenia" not in terms for terms in hl.terms.values())


def test_a_word_searches_every_language_field_through_its_analyser():
    q, hl = QueryBuilder().build(parse("выборов"))
    assert hl.terms["body_ru"] == {"выборы"}  # (not «выбор»: see analysis.query_terms)
    fields = {t.fieldname for t in q.leaves()}
    assert fields == {"title", "body_en", "body_ru", "body_uk"}


def test_lemma_alternatives_are_or_not_and():
    q, _ = QueryBuilder().build(parse("данные"))
    ru = [sub for sub in q.subqueries if "body_ru" in str(sub)][0]
    assert isinstance(ru, wq.DisjunctionMax)
    assert {t.text for t in ru.subqueries} == {"данные", "данный", "дать"}


def test_phrase_is_a_phrase_of_lemmas():
    q, _ = QueryBuilder().build(parse('"оккупированных территориях"'))
    ru = [sub for sub in q.subqueries if "body_ru" in str(sub)][0]
    assert isinstance(ru, Adjacent)
    assert [t.text for t in ru.subqueries] == ["оккупировать", "территория"]


def test_phrase_with_homonyms_is_a_sequence_of_alternatives():
    q, _ = QueryBuilder().build(parse('"данные о выборах"'))
    ru = [sub for sub in q.subqueries if "body_ru" in str(sub)][0]
    assert isinstance(ru, Adjacent)
    assert {t.text for t in ru.subqueries[0].subqueries} == {"данные", "данный", "дать"}
    assert ru.subqueries[1].text == "выборы"


def test_stop_words_alone_search_nothing():
    q, _ = QueryBuilder().build(parse("the of и"))
    assert q is wq.NullQuery


def test_prefix_without_vocabulary_is_not_analysed():
    q, hl = QueryBuilder().build(parse("Окку*"))
    assert {p.text for p in q.subqueries} == {"окку"}
    assert hl.prefixes == {"окку"}


def test_filters():
    root = parse("number:822 date:2020").root
    assert root.items == (
        FieldCondition("number", 822, 822),
        FieldCondition("date", dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
    )


def test_raw_mode_is_whooshs_own_syntax():
    assert str(parse("body_en:elect^2", raw=True)) == "body_en:elect^2.0"
    assert parse("", raw=True).is_empty
    with pytest.raises(QueryError, match="no searchable terms"):
        parse("()", raw=True)


def test_text_leaf_string_forms():
    assert str(Text("prefix", "окку", "title")) == "title:окку*"


def test_exact_is_a_token_of_the_lexer():
    from search.query.lexer import lex

    assert [(t.kind, t.text) for t in lex('=выборах ="в парламент" a=b = c')] == [
        ("exact", "="), ("word", "выборах"), ("exact", "="), ("quote", '"'), ("word", "в"),
        ("word", "парламент"), ("quote", '"'), ("word", "a=b"), ("word", "="), ("word", "c")]


def test_an_exact_word_is_its_folded_form_in_every_field():
    node = parse("=Ёлках").root
    assert node == Text("exact", "Ёлках", span=(0, 6))
    q, hl = QueryBuilder().build(parse("=Ёлках"))
    assert {(t.fieldname, t.text) for t in q.leaves()} == {
        ("title", "=елках"), ("body_en", "=елках"), ("body_ru", "=елках"), ("body_uk", "=елках")}
    assert hl.terms["body_ru"] == {"=елках"}


def test_an_exact_phrase_is_a_phrase_of_forms_without_its_stop_words():
    q, _ = QueryBuilder().build(parse('="выборах в парламент"'))
    ru = [sub for sub in q.subqueries if "body_ru" in str(sub)][0]
    assert isinstance(ru, Adjacent)
    assert [t.text for t in ru.subqueries] == ["=выборах", "=парламент"]


def test_no_ordinary_word_searches_an_exact_form():
    for text in ("выборах", '"выборах в парламент"', "выбор*", "elections", "=", "= выборах"):
        q, hl = QueryBuilder().build(parse(text))
        assert not any(str(t.text).startswith("=") for t in q.leaves() if hasattr(t, "text")), text


def test_a_query_longer_than_the_limit_is_refused_in_every_layer(search_index):
    from click.testing import CliRunner

    from search.__main__ import main as search_cli
    from search.errors import QueryError
    from search.query.parser import MAX_QUERY_CHARS

    longest = "a" * MAX_QUERY_CHARS
    assert parse(longest).root is not None
    with pytest.raises(QueryError, match="2,001 characters long; the limit is 2,000"):
        search_index.search(longest + "b")
    result = CliRunner().invoke(search_cli, [longest + "b", "--index", str(search_index.index_dir)])
    assert result.exit_code == 2 and "the limit is 2,000" in result.output


@pytest.mark.parametrize("raw, refused", [
    ("?*?*?*", True), ("*a*", True), ("a*", True), ("??*", True),  # (every word of the index: seconds)
    ("*", False), ("pe*", False), ("pe?ce", False), ("body_en:elec*", False), ("peace~2", False),
])
def test_a_raw_pattern_needs_letters_before_its_wildcard(search_index, raw, refused):
    from search.errors import QueryError

    if refused:
        with pytest.raises(QueryError, match="needs at least 2 letters before its first"):
            search_index.search(raw, raw=True)
    else:
        assert search_index.search(raw, raw=True).total > 0
