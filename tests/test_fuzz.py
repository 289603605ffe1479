"""Fuzzed input: arbitrary query strings and parameters, to the library and to the API.

Properties: nothing but the documented exceptions ever escapes the library;
the API always answers 200 or 400 (or 404 for a document) with valid JSON,
never a 5xx; every piece of HTML it produces is escaped text with <mark> as
the only markup. Pathological queries return within a bound or are refused
with a message.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import signal
import time
import urllib.parse
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from search.errors import QueryError
from search.results import SORTS, Filters

API_PARAMS = ["q", "page", "per_page", "sort", "lang", "year", "number", "number_min", "number_max",
              "mentioned_year", "date_from", "date_to", "raw"]

# --- strategies ------------------------------------------------------------------------------------

WORDS = ["выборы", "выборов", "резолюция", "resolution", "Azerbaijan", "elections", "occupied",
         "territories", "climate", "ёлка", "Ёлки", "the", "и", "не", "2020", "822", "064/20",
         "Нагорно-Карабахский", "Armenia’s", "ceasefire", "referendum", "Kazbegi"]
SYNTAX = ['"', "«", "»", "“", "(", ")", "[", "]", "{", "}", "*", "**", "~", "~1", "~2", "~9", "-", "+",
          "^2", ":", "OR", "AND", "NOT", "or", "TO", "\\", "'", "/", "&", "|", "!", "?", "&&", "||"]
FIELDS = ["title", "lang", "language", "year", "date", "number", "num", "mentioned", "no", "docno",
          "body_en", "body_ru", "id", "foo", "TITLE", "Title", ""]
DATES = ["2020", "2020-03", "2020-03-31", "2020-02-30", "2020-13", "0000-01-01", "9999-12-31",
         "10000-01-01", "2020-3-1", "31.03.2020", "*", "", "-1"]
NUMBERS = st.one_of(st.integers(-10, 10**4), st.integers(-10**30, 10**30)).map(str)

unicode_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),  # lone surrogates cannot be sent
    max_size=40,
)
value = st.one_of(st.sampled_from(WORDS), st.sampled_from(DATES), NUMBERS, unicode_text)
range_atom = st.builds(
    lambda lo, hi, o, c: f"{o}{lo} TO {hi}{c}",
    st.one_of(st.sampled_from(DATES), NUMBERS), st.one_of(st.sampled_from(DATES), NUMBERS),
    st.sampled_from("[{"), st.sampled_from("]}"),
)
atom = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(SYNTAX),
    st.builds(lambda f, v: f"{f}:{v}", st.sampled_from(FIELDS), st.one_of(value, range_atom)),
    st.builds(lambda w, s: w[: max(len(w) // 2, 1)] + s, st.sampled_from(WORDS), st.sampled_from(["*", "?", "~", "~1", "~3"])),
    range_atom,
    unicode_text,
    st.sampled_from(["😀", "👍🏽", "\u0301", "\u200b", "\u00ad", "\x00", "\x1b[31m", "\r\n", "\t", "\ufeff",
                     "ﷺ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "İ", "ß", "ǅ", "\u202e", "<script>", "&amp;", "%00", "%s"]),
)
joiner = st.sampled_from([" ", "", "  ", " OR ", " AND ", " NOT ", " -", "(", ")", '"'])
structured = st.lists(st.tuples(atom, joiner), max_size=14).map(lambda xs: "".join(a + j for a, j in xs))
query_text = st.one_of(
    structured,
    unicode_text,
    st.text(max_size=300),
    # Long chains of NOT (over 300) are the many-nots case of the pathological queries.
    st.builds(lambda a, n: a * n, st.sampled_from(["(", ")", '"', "NOT ", "a OR ", "- ", "~", "*"]), st.integers(1, 200)),
)

years = st.integers(1, 9999)
dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
filters = st.builds(
    Filters,
    years=st.lists(years, max_size=3).map(tuple),
    numbers=st.lists(st.integers(0, 10**15), max_size=3).map(tuple),
    mentioned_years=st.lists(years, max_size=2).map(tuple),
    langs=st.lists(st.sampled_from(["en", "ru"]), max_size=2, unique=True).map(tuple),
    date_from=st.none() | dates,
    date_to=st.none() | dates,
    number_min=st.none() | st.integers(0, 10**15),
    number_max=st.none() | st.integers(0, 10**15),
)

garbage = st.one_of(
    unicode_text,
    st.sampled_from(["", " ", "0", "-1", "1", "2", "100", "101", "1e3", "0x10", "1_000", "١٢", "²", "+5",
                     " 7 ", "NaN", "inf", "9" * 5000, "2020-01-01", "2020-02-30", "20200101", "2020-W01-1",
                     "relevance", "-date", "date", "score", "en", "ru", "EN", "fr", "true", "on", "yes",
                     "\x00", "%", "&", "=", "#", "../../etc/passwd", '"><script>alert(1)</script>']),
    NUMBERS,
)


def param_value(name: str):
    valid = {
        "q": query_text,
        "page": st.integers(1, 5).map(str),
        "per_page": st.sampled_from(["1", "3", "5", "10"]),
        "sort": st.sampled_from(SORTS),
        "lang": st.sampled_from(["en", "ru"]),
        "year": st.integers(1990, 2022).map(str),
        "number": st.sampled_from(["822", "853", "1993", "2030", "0"]),
        "number_min": st.integers(0, 3000).map(str),
        "number_max": st.integers(0, 10**6).map(str),
        "mentioned_year": st.integers(1900, 2030).map(str),
        "date_from": dates.map(dt.date.isoformat),
        "date_to": dates.map(dt.date.isoformat),
        "raw": st.sampled_from(["1", "0", "true", ""]),
    }.get(name, unicode_text)
    return st.one_of(valid, valid, garbage)  # mostly sensible values, often garbage


param = st.sampled_from(API_PARAMS + ["x", "q[]", "", "Q", "page "]).flatmap(
    lambda name: st.tuples(st.just(name), param_value(name)))
params = st.lists(param, max_size=8)
# Raw bytes in a query string: invalid percent-encodings and invalid UTF-8.
raw_query_string = st.lists(
    st.tuples(st.sampled_from(API_PARAMS), st.binary(max_size=30)), max_size=5,
).map(lambda pairs: "&".join(f"{k}={urllib.parse.quote_from_bytes(v, safe='%&=+')}" for k, v in pairs))

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FAST_CLIENT = settings(max_examples=120, deadline=None,
                       suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# --- checks ----------------------------------------------------------------------------------------

MARKUP = re.compile(r"</?mark>")


def only_marks(html: str) -> bool:
    """Escaped text, with <mark> and </mark> as the only tags."""
    return "<" not in MARKUP.sub("", html) and ">" not in MARKUP.sub("", html)


def check_result(result, per_page: int, page: int) -> None:
    assert result.total >= 0
    assert len(result.hits) == max(0, min(per_page, result.total - (page - 1) * per_page))
    for hit in result.hits:
        assert only_marks(hit.title_html), hit.title_html
        for snippet in hit.snippets:
            assert only_marks(snippet.html), snippet.html
    json.dumps(result.as_dict(), ensure_ascii=False)


# --- the library -----------------------------------------------------------------------------------


@FAST
@given(q=query_text, filters=filters, sort=st.sampled_from(SORTS), page=st.integers(1, 3),
       per_page=st.sampled_from([1, 3, 10]))
@example(q='"unbalanced (brackets', filters=Filters(), sort="relevance", page=1, per_page=10)
@example(q="title: NOT ( OR ) [2020 TO", filters=Filters(years=(2019,)), sort="-date", page=1, per_page=1)
@example(q="number:[99999999999999999999 TO *]", filters=Filters(), sort="relevance", page=1, per_page=3)
@example(q="date:[2021-01-01 TO 2020-01-01]", filters=Filters(date_from=dt.date(2021, 1, 1),
         date_to=dt.date(2020, 1, 1)), sort="date", page=2, per_page=3)
def test_library_never_raises_on_user_text(search_index, q, filters, sort, page, per_page):
    result = search_index.search(q, filters=filters, sort=sort, page=page, per_page=per_page)
    check_result(result, per_page, page)
    if not filters:
        assert search_index.count(q) == result.total


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(q=query_text, sort=st.sampled_from(SORTS))
@example(q="YEAR:4294967296 ", sort="relevance")  # (once beyond the year field's 32 bits: a crash)
@example(q="YEAR:[ TO ] ", sort="relevance")  # (once a range without ends: a crash)
def test_export_lists_every_match_once(search_index, q, sort):
    result = search_index.search(q, sort=sort, per_page=1, with_snippets=False)
    ids = [hit.id for hit in search_index.hits(q, sort=sort)]
    assert len(ids) == len(set(ids)) == result.total


@FAST
@given(q=query_text, page=st.integers(1, 2), per_page=st.sampled_from([1, 10]))
@example(q="()", page=1, per_page=10)
@example(q="(" * 1000 + "x", page=1, per_page=10)
@example(q="body_en:[a TO", page=1, per_page=10)
def test_raw_mode_raises_only_query_errors(search_index, q, page, per_page):
    assume(q.strip("* ") or not q.strip())  # a lone * is slow: see test_raw_match_all_costs_no_more
    try:
        result = search_index.search(q, raw=True, page=page, per_page=per_page)
    except QueryError as err:
        assert str(err)
    else:
        check_result(result, per_page, page)


@settings(max_examples=40, deadline=None)
@given(page=st.integers(-10**6, 10**6), per_page=st.integers(-10**6, 10**6), sort=st.text(max_size=8))
def test_bad_paging_and_sorting_raise_value_error(search_index, page, per_page, sort):
    assume(not (page >= 1 and 1 <= per_page <= 100 and sort in SORTS))
    with pytest.raises(ValueError):
        search_index.search("resolution", page=page, per_page=per_page, sort=sort)


@FAST
@given(doc_id=st.one_of(unicode_text, st.sampled_from(
    ["", "/", "..", "../../etc/passwd", "seed/../seed/000_2961365e15364d64.txt", "tests/records.jsonl#",
     "tests/records.jsonl#r1#r1", "\x00", "SEED/000_2961365E15364D64.TXT"])), q=query_text)
def test_documents_by_any_id(search_index, doc_id, q):
    doc = search_index.document(doc_id, query=q)
    assert doc is None or doc.id == doc_id
    if doc is not None:
        assert all(only_marks(p) for s in doc.sections for p in s.paragraphs_html)


# --- the API -------------------------------------------------------------------------------------------


def check_api_response(response, where: str) -> dict:
    assert response.status_code in (200, 400), f"{where}: {response.status_code} {response.data[:300]!r}"
    assert response.mimetype == "application/json", where
    body = json.loads(response.data)
    if response.status_code == 400:
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
        assert body["error"]["code"] in ("invalid_parameter", "invalid_query", "bad_request"), body
        assert isinstance(body["error"]["message"], str) and body["error"]["message"], body
    else:
        for key in ("query", "total", "page", "per_page", "hits", "facets", "suggestion", "notices", "links"):
            assert key in body, key
        for hit in body["hits"]:
            assert only_marks(hit["title_html"]) if "title_html" in hit else True
            assert all(only_marks(s["html"]) for s in hit["snippets"])
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    return body


@FAST_CLIENT
@given(query=params)
@example(query=[("q", "x" * 2001)])
@example(query=[("q", "выборы"), ("year", "2020"), ("year", "x")])
@example(query=[("page", "9" * 5000)])
@example(query=[("date_from", "2020-02-30"), ("raw", "1"), ("q", "(")])
@example(query=[("per_page", "100"), ("page", "1000000"), ("q", "")])
@example(query=[("number_min", "5"), ("number_max", "1")])
def test_api_search_answers_200_or_400_json(client, query):
    check_api_response(client.get("/api/search", query_string=query), str(query))


@FAST_CLIENT
@given(query=raw_query_string)
@example(query="q=%FF%FE%00&page=%C0%AF")
@example(query="q=%&page=%%31")
def test_api_search_survives_undecodable_query_strings(client, query):
    check_api_response(client.get("/api/search?" + query), query)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(query=params)
def test_pages_and_csv_answer_200_or_400(client, query):
    page = client.get("/", query_string=query)
    assert page.status_code in (200, 400), (query, page.status_code)
    assert page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "Traceback" not in html and "<script>alert" not in html
    csv = client.get("/api/search.csv", query_string=query)
    assert csv.status_code in (200, 400), (query, csv.status_code)
    if csv.status_code == 400:
        check_api_response(csv, str(query))
    else:
        assert csv.mimetype == "text/csv"
        csv.get_data()  # the whole stream, which runs the export to its end


@FAST_CLIENT
@given(doc_id=st.one_of(unicode_text.map(lambda s: urllib.parse.quote(s, safe="/")),
                        st.binary(max_size=30).map(lambda b: urllib.parse.quote_from_bytes(b, safe="/%"))))
@example(doc_id="..%2F..%2Fetc%2Fpasswd")
@example(doc_id="%2e%2e/%2e%2e/etc/passwd")
@example(doc_id="%252e%252e%252fetc%252fpasswd")
@example(doc_id="%00")
@example(doc_id="%C0%AE%C0%AE/%C0%AE%C0%AE/etc/passwd")
def test_documents_answer_200_or_404(client, doc_id):
    api = client.get(f"/api/documents/{doc_id}")
    assert api.status_code in (200, 404), (doc_id, api.status_code)
    assert api.mimetype == "application/json"
    body = json.loads(api.data)
    assert "error" in body if api.status_code == 404 else "sections" in body
    page = client.get(f"/doc/{doc_id}")
    assert page.status_code in (200, 404), (doc_id, page.status_code)
    assert "root:x:0:0" not in page.get_data(as_text=True)


# --- pathological queries --------------------------------------------------------------------------

BOUND = 5.0  # seconds a single search may take on the test index


class TooSlow(BaseException):
    """Raised into a search that runs past the bound (not an Exception: Flask must not catch it)."""


@contextmanager
def bounded(seconds: float):
    """Interrupts the block after `seconds` with TooSlow; keeps pytest-timeout's own alarm."""

    def interrupt(signum, frame):
        raise TooSlow

    previous = signal.signal(signal.SIGALRM, interrupt)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.01))


PATHOLOGICAL = [
    pytest.param("*a*a*a*", "", id="wildcards"),
    pytest.param("*a*a*a*", "1", id="raw-wildcards"),
    pytest.param("a*b*c*d*e*f*g*h*", "1", id="raw-many-wildcards"),
    pytest.param(" ".join(f"w{i}" for i in range(400)), "", id="400-terms"),
    pytest.param(" OR ".join(["resolution", "выборы"] * 80), "", id="160-alternatives"),
    pytest.param(" ".join(f"w{i}" for i in range(400)), "1", id="raw-400-terms"),
    pytest.param("(" * 1000 + "x" + ")" * 999, "", id="deep-brackets"),
    pytest.param("(" * 1000 + "x" + ")" * 999, "1", id="raw-deep-brackets"),
    pytest.param("NOT " * 499 + "x", "", id="many-nots"),
    pytest.param("(NOT " * 399 + "x", "", id="bracketed-nots"),
    pytest.param("NOT " * 499 + "x", "1", id="raw-many-nots"),
    pytest.param('"' + "the " * 499 + '"', "", id="long-phrase"),
    pytest.param("number:[0 TO 99999999999999999999] " * 50, "", id="wide-ranges"),
    pytest.param("x" * 2000, "", id="one-long-word"),
    pytest.param("x~2 " * 500, "1", id="raw-fuzzy"),
]


@pytest.mark.parametrize("q, raw", PATHOLOGICAL)
def test_pathological_queries_are_bounded_or_refused(client, q, raw):
    client.get("/api/search?q=warm")  # open the index outside the bound
    assert len(q) <= 2000
    started = time.monotonic()
    try:
        with bounded(BOUND):
            response = client.get("/api/search", query_string={"q": q, "raw": raw, "per_page": "10"})
    except TooSlow:
        pytest.fail(f"still searching after {BOUND:.0f} s")
    elapsed = time.monotonic() - started
    body = check_api_response(response, q[:40])
    if response.status_code == 400:
        assert body["error"]["message"]
    assert elapsed < BOUND


def timed(client, q: str, raw: str = "") -> float:
    """Seconds one API search takes; TooSlow past the bound."""
    started = time.monotonic()
    with bounded(BOUND):
        response = client.get("/api/search", query_string={"q": q, "raw": raw, "per_page": "10"})
    check_api_response(response, q[:40])
    return time.monotonic() - started


@pytest.mark.parametrize("word", ["de*", "elction~"])
def test_repeating_a_clause_does_not_multiply_the_cost(client, word):
    """Machine-independent: a query that repeats one word to the length limit may cost a
    few times the word alone, not a hundred times."""
    once = min(timed(client, word) for _ in range(3))
    repeated = timed(client, " ".join([word] * (2000 // (len(word) + 1))))
    assert repeated < 5 * once + 0.5, f"{word}: {once:.2f} s once, {repeated:.2f} s repeated"


def test_raw_match_all_costs_no_more_than_browsing(client):
    browse = min(timed(client, "") for _ in range(3))
    star = timed(client, "*", raw="1")
    assert star < 20 * browse + 0.2, f"raw * took {star:.2f} s, browsing everything {browse:.3f} s"
