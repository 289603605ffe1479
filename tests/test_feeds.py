"""Atom feeds of searches (`/api/search.atom`), read back as a feed reader reads them.

Over the real index and app: the shared test index, and small corpora indexed
here, re-indexed while a "reader" polls the feed.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

import feedparser
import pytest

from tests.test_api import get_json

A = "{http://www.w3.org/2005/Atom}"


def read_feed(client, url: str):
    """(the feed's XML root, what feedparser makes of it), checking the answer is Atom."""
    response = client.get(url)
    assert response.status_code == 200, response.data
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)  # well-formed XML, or this raises
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return root, parsed


def check_atom(root) -> None:
    """The elements RFC 4287 requires, in the Atom namespace."""
    assert root.tag == A + "feed"
    for tag in ("id", "title", "updated"):
        assert len(root.findall(A + tag)) == 1, tag
    assert root.find(A + "author/" + A + "name").text
    assert {link.get("rel") for link in root.findall(A + "link")} >= {"self", "alternate"}
    for entry in root.findall(A + "entry"):
        for tag in ("id", "title", "updated"):
            assert len(entry.findall(A + tag)) == 1, tag
        assert entry.find(A + "id").text.startswith("urn:uuid:")
        assert entry.find(A + "link[@rel='alternate']") is not None


def entry_ids(parsed) -> list[str]:
    return [e.id for e in parsed.entries]


def test_feed_lists_the_newest_matches_with_snippets(client):
    root, parsed = read_feed(client, "/api/search.atom?q=resolution")
    check_atom(root)
    newest = get_json(client, "/api/search?q=resolution&sort=-date&per_page=50")
    assert newest["total"] > 50  # so the feed is cut at 50
    assert len(parsed.entries) == 50
    assert [e.link for e in parsed.entries] == [h["url"] for h in newest["hits"]]
    assert [e.title for e in parsed.entries] == [h["title"] for h in newest["hits"]]
    updated = [e.updated for e in parsed.entries]
    assert updated == sorted(updated, reverse=True)
    assert parsed.feed.updated == updated[0]
    # Snippets: escaped HTML with <mark>, as the content's text (no markup inside the XML).
    content = root.find(A + "entry/" + A + "content")
    assert content.get("type") == "html" and len(content) == 0
    assert "<mark>" in content.text.lower()
    # (a reader's sanitiser drops the <mark> it does not know, and keeps the text)
    assert parsed.entries[0].content[0].value == re.sub("</?mark>", "", content.text)
    links = {link.get("rel"): link.get("href") for link in root.findall(A + "link")}
    assert links["self"] == "http://localhost/api/search.atom?q=resolution"
    assert links["alternate"] == "http://localhost/?q=resolution&sort=-date"


def test_feed_takes_the_search_filters(client):
    _, parsed = read_feed(client, "/api/search.atom?q=Azerbaijan&year=2019&lang=en")
    newest = get_json(client, "/api/search?q=Azerbaijan&year=2019&lang=en&sort=-date&per_page=50")
    assert newest["links"]["atom"] == parsed.feed.links[0].href  # the search's twin is the feed
    assert parsed.feed.links[0].rel == "self"
    assert 0 < len(parsed.entries) == min(50, newest["total"])
    assert [e.link for e in parsed.entries] == [h["url"] for h in newest["hits"]]
    assert all(e.published.startswith("2019") for e in parsed.entries if "published" in e)


@pytest.mark.parametrize("query", [
    "page=0", "per_page=1000", "date_from=2020-13-01", "year=abc", "sort=sideways",
    "q=" + "x" * 2001, "q=()&raw=1",
])
def test_bad_parameters_get_the_api_400(client, query):
    body = get_json(client, f"/api/search.atom?{query}", status=400)
    assert set(body["error"]) == {"code", "message"}


def test_the_search_page_links_its_feed(client):
    html = client.get("/?q=выборы&year=2020&page=1&sort=date").get_data(as_text=True)
    href = "/api/search.atom?q=%D0%B2%D1%8B%D0%B1%D0%BE%D1%80%D1%8B&amp;year=2020"
    assert f'<link rel="alternate" type="application/atom+xml" title="Newest statements of this search" href="{href}">' in html
    assert f'<a href="{href}" type="application/atom+xml">Feed</a>' in html


def test_unchanged_feed_is_not_sent_again(client):
    first = client.get("/api/search.atom?q=ceasefire")
    assert first.headers["ETag"]
    again = client.get("/api/search.atom?q=ceasefire", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


# --- a small corpus, re-indexed while the feed is polled ------------------------------------


def write(corpus, name: str, **record) -> None:
    (corpus / f"{name}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def small(tmp_path):
    """(corpus, index, client) of five statements on a ceasefire, dated in each way there is."""
    from indexer.build import update_index
    from webui import create_app

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    write(corpus, "a", title="Ceasefire in March", date="2021-03-02", text="The ceasefire holds.")
    write(corpus, "b", title="Ceasefire in May", date="2021-05-20", text="The ceasefire is extended.")
    write(corpus, "c", title="Ceasefire talks", date="2020-11-10", text="Ceasefire talks begin.")
    write(corpus, "d", title="Annual ceasefire review", date=2019, text="A year of ceasefire.")
    write(corpus, "e", title="Undated ceasefire note", text="A note on the ceasefire.")
    write(corpus, "f", title="Harvest", date="2021-06-01", text="The harvest was good.")
    assert update_index(corpus, index).problems == []
    client = create_app({"TESTING": True, "INDEX_DIR": str(index)}).test_client()
    return corpus, index, client


def titles(parsed) -> list[str]:
    return [e.title for e in parsed.entries]


def test_a_reader_sees_each_new_statement_once(small):
    from indexer.build import update_index

    corpus, index, client = small
    url = "/api/search.atom?q=ceasefire"
    root, before = read_feed(client, url)
    check_atom(root)
    assert titles(before) == ["Ceasefire in May", "Ceasefire in March", "Ceasefire talks",
                              "Annual ceasefire review", "Undated ceasefire note"]
    ids = dict(zip(titles(before), entry_ids(before)))
    assert len(set(ids.values())) == 5

    write(corpus, "g", title="Ceasefire in July", date="2021-07-04", text="The ceasefire ends.")
    assert update_index(corpus, index).added == 1
    _, after = read_feed(client, url)
    seen = set(ids.values())
    new = [e for e in after.entries if e.id not in seen]
    assert [e.title for e in new] == ["Ceasefire in July"] and after.entries[0].id == new[0].id
    assert dict(zip(titles(after), entry_ids(after))) == {**ids, "Ceasefire in July": new[0].id}
    assert after.feed.updated == max(e.updated for e in after.entries)

    # Rebuilt without the oldest-named statement, every other keeps its entry's id.
    (corpus / "a.json").unlink()
    assert update_index(corpus, index, rebuild=True).problems == []
    _, rebuilt = read_feed(client, url)
    assert dict(zip(titles(rebuilt), entry_ids(rebuilt))) == {
        t: i for t, i in dict(zip(titles(after), entry_ids(after))).items() if t != "Ceasefire in March"}


def test_dates_of_entries(small):
    from search.exec.snapshots import commit_time

    _, index, client = small
    _, parsed = read_feed(client, "/api/search.atom?q=ceasefire")
    entries = {e.title: e for e in parsed.entries}
    dated = entries["Ceasefire in May"]
    assert dated.published == dated.updated == "2021-05-20T00:00:00Z"
    yearly = entries["Annual ceasefire review"]  # known only by its year
    assert yearly.updated == "2019-01-01T00:00:00Z" and "published" not in yearly
    undated = entries["Undated ceasefire note"]  # updated at the index's commit
    committed = int(commit_time(index))
    assert feedparser_seconds(undated.updated_parsed) == committed
    assert "published" not in undated
    # Nothing matches: the feed is valid, empty, and updated at the commit.
    root, empty = read_feed(client, "/api/search.atom?q=nonexistentword")
    check_atom(root)
    assert empty.entries == [] and feedparser_seconds(empty.feed.updated_parsed) == committed


def feedparser_seconds(parsed_time) -> int:
    import calendar

    return calendar.timegm(parsed_time)


def test_text_of_statements_and_queries_is_escaped(small):
    from indexer.build import update_index

    corpus, index, client = small
    hostile = 'Ceasefire <script>alert("x")</script> & ]]> <![CDATA['
    write(corpus, "h", title=hostile, date="2022-01-01",
          text='Ceasefire <img src=x onerror=alert(1)> & "quotes" and a form feed.')
    assert update_index(corpus, index).added == 1
    q = 'ceasefire OR "<b>&\x0c'
    root, parsed = read_feed(client, "/api/search.atom?" + urlencode({"q": q}))
    entry = root.find(A + "entry")
    assert entry.find(A + "title").text == hostile and parsed.entries[0].title == hostile
    assert len(entry.find(A + "content")) == 0  # the snippet's HTML is text, never elements
    snippet = entry.find(A + "content").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in snippet and "<img" not in snippet
    assert "<b>&" in root.find(A + "title").text


@pytest.mark.browser
def test_the_page_offers_its_feed_in_chromium(server, page):
    page.goto(server + "/?q=ceasefire&year=2020")
    link = page.locator(".twins a", has_text="Feed")
    assert link.is_visible()
    href = link.get_attribute("href")
    assert href == page.locator('head link[type="application/atom+xml"]').get_attribute("href")
    response = page.request.get(server + href)
    assert response.ok and response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.body())
    assert not parsed.bozo and parsed.entries
    assert all(e.published.startswith("2020") for e in parsed.entries if "published" in e)
    assert page.problems == []
