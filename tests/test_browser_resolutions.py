"""The resolutions-over-time page in a real Chromium, at desktop and phone widths,
against the real server; its table is checked against its JSON twin."""

from __future__ import annotations

import urllib.parse

import pytest

from tests.test_browser_research import api, no_horizontal_overflow, shot, sized  # noqa: F401  (sized: a fixture)

pytestmark = pytest.mark.browser


def test_resolutions_page(server, sized):  # noqa: F811
    page = sized
    page.goto(server + "/resolutions?q=Azerbaijan")
    body = api(server, "/api/resolutions", q="Azerbaijan")
    assert int(page.locator(".summary .total").get_attribute("data-total")) == body["total"]
    assert int(page.locator(".summary .matched").get_attribute("data-matched")) == body["matched"]
    assert int(page.locator(".summary .citing").get_attribute("data-citing")) == body["citing"]
    assert [int(y) for y in page.locator("table.rv-table thead th.year").evaluate_all(
        "hs => hs.map(h => h.dataset.year)")] == body["years"]
    rows = page.locator("tr.cited")
    assert rows.count() == len(body["resolutions"]) > 0
    for n, expected in enumerate(body["resolutions"]):
        row = rows.nth(n)
        assert row.get_attribute("data-symbol") == row.locator("a.symbol").inner_text() == expected["symbol"]
        assert row.locator("td.statements").inner_text() == f"{expected['statements']:,}"
        assert [int(c) for c in row.locator("td.year").all_inner_texts()] == expected["per_year"]
        assert int(row.locator("td.undated").inner_text()) == expected["undated"]
        assert row.locator("td.spark rect").count() == sum(1 for c in expected["per_year"] if c)
    # The resolution is readable on a phone too; the wide table scrolls in its box, not the page.
    first = rows.first.locator("a.symbol")
    assert first.is_visible() and first.bounding_box()["x"] + first.bounding_box()["width"] <= page.viewport_size["width"]
    assert no_horizontal_overflow(page)
    shot(page, f"resolutions-{page.width_name}")
    # A resolution leads to the statements citing it, the query kept.
    first.click()
    page.wait_for_url(lambda url: "/?q=" in url)  # (a glob's * stops at the symbol's slashes)
    assert page.locator("#q").input_value() == f'(Azerbaijan) cites:"{body["resolutions"][0]["symbol"]}"'
    found = api(server, "/api/search", **dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(page.url).query)))
    assert found["total"] == body["resolutions"][0]["statements"]
    assert page.problems == []


def test_a_statements_citation_leads_to_the_view(server, page):
    page.goto(server + "/doc/seed/000_2961365e15364d64.txt")
    page.locator("dd.resolutions a.over-time").first.click()
    page.wait_for_url(lambda url: "/resolutions?cites=" in url)
    assert page.locator("tr.cited").first.get_attribute("data-symbol") == "S/RES/822 (1993)"
