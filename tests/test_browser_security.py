"""Web security: markup from queries, parameters and statements is shown as text, paths
cannot leave the index, no endpoint writes, every answer carries the security
headers, and the server listens on loopback unless told otherwise.

The XSS checks run in a real Chromium twice: once as served (with the
Content-Security-Policy) and once with the policy bypassed, so escaping alone
must keep every payload inert. Each payload sets `window.__xss` if it runs.
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from html.parser import HTMLParser

import pytest

from indexer.build import update_index
from tests.conftest import ARTIFACTS, DATA
from tests.corpus_tools import ROOT, snapshot
from tests.docs_tools import doc
from tests.fixtures_web import free_port, running_server, server_env, watch

SECURITY_HEADERS = {
    "Content-Security-Policy": "script-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}

# --- a corpus of hostile statements -------------------------------------------------------------

HOSTILE_NAME = 'x"><img src=x onerror=window.__xss=11>.txt'
HOSTILE_RECORDS = [
    {
        "id": '"><svg onload=window.__xss=12>',
        "title": "Fisheries <img src=x onerror=window.__xss=13> statement",
        "number": "<script>window.__xss=14</script>",
        "date": "2020-05-01",
        "text": ("The fisheries agreement </p><script>window.__xss=15</script> was signed. "
                 "<mark>fake mark</mark> javascript:window.__xss=16 {{7*7}} {% raw %} "
                 "&lt;img src=x onerror=window.__xss=17&gt; fisheries again."),
    },
    {
        "id": "plain",
        "title": "</title><script>window.__xss=18</script> Fisheries",
        "date": "2020-05-02",
        "lang": "<b onmouseover=window.__xss=19>en</b>",
        "text": "Fisheries <iframe srcdoc=\"<script>parent.__xss=20</script>\"></iframe> quota.",
    },
]


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(DATA / "statements" / "hostile.html", corpus / "hostile.html")
    (corpus / HOSTILE_NAME).write_text(
        "Statement on fisheries <script>window.__xss=21</script>\n\n1 June 2020\n\n"
        "The fisheries <b>quota</b> \"><img src=x onerror=window.__xss=22> is agreed.",
        encoding="utf-8")
    (corpus / "records.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in HOSTILE_RECORDS) + "\n", encoding="utf-8")
    (corpus / "front.md").write_text(
        "---\ntitle: <iframe src=javascript:window.__xss=23></iframe> Fisheries notes\ndate: 2020-06-02\n---\n"
        "# Heading\n\nA [link](javascript:window.__xss=24) about fisheries and <img src=x onerror=window.__xss=25>.",
        encoding="utf-8")
    index_dir = root / "index"
    summary = update_index(corpus, index_dir)
    assert summary.added == 5, summary.problems
    return index_dir


@pytest.fixture(scope="module")
def hostile_server(hostile_index):
    with running_server(hostile_index) as url:
        yield url


def hostile_ids() -> list[str]:
    return [HOSTILE_NAME, "hostile.html", "front.md"] + [f"records.jsonl#{r['id']}" for r in HOSTILE_RECORDS]


def doc_path(doc_id: str) -> str:
    return "/doc/" + urllib.parse.quote(doc_id, safe="/")


PAYLOAD_PAGES = [
    ("/", {"q": "<img src=x onerror=window.__xss=1>"}),
    ("/", {"q": '"><script>window.__xss=2</script>', "year": "2020"}),
    ("/", {"q": "'><svg/onload=window.__xss=3>", "year": "2020", "lang": "en", "number_min": "1",
           "date_from": "2020-01-01", "sort": "-date", "per_page": "2"}),
    ("/", {"q": 'fisheries "unclosed <img src=x onerror=window.__xss=4>'}),
    ("/", {"q": "fisherys <img src=x onerror=window.__xss=5>"}),  # did you mean
    ("/", {"q": "fisheries"}),  # every hostile statement, titles and snippets
    ("/", {"q": "fisheries", "per_page": "1", "page": "2"}),
    ("/", {"q": "", "sort": "date"}),
    ("/", {"q": "fisheries", "raw": "1"}),
    ("/", {"q": "<img src=x onerror=window.__xss=6>(", "raw": "1"}),  # raw syntax error page
    ("/", {"date_from": '"><script>window.__xss=7</script>'}),
    ("/", {"year": "<img src=x onerror=window.__xss=8>"}),
    ("/", {"lang": "<svg onload=window.__xss=9>"}),
    ("/", {"page": "<script>window.__xss=10</script>"}),
    ("/doc/\"><img src=x onerror=window.__xss=26>", {}),
    ("/help", {}),
    ("/concordance", {"q": "fisheries <img src=x onerror=window.__xss=30>"}),
    ("/concordance", {"q": "fisheries", "sort": "left"}),  # every hostile title and context
    ("/keyterms", {"q": "fisheries", "sample": "<script>window.__xss=31</script>"}),
    ("/keyterms", {"q": "fisheries"}),
    ("/api/search", {"q": "<script>window.__xss=27</script>fisheries"}),
    ("/api/documents/<img src=x onerror=window.__xss=28>", {}),
] + [(doc_path(i), {"q": "fisheries <img src=x onerror=window.__xss=29>"}) for i in hostile_ids()]

INJECTED = ("script:not([src]), script[src]:not([src^='/static/']), img[src='x'], svg, iframe, "
            "[onerror], [onload], [onmouseover], a[href^='javascript:']")


def url_of(base: str, path: str, params: dict) -> str:
    return base + path + ("?" + urllib.parse.urlencode(params) if params else "")


TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "link", "script", "body", "a", "header", "form", "label", "input",
    "button", "nav", "main", "footer", "p", "section", "h1", "h2", "ul", "li", "span", "details",
    "summary", "aside", "div", "select", "option", "ol", "mark", "strong", "article", "dl", "dt", "dd",
    "code", "em", "table", "thead", "tbody", "tr", "th", "td", "br",
    "img", "caption", "colgroup", "col", "sub", "q",
}


class _Tags(HTMLParser):
    """The tags of a page, as a browser's parser would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def check_markup(html: str, where) -> None:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in TEMPLATE_TAGS, (where, tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (where, tag, attrs)
        for name in ("href", "src", "action"):
            assert not (attrs.get(name) or "").strip().lower().startswith("javascript:"), (where, tag, attrs)
        if tag == "script":
            assert attrs.get("src", "").startswith("/static/"), (where, attrs)


def test_hostile_markup_is_escaped_in_the_html(hostile_index):
    """Without a browser: no payload reaches a page as markup."""
    from webui import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": str(hostile_index)}).test_client()
    for path, params in PAYLOAD_PAGES:
        response = client.get(path, query_string=params)
        assert response.status_code in (200, 400, 404), (path, params, response.status_code)
        if response.mimetype == "text/html":
            check_markup(response.get_data(as_text=True), (path, params))
        else:
            assert response.mimetype == "application/json", (path, params)
    doc = client.get(doc_path("records.jsonl#" + HOSTILE_RECORDS[0]["id"])).get_data(as_text=True)
    assert "{{7*7}}" in doc and "{% raw %}" in doc  # the text, not rendered as a template
    assert "&amp;lt;img src=x onerror=window.__xss=17&amp;gt;" in doc  # escaped once more, as text


@pytest.mark.browser
@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_no_payload_runs_in_a_browser(hostile_server, browser, bypass_csp):  # noqa: F811
    context = browser.new_context(bypass_csp=bypass_csp, java_script_enabled=True)
    page = context.new_page()
    problems = watch(page)
    try:
        for path, params in PAYLOAD_PAGES:
            url = url_of(hostile_server, path, params)
            response = page.goto(url)
            assert response.status in (200, 400, 404), (url, response.status)
            page.wait_for_load_state("load")
            page.mouse.move(200, 300)  # hover handlers, if any were injected
            where = f"{path} {params}"
            assert page.evaluate("window.__xss === undefined && parent.__xss === undefined"), where
            if "/api/" not in path:
                injected = page.evaluate(f"[...document.querySelectorAll({json.dumps(INJECTED)})]"
                                         ".map(e => e.outerHTML.slice(0, 120))")
                assert injected == [], (where, injected)
            if path == "/" and response.status == 200 and "q" in params:
                assert page.locator("#q").input_value() == params["q"], where
            # A console error here would be the policy refusing injected script.
            refused = [p for p in problems if not p.startswith("Failed to load resource: the server "
                                                               "responded with a status of 4")]
            assert refused == [], (where, refused)
            problems.clear()
        page.goto(url_of(hostile_server, "/", {"q": "fisheries"}))
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"hostile-results-{'bypass' if bypass_csp else 'csp'}.png"),
                        full_page=True)
        texts = " ".join(page.locator(".hit h2").all_inner_texts())
        assert "<img src=x onerror=window.__xss=13>" in texts  # shown, as text
        page.goto(hostile_server + doc_path("records.jsonl#" + HOSTILE_RECORDS[0]["id"]))
        body = page.locator("section.text").inner_text()
        assert "</p><script>window.__xss=15</script>" in body and "{{7*7}}" in body
        assert "&lt;img src=x onerror=window.__xss=17&gt;" in body
        assert page.locator("h1").inner_text() == HOSTILE_RECORDS[0]["title"]
        assert problems == []
    finally:
        context.close()


@pytest.mark.browser
def test_csp_blocks_an_inline_script_the_page_did_not_ship(hostile_server, browser):  # noqa: F811
    """The policy is live: a script injected into the DOM after load does not run."""
    context = browser.new_context()
    page = context.new_page()
    problems = watch(page)
    page.goto(hostile_server + "/?q=fisheries")
    page.evaluate("""() => {
        const s = document.createElement('script');
        s.textContent = 'window.__xss = 99';
        document.body.appendChild(s);
    }""")
    time.sleep(0.2)
    assert page.evaluate("window.__xss") is None
    assert any("Content Security Policy" in p for p in problems), problems
    context.close()


# --- paths that try to leave the index -------------------------------------------------------------

TRAVERSALS = [
    "/doc/..%2F..%2Fetc%2Fpasswd",
    "/doc/%2e%2e/%2e%2e/etc/passwd",
    "/doc/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/doc/..%252F..%252Fetc%252Fpasswd",
    "/doc/../../etc/passwd",
    "/doc//etc/passwd",
    "/doc/%2Fetc%2Fpasswd",
    "/doc/..%5c..%5cetc%5cpasswd",
    "/doc/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "/doc/..%00/etc/passwd",
    "/api/documents/..%2f..%2fetc%2fpasswd",
    "/api/documents/%2e%2e/%2e%2e/etc/passwd",
    "/api/documents/..%252f..%252fetc%252fpasswd",
    "/api/documents//etc/passwd",
    "/api/documents/../../../etc/passwd",
    "/static/..%2fwebui%2f__init__.py",
    "/static/..%2f__init__.py",
    "/static/../__init__.py",
    "/static/%2e%2e/__init__.py",
    "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/..%252f__init__.py",
    "/static/..%5c__init__.py",
    "/static/....//__init__.py",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/..%c0%af__init__.py",
    "/static/style.css%00.py",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2fetc%2fpasswd",
    "/help/..%2f..%2fetc%2fpasswd",
]
LEAKS = ("root:x:0:0", "create_app", "[build-system]", "def init_app", "import ")


def raw_get(base: str, path: str) -> tuple[int, bytes]:
    """GET with the path sent exactly as written (no client-side normalising)."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_is_404_over_http(server, path):  # noqa: F811
    status, body = raw_get(server, path)
    assert status in (400, 404), (path, status, body[:200])
    text = body.decode("utf-8", "replace")
    assert not any(leak in text for leak in LEAKS), (path, text[:300])


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_is_404_in_the_app(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404), (path, response.status_code)
    assert not any(leak in response.get_data(as_text=True) for leak in LEAKS)
    if path.startswith("/api/"):
        assert response.mimetype == "application/json"


# --- nothing writes ------------------------------------------------------------------------------


def every_route(app) -> list[str]:
    """One concrete URL for every route of the app."""
    samples = {"doc_id": "seed/000_2961365e15364d64.txt", "filename": "style.css"}
    urls = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            urls.append(url_for(rule.endpoint, **{a: samples[a] for a in rule.arguments}))
    return sorted(set(urls))


def test_every_route_is_covered(app):
    assert set(every_route(app)) >= {"/", "/help", "/api", "/api/search", "/api/search.csv",
                                     "/doc/seed/000_2961365e15364d64.txt",
                                     "/api/documents/seed/000_2961365e15364d64.txt", "/static/style.css"}


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "TRACE"])
def test_no_route_takes_a_writing_method(app, client, method):
    for url in every_route(app):
        response = client.open(url, method=method, data=b"x=1",
                               content_type="application/x-www-form-urlencoded")
        assert response.status_code == 405, (method, url, response.status_code)
        allowed = {m.strip() for m in response.headers.get("Allow", "").split(",") if m.strip()}
        assert allowed <= {"GET", "HEAD", "OPTIONS"}, (url, allowed)
        for name, value in SECURITY_HEADERS.items():
            assert value in response.headers.get(name, ""), (method, url, name)


HEAD_TOO = {"/", "/api", "/api/search.csv?q=x", "/doc/nothing", "/static/style.css"}


def test_reading_every_route_changes_no_file(app, server, index_dir, corpus_dir):  # noqa: F811
    before = snapshot(index_dir), snapshot(corpus_dir)
    urls = every_route(app) + ["/?q=выборы&year=2019", "/api/search?q=resolutoin", "/api/search.csv?q=x",
                               "/?q=elction~&page=2&per_page=5", "/nothing", "/doc/nothing"]
    for url in urls:
        # (HEAD runs a route's GET view and drops the body: once per kind of answer is enough)
        for method in ("GET", "OPTIONS", *(("HEAD",) if url in HEAD_TOO else ())):
            host, port = urllib.parse.urlsplit(server).netloc.split(":")
            conn = http.client.HTTPConnection(host, int(port), timeout=30)
            conn.request(method, urllib.parse.quote(url, safe="/?=&%~"))
            response = conn.getresponse()
            response.read()
            conn.close()
            assert response.status < 500, (method, url, response.status)
    time.sleep(0.1)
    assert (snapshot(index_dir), snapshot(corpus_dir)) == before


# --- security headers --------------------------------------------------------------------------------


def test_security_headers_on_every_kind_of_answer(server):  # noqa: F811
    host, port = urllib.parse.urlsplit(server).netloc.split(":")
    cases = {
        "/": 200, "/help": 200, "/api": 200, "/api/search?q=x": 200, "/api/search.csv?q=x": 200,
        "/static/style.css": 200, "/static/app.js": 200, "/doc/seed/000_2961365e15364d64.txt": 200,
        "/nothing": 404, "/api/nothing": 404, "/doc/nothing": 404, "/static/nothing.css": 404,
        "/?page=0": 400, "/api/search?page=0": 400,
    }
    for path, status in cases.items():
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        conn.close()
        assert response.status == status, path
        for name, value in SECURITY_HEADERS.items():
            assert value in (response.getheader(name) or ""), (path, name)
        csp = response.getheader("Content-Security-Policy")
        for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in csp, (path, directive)
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        content_type = response.getheader("Content-Type")
        assert content_type, path
        if content_type.startswith("text/"):  # JSON is UTF-8 by definition
            assert "charset=utf-8" in content_type.lower(), (path, content_type)
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request("POST", "/api/search?q=x")
    response = conn.getresponse()
    response.read()
    assert response.status == 405 and "nosniff" == response.getheader("X-Content-Type-Options")


# --- where the server listens --------------------------------------------------------------------------


def test_default_host_is_loopback_and_the_docs_explain_the_alternative():
    result = subprocess.run([sys.executable, "-m", "webui", "--help"], capture_output=True, text=True,
                            cwd=ROOT, env=server_env(), timeout=60)
    assert result.returncode == 0
    assert re.search(r"--host TEXT.*default:\s*127\.0\.0\.1", " ".join(result.stdout.split()))
    serving = doc("configuration.md")
    section = serving[serving.index("--host 0.0.0.0") - 400: serving.index("--host 0.0.0.0") + 400]
    assert "127.0.0.1" in section
    assert re.search(r"anyone|network|reachable", section)


def non_loopback_address() -> str | None:
    """An address of this machine that is not loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_server_listens_on_loopback_only_by_default(index_dir):
    address = non_loopback_address()
    with running_server(index_dir) as url:
        assert url.startswith("http://127.0.0.1:")
        port = urllib.parse.urlsplit(url).port
        if address is None:
            pytest.skip("this machine has no non-loopback address to try")
        with socket.socket() as s:
            s.settimeout(2)
            assert s.connect_ex((address, port)) != 0, f"reachable on {address}:{port}"


def test_binding_elsewhere_is_explicit_and_warned_about(index_dir):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "webui", "--index", str(index_dir), "--host", "0.0.0.0", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT, env=server_env(),
    )
    try:
        lines = []
        while not lines or not lines[-1].startswith("Searching"):
            line = proc.stdout.readline()
            assert line, f"the server stopped: {''.join(lines)}"
            lines.append(line)
        warning = next((ln for ln in lines if ln.startswith("warning:")), "")
        assert "listening on 0.0.0.0" in warning and "anyone who can reach this machine" in warning, lines
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()
