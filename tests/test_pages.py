"""The HTML pages over HTTP: what people see, escaped, with its JSON twins."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

SEED = "seed/000_2961365e15364d64.txt"


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.data[:500]
    assert response.mimetype == "text/html"
    return response.data.decode("utf-8")


def hrefs(html, css_class=None):
    pattern = r'<a href="([^"]+)"' if css_class is None else rf'<a href="([^"]+)" class="{css_class}[^"]*"'
    return [unescape(h) for h in re.findall(pattern, html)]


def test_search_page_keeps_the_query_and_marks_forms(client):
    html = page(client, "/?q=выборы")
    assert 'value="выборы"' in html
    assert "<mark>выборах</mark>" in html or "<mark>выборов</mark>" in html
    assert re.search(r"\d+ statements", html)


def test_search_page_links_its_twins(client):
    html = page(client, "/?q=выборы&year=2019")
    assert 'href="/api/search?q=%D0%B2%D1%8B%D0%B1%D0%BE%D1%80%D1%8B&amp;year=2019"' in html
    assert "/api/search.csv?" in html


def test_year_facet_links_toggle_and_keep_the_rest(client):
    html = page(client, "/?q=Azerbaijan&sort=-date")
    links = [h for h in hrefs(html, "facet-value") if "year=" in h]
    query = parse_qs(urlsplit(links[0]).query)
    assert query["q"] == ["Azerbaijan"] and query["sort"] == ["-date"] and len(query["year"]) == 1
    selected = page(client, links[0])
    assert 'aria-current="true"' in selected
    chip = [h for h in hrefs(selected, "chip")][0]
    assert "year=" not in chip


def test_multi_select_adds_a_second_year(client):
    html = page(client, "/?q=Azerbaijan&year=2019")
    toggles = [parse_qs(urlsplit(h).query).get("year") for h in hrefs(html, "facet-value") if "year=" in h]
    assert ["2019", "2020"] in toggles


def test_query_with_script_is_text(client):
    html = page(client, "/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_hostile_statement_is_escaped_everywhere(client):
    html = page(client, "/?q=referendum")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    doc = page(client, "/doc/tests/hostile.html?q=referendum")
    assert "<img src=x" not in doc and "&lt;img src=x onerror=alert(2)&gt;" in doc
    assert doc.count("<script") == 1  # the page's own app.js, nothing else


def test_empty_state_helps(client):
    html = page(client, "/?q=zzzxqj&year=2019")
    assert "No statement matches" in html
    assert "Search without the filters" in html


def test_did_you_mean_link(client):
    html = page(client, "/?q=resolutoin&autocorrect=0")  # as typed; else it is corrected at once
    assert re.search(r'Did you mean <a href="/\?q=resolution">resolution</a>', html)


def test_pagination_marks_the_current_page(client):
    html = page(client, "/?q=resolution&page=2&per_page=5")
    assert '<a aria-current="page" href="/?q=resolution&amp;page=2&amp;per_page=5">2</a>' in html
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_document_page(client):
    html = page(client, f"/doc/{SEED}?q=выборы")
    assert "<mark>выборов</mark>" in html
    assert 'lang="ru"' in html and 'lang="en"' in html
    assert "← Back to the results" in html and 'href="/?q=' in html
    assert "Related statements" in html
    assert f'href="/api/documents/{SEED}"' in html


def test_document_page_without_a_search(client):
    html = page(client, f"/doc/{SEED}")
    assert "<mark>" not in html and "All statements" in html


def test_unknown_document_is_a_404_page(client):
    html = page(client, "/doc/..%2F..%2Fetc%2Fpasswd", status=404)
    assert "Not found" in html and "root:" not in html


def test_a_missing_statement_is_said_in_one_wording_on_the_page_and_its_json_twin(client):
    html = page(client, "/doc/no/such.txt", status=404)
    answer = client.get("/api/documents/no/such.txt")
    assert answer.status_code == 404
    message = answer.get_json()["error"]["message"]
    assert message == "There is no statement 'no/such.txt' in the index."
    assert message in unescape(html)


def test_bad_parameter_is_a_400_page(client):
    html = page(client, "/?page=abc", status=400)
    assert "page:" in html and "Traceback" not in html


def test_help_page_documents_the_syntax(client):
    html = page(client, "/help")
    for example in ("number:822", "date:2020-03", "окку*", "elction~", "title:statement", "=выборах"):
        assert example in html


def test_every_page_has_the_security_headers(client):
    for url in ("/", "/help", f"/doc/{SEED}", "/nothing"):
        headers = client.get(url).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"


def test_static_assets_are_served_by_the_app(client):
    html = page(client, "/")
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
        assert client.get(asset).status_code == 200
    assert "http://" not in html.split("<footer")[0].replace("http://localhost", "")


ALL_FILTERS = ("year=2020&lang=ru&number=822&number_min=800&number_max=900&mentioned_year=1975"
               "&cites=S/RES/822+(1993)&mentions=AZ&date_from=2020-01-01&date_to=2020-12-31")


def test_the_sidebar_has_each_facet_and_each_range_form(client, index_dir):
    from search.registry import Registry

    html = page(client, "/?q=resolution")
    for group in Registry.for_index(index_dir).groups():  # (the corpus's own facets among them)
        assert f'id="facet-{group.name}"' in html, group.name
        for f in group.ranges:
            for param in f.params:
                assert f'name="{param}" type="{"date" if f.takes_dates else "number"}"' in html


def test_the_sidebar_opens_with_dates_and_languages_then_the_corpuss_facets(client):
    html = page(client, "/?q=resolution")
    at = {g: html.index(f'id="facet-{g}"') for g in ("date", "year", "lang", "collection", "number", "mentions")}
    assert list(at) == sorted(at, key=at.get)


def test_a_long_facet_list_folds_its_rest_but_keeps_a_selected_value_in_sight(client):
    html = page(client, "/?q=resolution")
    mentions = html[html.index('id="facet-mentions"'):]
    mentions = mentions[:mentions.index("</section>")]
    shown, folded = mentions.split('<details class="more">')
    assert shown.count('class="facet-value') == 8 and folded.count('class="facet-value') > 0
    last = re.findall(r'href="([^"]+)"', folded)[-1].replace("&amp;", "&")
    picked = page(client, last)
    section = picked[picked.index('id="facet-mentions"'):]
    section = section[:section.index("</section>")]
    visible = section.split('<details class="more">')[0]
    assert 'facet-value selected' in visible


def test_an_error_page_keeps_the_query_in_its_search_box(client):
    answer = client.get("/?q=выборы&year=abc")
    assert answer.status_code == 400
    assert 'id="q-top" name="q" type="search" value="выборы"' in answer.get_data(as_text=True)


def test_a_correction_shows_above_the_chart(client):
    html = page(client, "/?q=выбары")
    assert 'class="corrected"' in html and html.index('class="corrected"') < html.index('class="trend-thumb"')


def test_every_active_filter_has_a_chip_that_removes_it_alone(client):
    from search.fields import FIELDS

    html = page(client, f"/?q=x&{ALL_FILTERS}")
    clear_all = hrefs(html, "chip clear")
    chips = [parse_qs(urlsplit(h).query) for h in hrefs(html, "chip") if h not in clear_all]
    given = parse_qs(ALL_FILTERS)
    for f in FIELDS:
        removing = [c for c in chips if not set(f.params) & set(c)]
        assert len(removing) == 1, f.name
        assert removing[0] == {"q": ["x"], **{k: v for k, v in given.items() if k not in f.params}}
    assert clear_all == ["/?q=x"]
