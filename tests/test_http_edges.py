"""Every API path answers JSON over real HTTP: every method, unknown paths, and the
requests the WSGI server refuses before the app sees them (an over-long URL or
header, a malformed request, a body too large). People get a page instead.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess
import sys
import time
import urllib.parse

import pytest

from tests.fixtures_web import ROOT, free_port, running_server, server_env

CSP = "script-src 'self'"


@pytest.fixture(scope="module")
def base(index_dir):
    with running_server(index_dir) as url:
        yield url


def _address(base: str) -> tuple[str, int]:
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    return host, int(port)


class Answer:
    def __init__(self, status: int, headers: dict[str, str], body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def json(self) -> dict:
        assert self.content_type.startswith("application/json"), (self.status, self.content_type,
                                                                    self.body[:200])
        return json.loads(self.body)


def send(base: str, method: str, path: str, headers: dict | None = None, body: bytes | None = None
         ) -> Answer:
    conn = http.client.HTTPConnection(*_address(base), timeout=30)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()},
                      response.read())
    finally:
        conn.close()


def send_raw(base: str, data: bytes) -> Answer:
    """Bytes as written, for requests no well-behaved client would send."""
    with socket.create_connection(_address(base), timeout=30) as sock:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading it all
        response = http.client.HTTPResponse(sock)
        response.begin()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()},
                      response.read())


def assert_json_error(answer: Answer, status: int) -> dict:
    assert answer.status == status, (answer.status, answer.body[:300])
    error = answer.json()["error"]
    assert error["code"] and error["message"], error
    assert CSP in answer.headers.get("content-security-policy", "")
    assert answer.headers.get("x-content-type-options") == "nosniff"
    return error


def allowed(answer: Answer) -> set[str]:
    return {m.strip() for m in answer.headers.get("allow", "").split(",") if m.strip()}


# --- methods -----------------------------------------------------------------------------------

API_PATHS = ["/api", "/api/search?q=x", "/api/search.csv?q=x",
             "/api/documents/seed/000_2961365e15364d64.txt"]


@pytest.mark.parametrize("path", API_PATHS)
def test_options_on_an_api_path_is_json_with_allow(base, path):
    answer = send(base, "OPTIONS", path)
    assert answer.status == 200, answer.body[:300]
    assert allowed(answer) == {"GET", "HEAD", "OPTIONS"}
    assert set(answer.json()["allow"]) == {"GET", "HEAD", "OPTIONS"}
    assert CSP in answer.headers.get("content-security-policy", "")


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("path", API_PATHS)
def test_writing_methods_on_api_paths_are_json_405_with_allow(base, method, path):
    error = assert_json_error(send(base, method, path, body=b"x=1"), 405)
    assert error["code"] == "method_not_allowed"
    assert allowed(send(base, method, path, body=b"")) == {"GET", "HEAD", "OPTIONS"}


def test_head_on_the_api_is_json_without_a_body(base):
    answer = send(base, "HEAD", "/api/search?q=x")
    assert answer.status == 200 and answer.body == b""
    assert answer.content_type.startswith("application/json")


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "POST", "DELETE"])
@pytest.mark.parametrize("path", ["/api/nothing", "/api/", "/api/search/x"])
def test_unknown_api_paths_are_json_404(base, method, path):
    answer = send(base, method, path)
    if method == "HEAD":
        assert answer.status == 404 and answer.content_type.startswith("application/json")
    else:
        assert assert_json_error(answer, 404)["code"] == "not_found"


def test_an_unknown_statement_is_json_404(base):
    assert assert_json_error(send(base, "GET", "/api/documents/nothing"), 404)["code"] == "not_found"


def test_pages_still_answer_pages(base):
    answer = send(base, "POST", "/help", body=b"")
    assert answer.status == 405 and answer.content_type.startswith("text/html")
    assert allowed(answer) == {"GET", "HEAD", "OPTIONS"}
    assert send(base, "OPTIONS", "/help").status == 200


# --- what the WSGI server refuses before the app ------------------------------------------------

LONG = 300 * 1024  # over the server's limit on a request's line and headers


def test_an_over_long_api_url_is_json_431(base):
    error = assert_json_error(send(base, "GET", "/api/search?q=" + "x" * LONG), 431)
    assert "header" in error["message"].lower()


def test_over_long_api_headers_are_json_431(base):
    headers = {f"X-Filler-{i}": "y" * 8000 for i in range(LONG // 8000 + 1)}
    assert_json_error(send(base, "GET", "/api/search?q=x", headers=headers), 431)


def test_an_over_long_api_url_in_absolute_form_is_json_431(base):
    host, port = _address(base)
    assert_json_error(send(base, "GET", f"http://{host}:{port}/api/search?q=" + "x" * LONG), 431)


def test_an_over_long_page_url_is_a_page_for_people(base):
    answer = send(base, "GET", "/?q=" + "x" * LONG)
    assert answer.status == 431
    assert answer.content_type.startswith("text/html"), answer.content_type
    text = answer.body.decode("utf-8")
    assert "<h1" in text and "too large" in text.lower()
    assert CSP in answer.headers.get("content-security-policy", "")


def test_a_malformed_api_request_is_json_400(base):
    answer = send_raw(base, b"GET /api/search?q=x HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n")
    assert_json_error(answer, 400)


def test_a_url_with_raw_cyrillic_is_searched_as_a_browser_would_send_it(base):
    """curl sends `?q=выборы` as raw UTF-8 bytes; browsers percent-encode them."""
    raw = "GET /api/search?q=выборы&per_page=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    answer = send_raw(base, raw.encode("utf-8"))
    assert answer.status == 200, answer.body[:300]
    found = answer.json()
    assert found["query"] == "выборы" and found["total"] > 0
    encoded = send(base, "GET", "/api/search?q=%D0%B2%D1%8B%D0%B1%D0%BE%D1%80%D1%8B&per_page=1").json()
    assert found["total"] == encoded["total"]


def test_a_malformed_request_line_is_answered_as_a_page(base):
    answer = send_raw(base, b"\x00\x01garbage\r\n\r\n")
    assert answer.status == 400 and answer.content_type.startswith("text/html")


def test_an_unsupported_transfer_encoding_on_the_api_is_json_501(base):
    answer = send_raw(base, b"POST /api/search HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n")
    assert_json_error(answer, 501)


def test_a_body_too_large_is_refused_before_it_is_read(base):
    """The app takes no uploads: a large body is refused at once, not spooled to disk."""
    answer = send_raw(base, b"POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n")
    assert_json_error(answer, 413)


def test_the_connection_still_serves_after_an_error(base):
    for _ in range(3):
        send(base, "GET", "/api/search?q=" + "x" * LONG)
    assert send(base, "GET", "/api/search?q=x").status == 200


# --- what people see ------------------------------------------------------------------------------

ACCESSIBLE = """() => ({
    lang: document.documentElement.lang,
    title: document.title,
    h1: [...document.querySelectorAll('h1')].map(h => h.innerText.trim()),
    main: !!document.querySelector('main#main'),
    skip: document.querySelector('a.skip')?.getAttribute('href'),
    unnamedLinks: [...document.querySelectorAll('a')].filter(a => !a.innerText.trim()).length,
    scrolls: document.documentElement.scrollWidth > window.innerWidth + 1,
})"""


@pytest.mark.browser
@pytest.mark.parametrize("path, status", [
    ("/help", 200), ("/nothing", 404), ("/doc/nothing", 404), ("/?page=0", 400),
    ("/?q=" + "x" * LONG, 431),
], ids=["help", "404", "no-statement", "400", "431"])
def test_the_help_and_error_pages_are_accessible_under_the_policy(base, browser, path, status):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    try:
        response = page.goto(base + path)
        assert response.status == status
        assert CSP in response.headers.get("content-security-policy", "")
        facts = page.evaluate(ACCESSIBLE)
        assert facts["lang"] == "en" and facts["main"] and facts["skip"] == "#main", facts
        assert len(facts["h1"]) == 1 and facts["h1"][0], facts
        assert facts["unnamedLinks"] == 0 and not facts["scrolls"], facts
        if status != 200:
            assert str(status) in facts["title"]
            assert page.locator(".error .message").is_visible()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip"
        # Only the status itself may be reported; a refused script or style would be too.
        assert [p for p in problems if "status of 4" not in p] == [], problems
    finally:
        context.close()


# --- the address of absolute links ---------------------------------------------------------------

def _absolute_links(answer: Answer) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+", answer.body.decode("utf-8"))


@pytest.mark.parametrize("path", ["/api", "/api/search?q=statement", "/api/search.atom?q=statement"])
def test_absolute_links_never_take_a_clients_host_header(base, path):
    answer = send(base, "GET", path, {"Host": "attacker.example"})
    assert answer.status == 200
    links = [u for u in _absolute_links(answer) if "w3.org" not in u]
    assert links and all(u.startswith(base + "/") for u in links), links[:3]


def test_a_public_address_makes_every_absolute_link(index_dir):
    public = "https://search.example.org/statements"
    with running_server(index_dir, "--public-url", public) as url:
        for path in ("/api", "/statements/api"):  # (a proxy may keep the prefix or strip it)
            answer = send(url, "GET", path, {"Host": "attacker.example"})
            assert answer.status == 200
            links = _absolute_links(answer)
            assert links and all(u.startswith(public + "/api") for u in links), links[:3]
        page = send(url, "GET", "/?q=statement").body.decode("utf-8")
        assert 'href="/statements/static/' in page  # (the pages' own links carry the prefix)


def test_a_public_address_that_is_not_one_stops_the_server_with_the_reason(index_dir):
    result = subprocess.run([sys.executable, "-m", "webui", "--index", str(index_dir), "--port",
                             str(free_port()), "--public-url", "ftp://example.org?x=1"],
                            capture_output=True, text=True, timeout=60, cwd=ROOT, env=server_env())
    assert result.returncode == 2 and "not an http or https address" in result.stderr


# --- exports that are not read ---------------------------------------------------------------------

def _status_of(sock: socket.socket) -> tuple[int, bytes]:
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            break
        head += chunk
    return int(head.split(b" ", 2)[1]), head


def test_exports_clients_do_not_read_leave_threads_for_searches(index_dir):
    """Each worker writes at most a quarter of its threads' exports at once; the
    rest are told to come back (503, Retry-After), so searches never queue behind them."""
    query = urllib.parse.urlencode({"q": "nations OR development OR international OR countries OR world"})
    with running_server(index_dir, "--workers", "1", "--threads", "8") as url:
        socks = []
        try:
            for _ in range(6):
                sock = socket.create_connection(_address(url), timeout=60)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                sock.sendall(f"GET /api/concordance.csv?{query} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                socks.append(sock)
            statuses = [_status_of(sock) for sock in socks]
            assert sorted(s for s, _ in statuses) == [200, 200, 503, 503, 503, 503]
            assert all(b"Retry-After: 5" in head for s, head in statuses if s == 503)
            answer = send(url, "GET", "/api/search?q=peace&per_page=5")  # (the exports still unread)
            assert answer.status == 200 and answer.json()["total"] > 0
        finally:
            for sock in socks:
                sock.close()
        deadline = time.monotonic() + 60  # a slot is freed once its export is written or dropped
        while (later := send(url, "GET", "/api/search.csv?q=peace")).status == 503:
            assert time.monotonic() < deadline, "the export slots were never freed"
            time.sleep(0.5)
        assert later.status == 200 and later.body.startswith(b"id,")
