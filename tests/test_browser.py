"""The web UI in a real Chromium, against the real server (`python -m webui`).

The `server`, `browser` and `page` fixtures come from tests/fixtures_web.py.
Screenshots of the main pages are saved under tests/artifacts/ for review.
"""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_russian_query_marks_inflected_forms(server, page):
    page.goto(server + "/")
    page.get_by_label("Search statements in English, Russian and Ukrainian").fill("выборы")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=*")
    marks = page.locator(".snippet mark").all_inner_texts()
    assert {"выборов", "выборах"} & {m.lower() for m in marks}
    assert page.locator("#q").input_value() == "выборы"
    shot(page, "search-results")
    assert page.problems == []


def test_year_facet_applies_a_filter(server, page):
    page.goto(server + "/?q=Azerbaijan")
    page.locator(".histogram a.facet-value", has_text="2019").first.click()
    page.wait_for_url("**year=2019*")
    assert page.locator(".chips .chip", has_text="Year 2019").count() == 1
    dates = page.locator(".hit .date").all_inner_texts()
    assert dates and all(d.startswith("2019") for d in dates)
    shot(page, "search-year-facet")
    page.locator(".chips .chip", has_text="Year 2019").click()
    page.wait_for_url(lambda url: "year=" not in url)


def test_open_a_statement_and_go_back(server, page):
    page.goto(server + "/?q=выборы")
    first_title = page.locator(".hit h2 a").first
    title = first_title.inner_text()
    first_title.click()
    page.wait_for_url("**/doc/**")
    assert page.locator("h1").inner_text() == title
    assert page.locator(".text mark").count() >= 1
    shot(page, "document")
    page.go_back()
    page.wait_for_url("**/?q=*")
    assert page.locator("#q").input_value() == "выборы"


def test_bilingual_statement_side_by_side(server, page):
    page.goto(server + "/doc/seed/000_2961365e15364d64.txt?q=выборы")
    en, ru = page.locator("section.text[lang=en]"), page.locator("section.text[lang=ru]")
    assert en.bounding_box()["y"] == ru.bounding_box()["y"]  # one row, two columns
    assert en.bounding_box()["x"] < ru.bounding_box()["x"]
    shot(page, "document-bilingual")


def test_page_through_results(server, page):
    page.goto(server + "/?q=resolution&per_page=5")
    first = page.locator(".hit h2 a").all_inner_texts()
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url("**page=2*")
    second = page.locator(".hit h2 a").all_inner_texts()
    assert second and set(first).isdisjoint(second)
    assert page.locator(".pages [aria-current=page]").inner_text() == "2"
    page.go_back()
    assert page.locator(".hit h2 a").all_inner_texts() == first


def test_script_in_the_query_is_text(server, page):
    payload = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
    page.goto(server + "/")
    page.locator("#q").fill(payload)
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=*")
    assert page.evaluate("window.pwned") is None
    assert page.locator("#q").input_value() == payload
    assert page.problems == []
    page.goto(server + "/?q=referendum")  # a statement whose title and body hold markup
    assert page.locator(".hit h2", has_text="<script>alert(1)</script>").count() == 1
    assert page.evaluate("window.pwned") is None and page.problems == []


def test_sort_selector_applies_at_once(server, page):
    page.goto(server + "/?q=resolution")
    page.select_option("#sort", "-date")
    page.wait_for_url("**sort=-date*")
    dates = [d for d in page.locator(".hit .date").all_inner_texts()]
    assert dates == sorted(dates, reverse=True)


def test_keyboard_slash_focuses_search(server, page):
    page.goto(server + "/help")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q-top"


def test_works_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/?q=выборы")
    page.locator(".histogram a.facet-value").first.click()
    page.wait_for_url("**year=*")
    assert page.locator(".hit").count() >= 1
    context.close()


def test_readable_on_a_phone(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(server + "/?q=выборы")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(ARTIFACTS / "search-phone.png"), full_page=False)
    page.goto(server + "/doc/seed/000_2961365e15364d64.txt")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    context.close()


def test_the_filters_a_researcher_reaches_for_come_first(server, page):
    """The date range opens the sidebar, within the first screen at 1280 x 900,
    and the correction of a misspelt word shows above the chart."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server + "/?q=выбары")
    headings = [h.lower() for h in page.locator(".facet h2").all_inner_texts()]
    assert headings[:3] == ["date", "year", "language"]
    assert headings.index("collection") < headings.index("numbers mentioned")
    assert page.locator("#date_from").bounding_box()["y"] < 900
    # Each end of the range on its own row, its label beside it and the labels in one column.
    boxes = {name: page.locator(name).bounding_box() for name in (
        "label[for=date_from]", "#date_from", "label[for=date_to]", "#date_to")}
    for end in ("date_from", "date_to"):
        label, field = boxes[f"label[for={end}]"], boxes[f"#{end}"]
        assert abs((label["y"] + label["height"] / 2) - (field["y"] + field["height"] / 2)) < 4, end
        assert label["x"] + label["width"] <= field["x"], end
    assert boxes["label[for=date_to]"]["x"] == boxes["label[for=date_from]"]["x"]
    assert boxes["#date_to"]["x"] == boxes["#date_from"]["x"] and boxes["#date_to"]["y"] > boxes["#date_from"]["y"]
    corrected = page.locator(".corrected").bounding_box()
    assert corrected and corrected["y"] < page.locator(".trend-thumb").bounding_box()["y"]
    shot(page, "search-filters-first")
    more = page.locator("#facet-mentions ~ details.more").or_(page.locator(".facet details.more")).first
    assert not more.locator("ul").is_visible()
    more.locator("summary").click()
    assert more.locator("ul").is_visible()
    assert page.problems == []
