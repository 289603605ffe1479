"""The trend view: counts and shares per period against a brute-force count
over the matching statements, the period chosen, splits, the CSV and HTML
twins, and the 400s of bad parameters."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from search.results import Filters

COLLECTION = "collection"


def period_key(date: str | None, period: str) -> str | None:
    """A statement's period from its ISO date (or year alone), as a person would
    work it out; None when the date is not that precise."""
    if not date:
        return None
    if len(date) == 4:
        return date if period == "year" else None
    day = dt.date.fromisoformat(date)
    if period == "year":
        return f"{day.year:04d}"
    if period == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if period == "week":
        iso = day.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    return day.isoformat()


def brute(search_index, query: str, filters: Filters, period: str):
    """(counts per period key, how many found, how many undated) from every hit."""
    dates = [hit.date for hit in search_index.hits(query, filters)]
    keys = Counter(k for k in (period_key(d, period) for d in dates) if k)
    return keys, len(dates), sum(1 for d in dates if not d)


def assert_matches_brute(search_index, trend):
    keys = [p.key for p in trend.periods]
    assert keys == sorted(set(keys), key=keys.index), "each period once"
    for series in trend.series:
        counts, found, undated = brute(search_index, series.query, series.filters, trend.period)
        totals, _, _ = brute(search_index, "", series.filters, trend.period)
        got = {k: c for k, c in zip(keys, series.counts) if c}
        assert got == dict(counts), series.label
        assert series.matched == found and series.undated == undated
        assert series.placed + series.undated + series.imprecise == series.matched
        # The share's denominator: every statement of the period the series' filters admit.
        assert {k: t for k, t in zip(keys, series.totals) if t} == {
            k: t for k, t in totals.items() if k in keys}
        for c, t, s in zip(series.counts, series.totals, series.shares):
            assert s == (round(c / t, 6) if t else None)


CASES = [
    # queries, filters, split, period asked, period expected
    (["выборы"], Filters(), None, "auto", "month"),
    # («Москва» is a Ukrainian word too: the addresses of 2022 widen the span to years)
    (["выборы", "Москва", "мэр"], Filters(), None, "auto", "year"),
    (["climate", "development"], Filters(), None, "auto", "year"),  # UN speeches: dated by year
    (["выборы"], Filters(date_from=dt.date(2018, 1, 1), date_to=dt.date(2018, 3, 31)), None, "auto", "week"),
    (["выборы"], Filters(date_from=dt.date(2018, 3, 1), date_to=dt.date(2018, 3, 31)), None, "auto", "day"),
    (["выборы"], Filters(), None, "week", "week"),
    (["выборы"], Filters(), None, "day", "day"),
    (["development"], Filters(), None, "month", "month"),  # year-only dates: imprecise by month
    (["выборы OR elections"], Filters(), "language", "year", "year"),
    (["development"], Filters(), "collection", "auto", "year"),
    ([""], Filters(langs=("ru",)), None, "month", "month"),
    (["resolution"], Filters(years=(2019, 2020)), "collection", "year", "year"),
]


@pytest.mark.parametrize("queries, filters, split, asked, expected", CASES)
def test_counts_equal_a_brute_force_count(search_index, queries, filters, split, asked, expected):
    trend = search_index.trend(queries, filters, split=split, period=asked)
    assert trend.period == expected
    assert trend.series, "something to chart"
    assert_matches_brute(search_index, trend)


def test_periods_are_contiguous_and_cover_the_matches(search_index):
    trend = search_index.trend(["выборы"], period="month")
    for a, b in zip(trend.periods, trend.periods[1:]):
        assert b.start == a.end + dt.timedelta(days=1)
    series = trend.series[0]
    assert series.counts[0] and series.counts[-1], "the range is that of the matches"
    week = search_index.trend(["выборы"], period="week").periods
    assert all(p.start.weekday() == 0 and (p.end - p.start).days == 6 for p in week)


def test_date_filter_sets_the_range(search_index):
    filters = Filters(date_from=dt.date(2017, 1, 1), date_to=dt.date(2019, 12, 31))
    trend = search_index.trend(["выборы"], filters, period="year")
    assert [p.key for p in trend.periods] == ["2017", "2018", "2019"]


def test_a_date_range_far_wider_than_the_statements_charts_their_dates(client, search_index):
    answer = client.get("/api/trend?q=выборы&date_from=0001-01-01&date_to=9999-12-31&period=year")
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    years = [p["period"] for p in body["series"][0]["points"]]
    found = search_index.trend(["выборы"], Filters(), period="year")
    assert years == [p.key for p in found.periods] and len(years) < 100
    assert any("span more than 2,000 years" in n for n in body["notices"])


def test_split_by_language_and_collection(search_index):
    by_lang = search_index.trend(["выборы OR elections"], split="language", period="year")
    assert {s.split_value for s in by_lang.series} == {"en", "ru", "uk"}  # (each language the corpus has)
    assert all(s.filters.langs == (s.split_value,) for s in by_lang.series)
    by_coll = search_index.trend(["development"], split="collection")
    values = [s.split_value for s in by_coll.series]
    assert "UN General Debate" in values
    matched = [s.matched for s in by_coll.series]
    assert matched == sorted(matched, reverse=True), "the most matched collections first"
    assert all(dict(s.filters.declared)[COLLECTION] == (s.split_value,) for s in by_coll.series)


def test_undated_statements_are_reported(search_index):
    trend = search_index.trend([""], period="year")
    series = trend.series[0]
    dated = sum(1 for h in search_index.hits("") if h.date)
    assert series.placed == dated
    assert series.undated == series.matched - dated > 0  # the test corpus has undated statements


@pytest.mark.parametrize("query, expected", [
    ("q=a&q=b&q=c&q=d&q=e&q=f", ("q", "at most 5")),
    ("q=a&period=hour", ("period", "'hour' is not one of auto, year, month, week, day")),
    ("q=a&split=country", ("split", "'country' is not one of language, collection")),
    ("q=a&q=b&split=language", ("split", "splits one query")),
    ("q=a&view=pie", ("view", "'pie' is not one of share, count")),
    ("q=a&period=day&date_from=1900-01-01&date_to=2020-12-31", ("period", "the limit is 2,000")),
    ("q=a&q=" + "x" * 2001, ("q", "the limit is 2,000")),
])
@pytest.mark.parametrize("path", ["/api/trend", "/api/trend.csv", "/trend", "/trend.svg"])
def test_bad_parameters_are_400s(client, path, query, expected):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    name, says = expected
    if path.startswith("/api"):
        error = response.get_json()["error"]
        assert error["code"] == "invalid_parameter"
        assert error["message"].startswith(f"{name}: ") and says in error["message"]
    else:
        assert says in response.get_data(as_text=True).replace("&#39;", "'")


@pytest.mark.parametrize("bad", ["year=abc", "date_from=2020-13-01", "lang=xx", "date_from=2021-01-01&date_to=2020-01-01"])
def test_bad_filters_get_the_searchs_own_400(client, bad):
    mine = client.get(f"/api/trend?q=a&{bad}")
    search = client.get(f"/api/search?q=a&{bad}")
    assert mine.status_code == search.status_code == 400
    assert mine.get_json() == search.get_json()


def test_json_twin(client, search_index):
    body = client.get("/api/trend?q=выборы&q=Москва&lang=ru").get_json()
    trend = search_index.trend(["выборы", "Москва"], Filters(langs=("ru",)))
    assert body["period"] == trend.period and body["view"] == "share"
    assert [p["key"] for p in body["periods"]] == [p.key for p in trend.periods]
    assert len(body["series"]) == len(trend.series) == 2
    for got, series in zip(body["series"], trend.series):
        assert [p["count"] for p in got["points"]] == series.counts
        assert [p["total"] for p in got["points"]] == series.totals
    assert body["links"]["html"].endswith("/trend?q=%D0%B2%D1%8B%D0%B1%D0%BE%D1%80%D1%8B&q=%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0&lang=ru")


def test_a_points_link_is_the_search_of_its_period(client):
    """The search a point opens finds the point's statements (no statement here is
    dated by its year alone, which a date-range search would add)."""
    body = client.get("/api/trend?q=выборы&period=month").get_json()
    checked = 0
    for point in body["series"][0]["points"]:
        url = urlsplit(point["url"])
        args = parse_qs(url.query)
        period = next(p for p in body["periods"] if p["key"] == point["period"])
        assert url.path == "/" and args["q"] == ["выборы"]
        assert args["date_from"] == [period["start"]] and args["date_to"] == [period["end"]]
        if point["count"]:
            total = client.get("/api/search?" + url.query).get_json()["total"]
            assert total == point["count"], point
            checked += 1
    assert checked > 5


def test_csv_round_trip(client):
    args = "q=development&split=collection&period=year"
    body = client.get(f"/api/trend?{args}").get_json()
    response = client.get(f"/api/trend.csv?{args}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    expected = [
        {"series": s["label"], "query": s["query"], "split_value": s["value"] or "",
         "period": p["period"], "start": period["start"], "end": period["end"],
         "count": str(p["count"]), "total": str(p["total"]),
         "share": "" if p["share"] is None else str(p["share"])}
        for s in body["series"] for p, period in zip(s["points"], body["periods"])
    ]
    assert rows == expected and rows


class _Table(HTMLParser):
    """The count cells of the trend page's table: {(series, period key): count}."""

    def __init__(self):
        super().__init__()
        self.cells, self.period, self.cell = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-period" in attrs:
            self.period = attrs["data-period"]
        if tag == "td" and "matches" in (attrs.get("class") or "").split():
            self.cell = (int(attrs["data-series"]), self.period)
            self.cells[self.cell] = ""

    def handle_endtag(self, tag):
        if tag == "td":
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cells[self.cell] += data


@pytest.mark.parametrize("args", ["q=выборы&q=Москва", "q=development&split=collection",
                                  "q=выборы&view=count&period=week"])
def test_html_twin_agrees_with_json(client, args):
    body = client.get(f"/api/trend?{args}").get_json()
    page = client.get(f"/trend?{args}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    table = _Table()
    table.feed(html)
    expected = {(s, p["period"]): p["count"] for s, series in enumerate(body["series"])
                for p in series["points"]}
    assert {k: int(v.replace(",", "")) for k, v in table.cells.items()} == expected
    # One chart for wide screens and one for narrow, each with a link per bar or point.
    assert html.count('class="trend-chart wide"') == 1 and html.count('class="trend-chart narrow"') == 1
    assert 'href="/api/trend?' in html and 'href="/api/trend.csv?' in html


def test_chart_escapes_every_text(client):
    hostile = '<script>alert(1)</script>"&'
    for path in ("/trend", "/trend.svg"):
        response = client.get(path, query_string={"q": [hostile, "x"]})
        text = response.get_data(as_text=True)
        assert response.status_code == 200 and "<script>alert" not in text
        assert "&lt;script&gt;" in text or "&#60;script&#62;" in text  # (the query itself is shown, escaped)
    svg = client.get("/trend.svg?q=выборы&size=small")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    from xml.etree import ElementTree as ET

    root = ET.fromstring(svg.data)  # well-formed XML, as an <img> needs
    assert root.tag.endswith("svg")
    assert client.get("/trend.svg?q=выборы&size=huge").status_code == 400


def test_search_page_shows_the_small_chart_linked_to_the_trend(client):
    html = client.get("/?q=выборы&lang=ru&sort=-date").get_data(as_text=True)
    link = re.search(r'<a class="trend-thumb" href="([^"]+)"><img src="([^"]+)"', html)
    assert link, "the small chart is on the search page"
    href, src = (s.replace("&amp;", "&") for s in link.groups())
    assert href == "/trend?q=%D0%B2%D1%8B%D0%B1%D0%BE%D1%80%D1%8B&lang=ru"  # the query and filters, not the order
    assert src.startswith("/trend.svg?") and "size=small" in src
    assert client.get(src).status_code == 200
    trend_page = client.get(href).get_data(as_text=True)
    assert 'href="/?q=%D0%B2%D1%8B%D0%B1%D0%BE%D1%80%D1%8B&amp;autocorrect=0&amp;lang=ru"' in trend_page, "and back"


def test_api_lists_the_trend(client):
    body = client.get("/api").get_json()
    assert "/api/trend?" in body["trend"] and "/api/trend.csv?" in body["trend_csv"]


@pytest.mark.parametrize("n, period, key, start, end", [
    (2020, "year", "2020", "2020-01-01", "2020-12-31"),
    (2020 * 12 + 1, "month", "2020-02", "2020-02-01", "2020-02-29"),
    (2020 * 12 + 11, "month", "2020-12", "2020-12-01", "2020-12-31"),
    (9999 * 12 + 11, "month", "9999-12", "9999-12-01", "9999-12-31"),
])
def test_periods_by_number(n, period, key, start, end):
    from search.views.trend import period_of

    p = period_of(n, period)
    assert (p.key, p.start.isoformat(), p.end.isoformat()) == (key, start, end)


@pytest.mark.parametrize("day, week_key, monday", [
    ("2019-12-31", "2020-W01", "2019-12-30"),  # an ISO week that starts in the year before
    ("2021-01-03", "2020-W53", "2020-12-28"),
    ("1969-12-31", "1970-W01", "1969-12-29"),  # before the epoch the numbers are negative
    ("2020-03-16", "2020-W12", "2020-03-16"),
])
def test_weeks_start_on_monday(day, week_key, monday):
    from search.views.trend import date_number, period_of

    p = period_of(date_number(dt.date.fromisoformat(day), "week"), "week")
    assert (p.key, p.start.isoformat()) == (week_key, monday)
    assert period_of(date_number(dt.date.fromisoformat(day), "day"), "day").key == day


@pytest.mark.parametrize("top, wanted, ticks", [
    (0, 5, [0, 1]),
    (100, 5, [0, 20, 40, 60, 80, 100]),
    (37, 5, [0, 10, 20, 30, 40]),
    (3.2, 4, [0, 1, 2, 3, 4]),
    (0.9, 4, [0, 0.25, 0.5, 0.75, 1.0]),
])
def test_chart_ticks_are_round(top, wanted, ticks):
    from webui.chart import nice_ticks, tick_text

    got, step = nice_ticks(top, wanted)
    assert got == pytest.approx(ticks) and got[-1] >= top
    assert tick_text(0.25, 0.25, "share") == "0.25%" and tick_text(1200, 200, "count") == "1,200"


def test_chart_has_a_link_per_bar_and_escapes_labels(client):
    body = client.get("/api/trend?q=выборы&q=Москва&period=year").get_json()
    html = client.get("/trend?q=выборы&q=Москва&period=year").get_data(as_text=True)
    wide = html[html.index('class="trend-chart wide"'):html.index('class="trend-chart narrow"')]
    assert wide.count('class="point"') == len(body["periods"]) * len(body["series"])
    svg = client.get("/trend.svg?q=" + "%3Cb%3E%26x").get_data(as_text=True)
    assert "&lt;b&gt;&amp;x" in svg and "<b>" not in svg


def test_names_exact_counts_only_the_language_typed(search_index):
    exact = Filters(exact_names=True)  # (a Filters with only this set is falsy: it must not be lost)
    across = search_index.trend(["Germany"], period="year").series[0].matched
    only = search_index.trend(["Germany"], exact, period="year").series[0].matched
    assert only == search_index.count("Germany", exact) < across == search_index.count("Germany")


def test_chips_duplicates_and_links_read_as_the_search_does(client):
    page = client.get("/trend?q=Germany&mentions=AZ").get_data(as_text=True)
    assert "Azerbaijan" in page  # the chip names the country, as the search page's does
    # The same query twice is one query: it may be split.
    assert client.get("/api/trend?q=выборы&q=выборы&split=language").status_code == 200
    body = client.get("/api/trend?q=выбары").get_json()  # counted as typed: so is the search a link opens
    links = [s["url"] for s in body["series"]] + [p["url"] for s in body["series"] for p in s["points"]]
    assert links and all("autocorrect=0" in url for url in links), links[:2]
