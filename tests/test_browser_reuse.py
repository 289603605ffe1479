"""Text reuse in a real Chromium, at desktop and phone widths, against the real
server on the shipped corpus: a statement's "Also said in" and the /reuse page,
each checked against its JSON twin."""

from __future__ import annotations

import urllib.parse

import pytest

from tests.test_browser_research import api, no_horizontal_overflow, shot, sized  # noqa: F401  (sized: a fixture)

pytestmark = pytest.mark.browser

GRENADA = "ungdc/session75_2020/GRD_75_2020.txt"  # repeats whole sentences of its 2019 speech


def test_a_statements_also_said_in(server, sized):  # noqa: F811
    page = sized
    page.goto(f"{server}/doc/{GRENADA}")
    body = api(server, f"/api/documents/{urllib.parse.quote(GRENADA)}/reuse")
    items = page.locator("aside.reuse li.reuse-other")
    assert items.count() == body["statements"] == len(body["others"]) > 0
    assert int(page.locator(".reuse-count").get_attribute("data-statements")) == body["statements"]
    for n, other in enumerate(body["others"]):  # earliest first, as the JSON
        item = items.nth(n)
        assert item.get_attribute("data-id") == other["id"]
        assert item.locator("a.reuse-link").inner_text() == other["title"]
        assert item.locator(".relation").inner_text() == f"({other['relation']})"
        passages = item.locator(".reuse-passage")
        assert passages.count() == len(other["passages"])
        for k, p in enumerate(other["passages"]):
            marked = passages.nth(k).locator("mark")
            here, there = passages.nth(k).locator(".here mark"), passages.nth(k).locator(".there mark")
            assert marked.count() >= 2 and int(passages.nth(k).get_attribute("data-words")) == p["words"]
            if len(p["here"]["text"]) <= 600:
                assert " ".join(here.first.inner_text().split()) == " ".join(p["here"]["text"].split())
                assert " ".join(there.first.inner_text().split()) == " ".join(p["there"]["text"].split())
    first = items.first.locator("a.reuse-link")
    box = first.bounding_box()
    assert first.is_visible() and box["x"] + min(box["width"], 10) <= page.viewport_size["width"]
    assert no_horizontal_overflow(page)
    page.locator("aside.reuse").scroll_into_view_if_needed()
    shot(page, f"reuse-statement-{page.width_name}")
    first.click()
    page.wait_for_url(lambda url: urllib.parse.unquote(url).endswith(body["others"][0]["id"]))
    assert page.locator(f'aside.reuse li.reuse-other[data-id="{GRENADA}"]').count() == 1  # and back
    assert page.problems == []


def test_the_reuse_page(server, sized):  # noqa: F811
    page = sized
    page.goto(server + "/reuse?q=Grenada&limit=20")
    body = api(server, "/api/reuse", q="Grenada", limit=20)
    summary = page.locator("#rv-summary")
    assert int(summary.locator(".matched").get_attribute("data-matched")) == body["matched"]
    assert int(summary.locator(".reusing").get_attribute("data-reusing")) == body["reusing"]
    assert int(summary.locator(".total-pairs").get_attribute("data-pairs")) == body["total_pairs"]
    assert int(page.locator("p.boilerplate").get_attribute("data-boilerplate")) == body["boilerplate_left_out"]
    rows = page.locator("tr.reusing-statement")
    assert [rows.nth(i).get_attribute("data-id") for i in range(rows.count())] == [s["id"] for s in body["statements"]]
    pairs = page.locator("li.reuse-pair")
    assert pairs.count() == len(body["pairs"]) > 0
    for n, pair in enumerate(body["pairs"]):
        item = pairs.nth(n)
        assert (item.get_attribute("data-earlier"), item.get_attribute("data-later")) == (
            pair["earlier"]["id"], pair["later"]["id"])
        assert int(item.get_attribute("data-words")) == pair["words"]
        assert item.locator(".reuse-passage").count() == len(pair["passages"])
    assert no_horizontal_overflow(page)
    shot(page, f"reuse-{page.width_name}")
    page.select_option("#order", "words")
    page.locator("form.conc-options button").click()
    page.wait_for_url(lambda url: "order=words" in url)
    by_words = api(server, "/api/reuse", q="Grenada", limit=20, order="words")
    assert int(page.locator("li.reuse-pair").first.get_attribute("data-words")) == by_words["pairs"][0]["words"] == max(
        p["words"] for p in by_words["pairs"])
    assert page.problems == []
