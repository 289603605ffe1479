"""Real documents in a real Chromium: a corpus of a bilingual PDF, a Word file
with a table, a web page with its menus, folders with `_collection.json` and a
`statements.toml` declaring a facet, indexed and served by `python -m webui`.

Screenshots of the sidebar and the statement page are saved under tests/artifacts/.
"""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import quote

import pytest

from indexer.build import update_index
from tests.conftest import ARTIFACTS
from tests.documents_made import ENGLISH_PAGE, RUSSIAN_PAGE, make_docx, make_pdf, needs_font
from tests.fixtures_web import running_server

pytestmark = [pytest.mark.browser, needs_font]

SETTINGS = """
[[facet]]
name = "issuer"
label = "Issuer"
"""

CANONICAL = "https://mfa.example.org/en/press/064-20"
PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Statement on the elections in Armenia | Ministry of Foreign Affairs</title>
<link rel="canonical" href="{CANONICAL}">
<meta property="article:published_time" content="2020-03-31T10:00:00+04:00">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/press">Press</a></li>
<li><a href="/contacts">Contacts</a></li></ul></nav></header>
<main><article><h1>Statement on the elections in Armenia</h1>
<p>The Ministry of Foreign Affairs welcomes the peaceful conduct of the parliamentary
elections held on 29 March and commends the voters for their civic engagement.</p>
<p>The observers of the mission noted that the voting was well organised and that
fundamental freedoms were generally respected.</p></article></main>
<footer><p>© Ministry of Foreign Affairs. Contacts: press@mfa.example.org.</p></footer>
</body></html>"""

CITING = ("Statement of the President of the Security Council\n\n"
          "The Council recalls its resolution 822 (1993) and demands the withdrawal of the occupying forces.\n")
SPEECH = "Statement in the general debate\n\nThe delegation spoke on oceans and climate.\n"


def write(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


@pytest.fixture(scope="module")
def documents_server(tmp_path_factory):
    """The real server on an index of documents made here; yields its base URL."""
    corpus, index = tmp_path_factory.mktemp("documents-corpus"), tmp_path_factory.mktemp("documents-index")
    write(corpus / "statements.toml", SETTINGS)
    write(corpus / "mfa" / "_collection.json", json.dumps({"issuer": "Ministry of Foreign Affairs"}))
    write(corpus / "mfa" / "bilingual.pdf", make_pdf([ENGLISH_PAGE, RUSSIAN_PAGE]))
    write(corpus / "mfa" / "bilingual.meta.json", json.dumps({"url": "http://mfa.example.org/s/1"}))
    write(corpus / "mfa" / "referendum.docx", make_docx())
    write(corpus / "mfa" / "referendum.meta.json", json.dumps({"url": "javascript:alert(1)"}))
    write(corpus / "mfa" / "064-20.html", PAGE)
    write(corpus / "un" / "_collection.json", json.dumps({"collection": "Security Council", "issuer": "United Nations"}))
    write(corpus / "un" / "822.txt", CITING)
    write(corpus / "un" / "speech.txt", SPEECH)
    summary = update_index(corpus, index)
    assert summary.problems == [] and summary.added == 5, summary.problems
    with running_server(index) as url:
        yield url


def api(url, path):
    with urllib.request.urlopen(url + path, timeout=10) as answer:
        return json.load(answer)


def facet_count(url, query, facet, value) -> int:
    counts = {v["value"]: v["count"] for v in api(url, f"/api/search?q={quote(query)}")["facets"][facet]}
    return counts[value]


def shot(page, name, full_page=True):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def test_a_russian_word_form_finds_the_pdf(documents_server, page):
    page.goto(documents_server + "/")
    page.get_by_label("Search statements in English, Russian and Ukrainian").fill("выборах")  # the PDF says «выборы»
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=*")
    hit = page.locator(".hit", has_text="Statement by the Ministry of Foreign Affairs")
    assert hit.locator(".id").inner_text() == "mfa/bilingual.pdf"
    assert hit.locator(".langs").inner_text() == "EN · RU"
    assert "выборы" in [m.lower() for m in hit.locator(".snippet[lang=ru] mark").all_inner_texts()]
    assert page.problems == []


def test_a_declared_facet_narrows_the_results_as_the_api_counts(documents_server, page):
    page.goto(documents_server + "/?q=statement")
    issuer = page.locator("section.facet", has=page.locator("h2", has_text="Issuer"))
    value = issuer.locator("a.facet-value", has_text="Ministry of Foreign Affairs")
    shown = int(value.locator(".count").inner_text())
    assert shown == facet_count(documents_server, "statement", "issuer", "Ministry of Foreign Affairs") == 3
    assert issuer.locator("a.facet-value", has_text="United Nations").locator(".count").inner_text() == "2"
    # A full bar of the year histogram ends where the counts do, inside the sidebar.
    year = page.locator(".histogram li", has_text="2020")
    bar, row = year.locator(".bar").bounding_box(), year.locator("a.facet-value").bounding_box()
    assert bar["width"] > 100 and bar["x"] + bar["width"] <= row["x"] + row["width"] + 1
    shot(page, "documents-sidebar")
    value.click()
    page.wait_for_url("**issuer=*")
    assert page.locator(".chips .chip", has_text="Issuer: Ministry of Foreign Affairs").count() == 1
    assert page.locator(".hit").count() == shown
    assert sorted(page.locator(".hit .id").all_inner_texts()) == [
        "mfa/064-20.html", "mfa/bilingual.pdf", "mfa/referendum.docx"]
    assert page.locator("#results-title").inner_text().startswith(f"{shown} statements")
    # The collection comes from the top folder, or from the folder's _collection.json.
    collections = page.locator("section.facet", has=page.locator("h2", has_text="Collection"))
    assert collections.locator("a.facet-value", has_text="mfa").locator(".count").inner_text() == "3"
    assert page.problems == []


def test_the_resolutions_cited_facet(documents_server, page):
    page.goto(documents_server + "/?q=")
    cited = page.locator("section.facet", has=page.locator("h2", has_text="Resolutions cited"))
    value = cited.locator("a.facet-value", has_text="S/RES/822 (1993)")
    count = int(value.locator(".count").inner_text())
    assert count == facet_count(documents_server, "", "cites", "S/RES/822 (1993)")
    value.click()
    page.wait_for_url(lambda url: "cites=" in url)
    ids = page.locator(".hit .id").all_inner_texts()
    assert "un/822.txt" in ids and "un/speech.txt" not in ids and len(ids) == count
    assert page.locator(".chips .chip", has_text="S/RES/822 (1993)").count() == 1
    assert page.problems == []


def test_the_statement_page_links_the_original_and_shows_the_metadata(documents_server, page):
    page.goto(documents_server + "/?q=armenia")
    page.locator(".hit h2 a", has_text="Statement on the elections in Armenia").click()
    page.wait_for_url("**/doc/mfa/064-20.html*")
    original = page.locator(".facts dd.original a")
    assert original.get_attribute("href") == CANONICAL and original.inner_text() == CANONICAL
    issuer = page.locator(".facts dd.metadata[data-key=issuer] a")
    assert issuer.inner_text() == "Ministry of Foreign Affairs"
    assert page.locator(".facts dd.metadata[data-key=collection]").inner_text() == "mfa"
    assert page.locator(".facts dd", has_text="2020-03-31").count() == 1
    assert "Contacts" not in page.locator(".sections").inner_text()  # the menu is not the statement
    issuer.click()
    page.wait_for_url("**issuer=*")
    assert page.locator(".hit").count() == 3

    # An address that is not http(s) is no link; an http one is.
    page.goto(documents_server + "/doc/mfa/referendum.docx")
    assert page.locator(".facts dd.original").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    assert page.locator(".text", has_text="признаны недействительными").count() == 1  # the table
    page.goto(documents_server + "/doc/mfa/bilingual.pdf")
    assert page.locator(".facts dd.original a").get_attribute("href") == "http://mfa.example.org/s/1"
    assert page.locator("section.text[lang=ru]", has_text="Карабахского").count() == 1
    shot(page, "documents-statement")
    assert page.problems == []


def test_sidebar_and_statement_page_on_a_phone(documents_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    page = context.new_page()
    page.goto(documents_server + "/?q=&issuer=United%20Nations")
    assert page.locator(".chips .chip", has_text="Issuer: United Nations").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "documents-sidebar-phone")
    page.goto(documents_server + "/doc/mfa/bilingual.pdf?q=выборах")
    assert page.locator(".facts dd.original a").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "documents-statement-phone")
    context.close()


def test_the_help_page_explains_declared_facets_with_an_example_that_finds(server, page):
    page.goto(server + "/help")
    help_text = page.locator("article.help").inner_text()
    assert "statements.toml" in help_text and "_collection.json" in help_text and 'NAME:"value"' in help_text
    page.locator("article.help a", has_text='collection:"UN General Debate"').click()
    page.wait_for_url("**/?q=*")
    ids = page.locator(".hit .id").all_inner_texts()
    assert ids and all(i.startswith("ungdc/") for i in ids)
    assert page.problems == []
