"""The compare page in a real Chromium, at desktop and phone widths, against the
real server; its sizes and key-term tables are checked against its JSON twin."""

from __future__ import annotations

import pytest

from tests.test_browser_research import api, no_horizontal_overflow, shot, sized  # noqa: F401  (sized: a fixture)

pytestmark = pytest.mark.browser
ARGS = {"split": "country", "values": "Republic of Armenia,Republic of Azerbaijan"}


def test_compare_page(server, sized):  # noqa: F811
    page = sized
    page.goto(server + "/compare?split=country&values=Republic%20of%20Armenia,Republic%20of%20Azerbaijan")
    body = api(server, "/api/compare", **ARGS)
    for side in body["sides"]:
        assert int(page.locator(f".side-size.{side['name']}").get_attribute("data-statements")) == side["statements"]
        for lang, terms in side["terms"].items():
            table = page.locator(f"table.kt-table[data-side={side['name']}][data-lang={lang}]")
            rows = table.locator("tbody tr")
            assert rows.count() == len(terms)
            cells = rows.first.locator("td").all_inner_texts()
            assert cells[:3] == [terms[0]["word"], f"{terms[0]['count']:,}", f"{terms[0]['other']:,}"]
    facet = page.locator("table.cmp-facet[data-facet=country] tbody tr")
    assert facet.count() == len(body["facets"]["country"])
    chart = page.locator(".chart-wide svg" if page.width_name == "desktop" else ".chart-narrow svg")
    assert chart.is_visible()
    assert no_horizontal_overflow(page)
    shot(page, f"compare-{page.width_name}")
    # A term leads to its set's concordance.
    page.locator("table.kt-table[data-side=b] tbody tr a").first.click()
    page.wait_for_url(lambda url: "/concordance?" in url)
    assert page.locator("tr.line").count() > 0
    assert page.problems == []
