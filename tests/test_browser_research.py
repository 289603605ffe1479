"""The concordance and key-terms pages in a real Chromium, at desktop and phone widths,
against the real server; their numbers are checked against their JSON twins."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def api(server, path, **params):
    url = f"{server}{path}?{urllib.parse.urlencode(params, doseq=True)}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.fixture(params=sorted(WIDTHS))
def sized(request, browser):
    from tests.fixtures_web import watch

    width, height = WIDTHS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    watch(page)
    page.width_name = request.param
    yield page
    context.close()


def test_concordance_page(server, sized):
    page = sized
    page.goto(server + "/concordance?" + urllib.parse.urlencode({"q": "выборы", "per_page": 50}))
    body = api(server, "/api/concordance", q="выборы", per_page=50)
    assert int(page.locator(".summary .total").get_attribute("data-total")) == body["total"]
    assert int(page.locator(".summary .statements").get_attribute("data-statements")) == body["statements"]
    rows = page.locator("tr.line")
    assert rows.count() == len(body["lines"]) == 50
    assert rows.first.locator("td.match").is_visible()
    # Every line says which statement it is from, on a phone too (there on a line of its own).
    source = rows.first.locator("td.source a")
    assert source.is_visible() and source.get_attribute("href") == rows.first.locator("td.match a").get_attribute("href")
    box = rows.first.locator("td.source").bounding_box()
    assert box["width"] > 100 and box["x"] + box["width"] <= page.viewport_size["width"]
    assert page.locator("tr.line td.match").all_inner_texts()[:10] == [x["match"] for x in body["lines"][:10]]
    # The bilingual statement's line shows the English paragraph beside the Russian match.
    assert page.locator("tr.aligned", has_text="so-called “elections”").count() >= 1
    assert no_horizontal_overflow(page)
    shot(page, f"concordance-{page.width_name}")

    page.locator("nav.sorts a", has_text="word to the left").click()
    page.wait_for_url("**sort=left*")
    by_left = api(server, "/api/concordance", q="выборы", per_page=50, sort="left")
    assert page.locator("tr.line td.match").all_inner_texts() == [x["match"] for x in by_left["lines"]]
    lefts = page.locator("tr.line td.left").all_inner_texts()
    assert [x.strip() for x in lefts[:5]] == [x["left"].strip() for x in by_left["lines"][:5]]
    assert page.locator("nav.sorts a.current").inner_text() == "word to the left"
    assert no_horizontal_overflow(page)

    # A line leads to its statement, the query kept.
    page.locator("tr.line td.match a").first.click()
    page.wait_for_url("**/doc/**")
    assert page.locator(".text mark").count() >= 1
    assert page.problems == []


def test_keyterms_page(server, sized):
    page = sized
    page.goto(server + "/keyterms?q=Azerbaijan&sample=3")
    body = api(server, "/api/keyterms", q="Azerbaijan", sample=3)
    assert int(page.locator(".summary .sampled").get_attribute("data-sampled")) == body["sampled"] == 3
    assert int(page.locator(".summary .matched").get_attribute("data-matched")) == body["matched"]
    first = body["languages"][0]
    section = page.locator(f"section.kt-language[lang={first['lang']}]")
    cells = section.locator("tbody tr").first.locator("td").all_inner_texts()
    assert cells[0].split()[0] == first["terms"][0]["word"]
    assert cells[1] == f"{first['terms'][0]['count']:,}" and cells[2] == f"{first['terms'][0]['corpus_count']:,}"
    assert section.locator("tbody tr").count() == len(first["terms"])
    assert no_horizontal_overflow(page)
    shot(page, f"keyterms-{page.width_name}")
    # A term's link adds it to the search.
    section.locator("tbody tr a").first.click()
    page.wait_for_url("**/?q=*")
    assert page.locator("#q").input_value() == f"Azerbaijan {first['terms'][0]['word']}"
    assert page.problems == []


def test_search_page_links_to_both(server, page):
    page.goto(server + "/?q=выборы&lang=ru")
    page.locator("a.to-concordance").click()
    page.wait_for_url("**/concordance?*")
    assert "lang=ru" in page.url and page.locator("tr.line").count() > 0
    assert all(lang == "ru" for lang in page.locator("tr.line").evaluate_all("rs => rs.map(r => r.lang)"))
    page.go_back()
    page.locator("a.to-keyterms").click()
    page.wait_for_url("**/keyterms?*")
    assert "lang=ru" in page.url and page.locator("table.kt-table").count() >= 1


def test_collocations_page(server, sized):
    page = sized
    page.goto(server + "/collocations?q=Azerbaijan&limit=8")
    body = api(server, "/api/collocations", q="Azerbaijan", limit=8)
    assert int(page.locator(".summary .statements").get_attribute("data-statements")) == body["statements"]
    for lang in body["languages"]:
        section = page.locator(f"section.co-language[lang={lang['lang']}]")
        assert int(section.get_attribute("data-nodes")) == lang["nodes"]
        rows = section.locator("tbody tr")
        assert rows.count() == len(lang["collocates"])
        for i, c in enumerate(lang["collocates"]):
            cells = rows.nth(i).locator("td").all_inner_texts()
            assert rows.nth(i).get_attribute("data-term") == c["term"]
            assert cells[0].split()[0] == c["word"]
            assert cells[1:4] == [f"{c['observed']:,}", f"{c['expected']:.2f}", f"{c['corpus_count']:,}"]
            assert cells[4:] == [f"{c['ll']:.1f}", f"{c['mi']:.2f}", f"{c['t']:.2f}"]
        assert all(cell.is_visible() for cell in rows.first.locator("td").all())  # on a phone too
    assert no_horizontal_overflow(page)
    shot(page, f"collocations-{page.width_name}")
    # A collocate leads to the concordance of the lines it stands near: as many as its `lines`.
    first = body["languages"][0]["collocates"][0]
    page.locator("section.co-language tbody tr a").first.click()
    page.wait_for_url("**/concordance?*near=*")
    assert page.locator(".notice.near").get_attribute("data-near") == first["term"]
    assert page.locator("tr.line").count() == first["lines"]
    assert no_horizontal_overflow(page)
    assert page.problems == []
