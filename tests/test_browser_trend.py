"""The trend view in a real Chromium, against the real server: the chart shows
and fits at desktop and phone widths, its table says what the JSON says, a bar
opens the search of its period, and the search page's small chart leads here.
"""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import ARTIFACTS
from tests.fixtures_web import watch

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
QUERIES = "q=выборы&q=Москва"


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def api(server, args):
    url = server + "/api/trend?" + urllib.request.quote(args, safe="=&")
    with urllib.request.urlopen(url) as response:
        return json.load(response)


@pytest.fixture(params=sorted(WIDTHS))
def sized(request, browser):
    width, height = WIDTHS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height},
                                  is_mobile=request.param == "phone")
    page = context.new_page()
    watch(page)
    page.width_name = request.param
    yield page
    context.close()


def table_counts(page) -> dict:
    """{(series, period key): count} as the page's table shows them."""
    cells = page.eval_on_selector_all(
        ".trend-table td.matches",
        "tds => tds.map(td => [Number(td.dataset.series), td.closest('tr').dataset.period, td.textContent])")
    return {(s, p): int(text.strip().replace(",", "")) for s, p, text in cells}


@pytest.mark.parametrize("args", [QUERIES, "q=development&split=collection"])
def test_chart_fits_and_its_table_is_the_json(server, sized, args):
    page = sized
    page.goto(f"{server}/trend?{args}")
    width = page.viewport_size["width"]
    shown = ".chart-wide" if page.width_name == "desktop" else ".chart-narrow"
    hidden = ".chart-narrow" if page.width_name == "desktop" else ".chart-wide"
    chart = page.locator(f"{shown} svg.trend-chart")
    assert chart.is_visible() and not page.locator(f"{hidden} svg.trend-chart").is_visible()
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width and box["height"] > 150
    # Nothing makes the page wider than the screen (the table scrolls in its own box).
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The table's title is read whole at any width: it does not scroll away with the table.
    title = page.locator("#trend-table-title")
    title_box = title.bounding_box()
    assert title_box["x"] >= 0 and title_box["x"] + title_box["width"] <= width
    assert page.evaluate("el => el.scrollWidth <= el.clientWidth", title.element_handle())
    assert page.get_by_role("table", name=title.inner_text()).count() == 1
    body = api(server, args)
    assert page.locator(f"{shown} .legend-item").count() == len(body["series"]) > 1
    expected = {(s, p["period"]): p["count"] for s, series in enumerate(body["series"])
                for p in series["points"]}
    assert table_counts(page) == expected
    assert chart.locator("a.point").count() >= len(body["periods"])
    shot(page, f"trend-{'split' if 'split' in args else 'queries'}-{page.width_name}")
    assert page.problems == []


def test_a_bar_opens_the_search_of_its_period(server, page):
    page.goto(f"{server}/trend?q=выборы&period=year")
    body = api(server, "q=выборы&period=year")
    points = body["series"][0]["points"]
    p = max(range(len(points)), key=lambda i: points[i]["count"])
    period = body["periods"][p]
    bar = page.locator(".chart-wide a.point").nth(p)
    assert period["label"] in bar.locator("title").text_content()
    bar.click()
    page.wait_for_url("**/?q=*")
    args = parse_qs(urlsplit(page.url).query)
    assert args["q"] == ["выборы"]
    assert args["date_from"] == [period["start"]] and args["date_to"] == [period["end"]]
    assert page.locator("h1.summary").inner_text().startswith(f"{points[p]['count']} statement")
    assert page.problems == []


def test_search_page_small_chart_links_to_the_trend(server, sized):
    page = sized
    page.goto(f"{server}/?q=выборы&lang=ru")
    thumb = page.locator("a.trend-thumb img")
    assert thumb.is_visible()
    page.wait_for_function("document.querySelector('a.trend-thumb img').complete")
    assert page.evaluate("document.querySelector('a.trend-thumb img').naturalWidth") > 0, \
        "the chart image loads (and the Content-Security-Policy allows it)"
    box = thumb.bounding_box()
    assert box["x"] + box["width"] <= page.viewport_size["width"]
    shot(page, f"search-with-trend-{page.width_name}")
    thumb.click()
    page.wait_for_url("**/trend?*")
    args = parse_qs(urlsplit(page.url).query)
    assert args == {"q": ["выборы"], "lang": ["ru"]}
    assert page.locator("#q").input_value() == page.locator("#q-top").input_value() == "выборы"
    assert page.locator(".chips .chip", has_text="Russian").count() == 1
    assert page.problems == []


def test_form_compares_another_query(server, page):
    page.goto(f"{server}/trend?q=выборы&lang=ru")
    page.locator(".trend-form input[name=q]").nth(1).fill("Москва")
    with page.expect_navigation():  # (the URL already matches /trend?…: waiting for it would not wait)
        page.get_by_role("button", name="Draw").click()
    asked = parse_qs(urlsplit(page.url).query)
    assert asked["q"] == ["выборы", "Москва"] and asked["lang"] == ["ru"]  # the filters kept
    assert page.locator(".chart-wide .legend-item").count() == 2
    assert page.problems == []
