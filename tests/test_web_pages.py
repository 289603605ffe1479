"""Web pages saved with their menus, footers and related news: the statement
alone is indexed, with its title, date and original address (`source_url`),
which the API, the CSV export and the statement page give."""

import csv
import io
import json

import pytest

from indexer.build import update_index
from search.engine import search
from webui import create_app

CANONICAL = "https://mfa.example.org/en/press/064-20"

MENU = """<header><a class="logo" href="/">Ministry of Foreign Affairs</a>
<nav><ul><li><a href="/">Home</a></li><li><a href="/press">Press</a></li>
<li><a href="/contacts">Contacts</a></li><li><a href="/about">About the Ministry</a></li>
<li><a href="/visas">Consular services and visas</a></li></ul></nav></header>"""
RELATED = """<aside class="related"><h2>Related news</h2><ul>
<li><a href="/a">Minister receives the ambassador of Zanzibar</a></li>
<li><a href="/b">Briefing on hydropower cooperation</a></li></ul></aside>"""
FOOTER = """<footer><p>© Ministry of Foreign Affairs. Contacts: press@mfa.example.org.
Subscribe to our newsletter.</p><ul><li><a href="/sitemap">Sitemap</a></li></ul></footer>"""

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Statement on the elections in Armenia | Ministry of Foreign Affairs</title>
<link rel="canonical" href="{CANONICAL}">
<meta property="og:url" content="{CANONICAL}?utm_source=share">
<meta property="article:published_time" content="2020-03-31T10:00:00+04:00">
<script>var menu = "Press Contacts";</script>
</head><body>{MENU}
<main><article>
<h1>Statement on the elections in Armenia</h1>
<p>The Ministry of Foreign Affairs welcomes the peaceful conduct of the parliamentary
elections held on 29 March and commends the voters for their civic engagement.</p>
<p>The observers of the mission noted that the voting was well organised and that
fundamental freedoms were generally respected.</p>
<p>The Ministry reaffirms its support for the strengthening of democratic institutions.</p>
</article>{RELATED}</main>{FOOTER}
</body></html>"""

# A statement of one sentence: short, but still the page's main text.
SHORT_PAGE = f"""<html><head><title>Condolences</title></head><body>{MENU}
<main><h1>Condolences</h1><p>The Minister expressed his condolences to the families of the victims.</p>
</main>{RELATED}{FOOTER}</body></html>"""

RUSSIAN_PAGE = """<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">
<title>Заявление МИД</title>
<meta property="og:url" content="https://mfa.example.org/ru/press/065-20">
</head><body>
<nav><ul><li><a href="/">Главная</a></li><li><a href="/press">Пресс-служба</a></li>
<li><a href="/contacts">Контакты</a></li></ul></nav>
<article><h1>Заявление МИД о выборах</h1>
<p>Министерство иностранных дел приветствует проведение выборов и отмечает высокую
явку избирателей во всех регионах страны.</p>
<p>Наблюдатели отметили, что голосование было хорошо организовано.</p></article>
<footer><p>© Министерство иностранных дел. Подписаться на рассылку.</p></footer>
</body></html>"""

XHTML_PAGE = """<?xml version="1.0" encoding="windows-1251"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Соболезнования</title></head><body>
<div class="menu"><a href="/">Главная</a> <a href="/contacts">Контакты</a></div>
<div class="content"><h1>Соболезнования в связи с землетрясением</h1>
<p>Министр выразил глубокие соболезнования семьям погибших в результате землетрясения.</p></div>
</body></html>"""

# No date in the markup; the one in the text is an event's, not the statement's.
UNDATED_PAGE = ("<html><head><title>Ceasefire</title></head><body><main><article>"
                "<h1>Statement on the anniversary of the ceasefire</h1>"
                + "<p>The Ministry recalls the importance of a lasting settlement of the conflict"
                  " and of the work of the mediators over many years, in the region and beyond it,"
                  " and calls on the parties to refrain from any step that could undermine"
                  " the trust built between them.</p>" * 4
                + "<p>The ceasefire agreement signed in Bishkek on 12 May 1994 remains the basis"
                  " of the settlement.</p></article></main></body></html>")

# Nothing here is an article: trafilatura finds no main text.
LINKS_ONLY = """<html><head><title>Archive</title></head><body><nav><ul>
<li><a href="/2019">Archive of statements for the year 2019</a></li>
<li><a href="/2020">Archive of statements for the year 2020</a></li>
</ul></nav></body></html>"""


def write(root, rel, content):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


def found(index, query):
    return [hit.id for hit in search(index, query).hits]


@pytest.fixture
def built(tmp_path):
    """A corpus of web pages and records with addresses, indexed; (index dir, summary)."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write(corpus, "mfa/064-20.html", PAGE)
    write(corpus, "mfa/065-20.htm", RUSSIAN_PAGE.encode("cp1251"))
    write(corpus, "mfa/066-20.html", XHTML_PAGE.encode("cp1251"))
    write(corpus, "mfa/short.html", SHORT_PAGE)
    write(corpus, "mfa/ceasefire.html", UNDATED_PAGE)
    write(corpus, "mfa/archive.html", LINKS_ONLY)
    write(corpus, "records.jsonl", json.dumps(
        {"id": "r1", "text": "Statement on the hydrography survey.", "url": "http://un.example.org/r1"}) + "\n")
    write(corpus, "notes.md", "---\ntitle: Note\nurl: https://example.org/note?a=1&b=2\n---\nA note on glaciers.")
    write(corpus, "speech.txt", "Speech on fisheries.")
    write(corpus, "speech.meta.json", '{"url": "javascript:alert(1)"}')
    write(corpus, "bad.html", '<html><head><link rel="canonical" href="javascript:alert(2)"></head>'
                              "<body><p>A page about volcanoes.</p></body></html>")
    summary = update_index(corpus, index)
    assert summary.failed == 0, summary.problems
    return index, summary


def test_the_statement_is_indexed_without_menus_footer_and_related_news(built):
    index, _ = built
    assert found(index, '"parliamentary elections"') == ["mfa/064-20.html"]
    assert found(index, "observers") == ["mfa/064-20.html"]
    assert found(index, "victims") == ["mfa/short.html"]
    for menu_word in ("Contacts", "Press", "Zanzibar", "hydropower", "newsletter", "Sitemap", "visas"):
        assert found(index, menu_word) == [], menu_word


def test_title_date_and_canonical_address_come_from_the_page(built):
    index, _ = built
    hit = search(index, "observers").hits[0]
    assert hit.title == "Statement on the elections in Armenia"
    assert hit.date == "2020-03-31"
    assert hit.source_url == CANONICAL  # the canonical link, not og:url's shared variant
    assert search(index, "mediators").hits[0].date is None  # not the date of an event it recalls


def test_a_legacy_encoding_is_read_and_its_menus_left_out(built):
    index, _ = built
    hit = search(index, "выборы").hits[0]
    assert hit.id == "mfa/065-20.htm" and hit.title == "Заявление МИД о выборах"
    assert hit.source_url == "https://mfa.example.org/ru/press/065-20"  # og:url without a canonical link
    assert found(index, "явка") == ["mfa/065-20.htm"]
    assert found(index, "Контакты") == [] and found(index, "рассылку") == []
    assert found(index, "землетрясение") == ["mfa/066-20.html"]  # an XML declaration names the encoding


def test_a_page_without_main_text_keeps_its_visible_text(built):
    index, _ = built
    assert found(index, '"archive of statements"') == ["mfa/archive.html"]
    assert found(index, "volcanoes") == ["bad.html"]


def test_addresses_from_records_front_matter_and_a_refused_sidecar(built):
    index, _ = built
    assert search(index, "hydrography").hits[0].source_url == "http://un.example.org/r1"
    assert search(index, "glaciers").hits[0].source_url == "https://example.org/note?a=1&b=2"
    assert search(index, "fisheries").hits[0].source_url is None


def test_a_javascript_address_is_refused_with_a_warning(built):
    index, summary = built
    warned = {w.path: w.reason for w in summary.warnings}
    assert "not an http or https address" in warned["speech.txt"]
    assert "javascript:alert(1)" in warned["speech.txt"]
    assert "not an http or https address" in warned["bad.html"]
    assert search(index, "volcanoes").hits[0].source_url is None


@pytest.fixture
def client(built):
    index, _ = built
    return create_app({"TESTING": True, "INDEX_DIR": str(index)}).test_client()


def test_the_address_is_in_the_api_the_csv_and_the_statement_page(client):
    body = client.get("/api/search?q=observers").get_json()
    hit = body["hits"][0]
    assert hit["source_url"] == CANONICAL
    assert hit["url"].startswith("http://localhost/doc/mfa/064-20.html")  # our page, as before

    doc = client.get("/api/documents/mfa/064-20.html").get_json()
    assert doc["source_url"] == CANONICAL and doc["url"] == "http://localhost/doc/mfa/064-20.html"
    assert client.get("/api/documents/speech.txt").get_json()["source_url"] is None

    rows = list(csv.DictReader(io.StringIO(client.get("/api/search.csv?q=observers OR fisheries").data.decode("utf-8-sig"))))
    assert {r["id"]: r["source_url"] for r in rows} == {"mfa/064-20.html": CANONICAL, "speech.txt": ""}

    page = client.get("/doc/mfa/064-20.html").text
    assert f'<a href="{CANONICAL}" rel="noopener noreferrer">{CANONICAL}</a>' in page
    notes = client.get("/doc/notes.md").text
    assert 'href="https://example.org/note?a=1&amp;b=2" rel="noopener noreferrer"' in notes
    assert "javascript:" not in client.get("/doc/speech.txt").text
    assert "javascript:" not in client.get("/doc/bad.html").text


def read(page: str) -> str:
    """A page's text as the indexer reads it, on one line."""
    from indexer.formats.html import read_html
    return " ".join(read_html(page.encode("utf-8"))[0].text.split())


ANSWER = ("<p>I studied music and then taught myself to program while working in a record shop,"
          " and each of those jobs taught me something about how teams work together.</p>")


def test_a_heading_with_an_empty_anchor_link_is_read():
    # (a heading's permalink icon is an empty link: trafilatura's precision rules took the heading for a menu)
    questions = ["What was your first job in tech like?", "What does leadership mean to you?",
                 "What are you looking forward to next?"]
    page = (f"<html><head><title>Interview</title></head><body>{MENU}<main><article><h1>Interview</h1>"
            '<div class="post__content">'
            + "".join(f'<h2 id="q{i}">{q}<a href="#q{i}" class="heading-link"></a></h2>'
                      + ANSWER.replace("music", f"music {i}") for i, q in enumerate(questions))
            + f"</div></article>{RELATED}</main>{FOOTER}</body></html>")
    text = read(page)
    for question in questions:
        assert question in text
    assert "music 2" in text and "Zanzibar" not in text and "Sitemap" not in text


def test_footnote_marks_edit_links_and_a_copyright_line_are_not_read_as_words():
    page = ("<html><head><title>Embedding</title></head><body><main><article><h1>Embedding</h1>"
            '<p>It was developed by Laurens van der Maaten and Geoffrey Hinton.<sup class="reference">'
            '<a href="#cite_note-1">[1]</a></sup> It places similar objects near each other,<sup>'
            '<a href="#fn2">2</a></sup> and its cost grows as n<sup>2</sup> with n points.</p>'
            '<h2><span class="mw-headline">Details</span><span class="mw-editsection">'
            '<span class="mw-editsection-bracket">[</span><a href="/w/index.php?title=E&amp;action=edit'
            '&amp;section=1" title="Edit section: Details">edit</a><span class="mw-editsection-bracket">]'
            "</span></span></h2>" + ANSWER + "<p>Copyright: Anna Smith</p><p>© 2019 Science X Network</p>"
            "</article></main></body></html>")
    text = read(page)
    assert "Geoffrey Hinton. It places similar objects near each other, and its cost grows as n2" in text
    assert "Details" in text and "edit" not in text.split() and "[1]" not in text
    assert "Science X" not in text and "Network" not in text and "Anna Smith" not in text


# A statement written in a blog editor: lines beside <div>s, a <div> a line, no <p>.
BLOG_POST = f"""<html><head><title>Statement on the release | Press blog</title></head><body>{MENU}
<div class="main"><div class="post hentry"><h3 class="post-title">Statement on the release</h3>
<div class="post-body entry-content">
The Ministry welcomes the release of the detained journalists and thanks the mediators.
See <a href="/statement">the statement of the Minister</a> for more.<br>
<br>
Their families were informed of the release on <a href="/news">Monday evening</a>.<br>
<div>
<br></div>
The Ministry will keep following the cases of the remaining detainees closely.<br>
<div>
<br></div>
<div>
We hope the talks will continue in the same constructive spirit.</div>
<div><div><br></div><div>P.S. The press conference of the Minister is moved to Friday at noon.</div></div>
<div style="clear: both;"></div></div>
<div class="post-footer">Posted by the press office at 10:15</div></div></div>
{RELATED}{FOOTER}</body></html>"""

# A paragraph's sources in a box of their own: text beside its label, a <div> for the journal.
SOURCES_BOX = f"""<html><head><title>Study of the glaciers</title></head><body>{MENU}
<div class="article"><h1>Study of the glaciers</h1><div class="article-main">
""" + "".join(f"<p>The survey of the northern glaciers, in its {n} season, measured the retreat of the ice"
              " along the whole length of the valley and found it faster than expected.</p>"
              for n in ("first", "second", "third")) + f"""
<div class="article-main__more"><strong>More information:</strong> A. Petrova et al. Retreat of the
northern glaciers of the Polar Urals measured over three seasons of survey, with a comparison to the
archive maps, <i>Journal of Glaciology</i> (2019). DOI: <a href="https://doi.org/10.1000/jog.2019.7">10.1000/jog.2019.7</a>
<div class="mt-3"><strong>Journal information:</strong> <a href="/journals/jog"><cite>Journal of
Glaciology</cite></a></div></div></div></div>{RELATED}{FOOTER}</body></html>"""


def test_an_article_written_in_lines_is_read_whole():
    # (trafilatura reads the lines of a <div> beside other <div>s as nothing: lost, "Maintenance releases
    # for the 3.6 series ..." of blog.python.org's post, and phys.org's "More information" box)
    text = read(BLOG_POST)
    for line in ("thanks the mediators", "Monday evening", "remaining detainees", "constructive spirit",
                 "P.S. The press conference"):
        assert line in text, line
    assert "Zanzibar" not in text and "Sitemap" not in text and "Consular" not in text
    text = read(SOURCES_BOX)
    assert "third season" in text and "More information: A. Petrova et al." in text
    assert "Journal information: Journal of Glaciology" in text
    assert "Zanzibar" not in text and "Sitemap" not in text


def test_an_article_written_in_lines_is_found_by_its_lines(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write(corpus, "blog/release.html", BLOG_POST)
    assert update_index(corpus, index).failed == 0
    assert found(index, '"remaining detainees"') == ["blog/release.html"]
    assert found(index, '"press conference"') == ["blog/release.html"]
    assert found(index, "Zanzibar") == [] and found(index, "visas") == []
