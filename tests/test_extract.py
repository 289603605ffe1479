"""Metadata extraction, table-driven, in both languages."""

import datetime as dt
from pathlib import Path

import pytest

from indexer.extract import (
    date_from_name,
    extract,
    find_dates,
    find_numbers,
    language_sections,
    parse_date,
)

SEED = Path(__file__).resolve().parent.parent / "corpus" / "seed" / "000_2961365e15364d64.txt"
D = dt.date


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Press release 31 March 2020", D(2020, 3, 31)),
        ("Issued on March 31, 2020.", D(2020, 3, 31)),
        ("Sept. 5, 2019", D(2019, 9, 5)),
        ("31 марта 2020 года", D(2020, 3, 31)),
        ("12-го декабря 1993 г.", D(1993, 12, 12)),
        ("1 января 2021", D(2021, 1, 1)),
        ("31.03.2020", D(2020, 3, 31)),
        ("2020-03-31", D(2020, 3, 31)),
    ],
)
def test_dates_in_text(text, expected):
    assert [f.date for f in find_dates(text)] == [expected]


@pytest.mark.parametrize("text", ["31 February 2020", "32 March 2020", "1975 and 1993", "2020-13-01", "99.99.2020"])
def test_not_dates(text):
    assert find_dates(text) == []


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2020-03-31", (D(2020, 3, 31), 2020)),
        ("2020-03-31T09:00:00+03:00", (D(2020, 3, 31), 2020)),
        ("31 марта 2020 года", (D(2020, 3, 31), 2020)),
        ("March 2020", (None, 2020)),
        ("2020-03", (None, 2020)),
        ("2020", (None, 2020)),
    ],
)
def test_given_dates(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["yesterday", "2020-02-30", "31/03/2020 maybe"])
def test_given_dates_rejected_with_the_fix(value):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_date(value)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("AZE_74_2019.txt", (None, 2019)),
        ("2016-11-07-Липы за 200 тысяч.txt", (D(2016, 11, 7), 2016)),
        ("statement.txt", (None, None)),
    ],
)
def test_dates_in_file_names(name, expected):
    assert date_from_name(name) == expected


@pytest.mark.parametrize(
    "text, numbers, years",
    [
        ("resolutions 822 (1993), 853 (1993)", [822, 853, 1993], [1993]),
        ("1 000 человек и 1,000 people", [1000], []),
        ("12 345 678 votes", [12345678], []),
        ("1,6 миллиарда рублей и 3.5 процента", [], []),  # decimals are not integers
        ("COVID-19 and A/RES/74/123", [74, 123], []),
        ("resolution 1973 (2011)", [1973, 2011], [2011]),  # 1973 is a resolution here
        ("резолюции 2254 и Хельсинкский акт 1975 года", [1975, 2254], [1975]),
        ("on 31 March 2020 and in 1975", [1975, 2020], [1975, 2020]),  # the day is no number
    ],
)
def test_numbers_mentioned(text, numbers, years):
    assert find_numbers(text) == (numbers, years)


@pytest.mark.parametrize(
    "text, numbers",
    [
        # the days of dates, with or without a year, are no numbers mentioned (corpus/ungdc/, corpus/meduza/)
        ("the Climate Action Summit, held yesterday, on 23 September, are implemented.", []),
        ("There are two dates on our calendar that exemplify this perfectly: 8 March, "
         "International Women’s Day, and LGBTI Pride Day.", []),
        ("Fifty-four years ago, on 21 September 1965, our founding father", [1965]),
        ("многотысячный митинг возле «Останкино», который состоялся 9 ноября.", []),
        ("Пресс-релиз 31 марта 2020 года", [2020]),
        ("9 сентября", []),
        ("9-10 сентября и 23–25 September", []),
        ("September 23 and Sept. 5", []),
        ("1-го сентября", []),
        # other numbers beside month names still count
        ("over 300 ballistic missiles and more than 400 armed drones", [300, 400]),
        ("30 countries met in September", [30]),
        ("we may 5 times", [5]),  # "may" the verb is no month
        ("resolution 822 (1993) of 30 April 1993", [822, 1993]),
    ],
)
def test_days_of_dates_are_no_numbers(text, numbers):
    assert find_numbers(text)[0] == numbers


def test_sections_by_script():
    text = "First English paragraph.\n\nSecond one.\n\nПервый русский абзац.\n\n1993\n\nЕщё один."
    assert language_sections(text) == [
        ("en", "First English paragraph.\n\nSecond one."),
        ("ru", "Первый русский абзац.\n\n1993\n\nЕщё один."),
    ]


def test_seed_statement():
    meta = extract(SEED.read_text(encoding="utf-8"), SEED.name)
    assert meta.title == "Statement by the Ministry of Foreign Affairs of the Republic of Azerbaijan"
    assert meta.date == D(2020, 3, 31)  # the header's, not 1975 or 1993 from the body
    assert meta.docno == "064/20"
    assert meta.languages == ["en", "ru"]
    assert {822, 853, 874, 884} <= set(meta.numbers)
    assert meta.mentioned_years == [1975, 1993, 2020]
    assert 64 not in meta.numbers and 20 not in meta.numbers  # the statement's own number
    assert meta.resolutions == ["S/RES/822 (1993)", "S/RES/853 (1993)", "S/RES/874 (1993)", "S/RES/884 (1993)"]


@pytest.mark.parametrize(
    "text, title, date, docno",
    [
        ("Заявление МИД\n\n№ 101/21\n\n19 сентября 2021 года\n\nТекст заявления.", "Заявление МИД", D(2021, 9, 19), "101/21"),
        ("March 31, 2020\n\nJoint statement on Syria\n\nBody text here.", "Joint statement on Syria", D(2020, 3, 31), None),
        ("# Briefing\n\nText.", "Briefing", None, None),
    ],
)
def test_headers(text, title, date, docno):
    meta = extract(text)
    assert (meta.title, meta.date, meta.docno) == (title, date, docno)


def test_body_date_is_not_the_statement_date():
    body = "x " * 150
    text = f"The Assembly met again.\n\n{body} On 1 May 1995 the treaty was signed."
    meta = extract(text, "speech.txt")
    assert meta.date is None and meta.year is None


def test_file_name_is_the_fallback_date():
    meta = extract("I congratulate the President on his election.", "AZE_74_2019.txt")
    assert (meta.date, meta.year) == (None, 2019)


def test_title_falls_back_to_the_opening_words():
    text = "I would like to begin by congratulating the President " * 5
    assert extract(text).title.endswith("…")
    assert len(extract(text).title) <= 101


@pytest.mark.parametrize("text, is_text", [
    ("Statement by the Ministry\n\n3 March 2020\n\nThe Ministry welcomes the talks.", False),
    ("The Ministry welcomes the talks.", True),  # the whole text: no heading above it
    ("3 March 2020\n\nThe Ministry welcomes the talks.\n", True),
    ("I would like to begin by congratulating the President " * 5, True),  # opening words
])
def test_a_title_that_is_the_text_itself_is_marked(text, is_text):
    """Such a title is shown but not indexed as a title (indexer/fields.py): its words would count twice."""
    assert extract(text).title_is_text is is_text
