"""The JSON API and CSV export over HTTP, through Flask's test client."""

import csv
import json
import io

import pytest

from search.registry import Registry

SEED = "seed/000_2961365e15364d64.txt"


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.data
    assert response.content_type == "application/json"
    return response.get_json()


def test_search_shape(client):
    body = get_json(client, "/api/search?q=выборы&per_page=5")
    for key in ("query", "total", "page", "per_page", "took_ms", "hits", "facets", "suggestion"):
        assert key in body
    assert body["query"] == "выборы" and body["page"] == 1 and body["per_page"] == 5
    assert len(body["hits"]) == 5
    hit = body["hits"][0]
    for key in ("id", "title", "date", "number", "languages", "score", "url", "snippets"):
        assert key in hit
    assert hit["url"].startswith("http://localhost/doc/")
    assert all({"lang", "html"} <= set(s) for s in hit["snippets"])
    assert set(body["facets"]) == {"year", "number", "mentioned_year", "cites", "mentions", "lang",
                                   "collection", "country", "type", "issuer"}  # (corpus/statements.toml)
    assert all({"value", "count"} <= set(v) for v in body["facets"]["year"])


def test_dates_are_iso_or_null(client):
    body = get_json(client, "/api/search?q=resolution&per_page=100")
    for hit in body["hits"]:
        assert hit["date"] is None or len(hit["date"]) in (4, 10)


@pytest.mark.parametrize(
    "params, check",
    [
        ("q=Azerbaijan&year=2019", lambda h: h["date"].startswith("2019")),
        ("q=Azerbaijan&year=2019&year=2020", lambda h: h["date"][:4] in ("2019", "2020")),
        ("q=выборы&lang=en", lambda h: "en" in h["languages"]),
        ("q=&date_from=2020-03-01&date_to=2020-04-30", lambda h: h["date"] and "2020" in h["date"]),
        ("number=822", lambda h: h["id"] in (SEED, "ungdc/session74_2019/AZE_74_2019.txt")),
    ],
)
def test_filters(client, params, check):
    body = get_json(client, f"/api/search?{params}&per_page=100")
    assert body["total"] > 0
    assert all(check(h) for h in body["hits"])


def test_number_range_and_mentioned_year(client):
    ranged = get_json(client, "/api/search?number_min=880&number_max=890&per_page=100")
    assert SEED in [h["id"] for h in ranged["hits"]]
    mentioned = get_json(client, "/api/search?mentioned_year=1975&per_page=100")
    assert SEED in [h["id"] for h in mentioned["hits"]]


def test_sorting(client):
    newest = [h["date"] for h in get_json(client, "/api/search?q=resolution&sort=-date&per_page=50")["hits"] if h["date"]]
    assert newest == sorted(newest, reverse=True)
    oldest = [h["date"] for h in get_json(client, "/api/search?q=resolution&sort=date&per_page=50")["hits"] if h["date"]]
    assert oldest == sorted(oldest)


def test_paging(client):
    first = get_json(client, "/api/search?q=Azerbaijan&per_page=3")
    second = get_json(client, "/api/search?q=Azerbaijan&per_page=3&page=2")
    assert {h["id"] for h in first["hits"]}.isdisjoint(h["id"] for h in second["hits"])
    assert "next" in first["links"]


def test_suggestion(client):
    assert get_json(client, "/api/search?q=resolutoin&autocorrect=0")["suggestion"] == "resolution"
    assert get_json(client, "/api/search?q=resolutoin")["suggestion"] == "resolution"
    assert get_json(client, "/api/search?q=resolution")["suggestion"] is None
    # A script that only counts asks for none; the search itself is the same.
    none = get_json(client, "/api/search?q=resolutoin&autocorrect=0&suggest=0")
    assert none["suggestion"] is None and none["total"] == 0
    assert "suggest" in get_json(client, "/api")["parameters"]


def test_links_to_the_twins(client):
    body = get_json(client, "/api/search?q=выборы&year=2019")
    assert "/?q=" in body["links"]["html"] and "year=2019" in body["links"]["html"]
    assert "/api/search.csv?" in body["links"]["csv"]


@pytest.mark.parametrize(
    "params, name",
    [
        ("page=0", "page"),
        ("page=abc", "page"),
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("sort=score", "sort"),
        ("lang=fr", "lang"),
        ("year=twenty", "year"),
        ("number=-5", "number"),
        ("number=1e3", "number"),
        ("date_from=2020-13-01", "date_from"),
        ("date_to=yesterday", "date_to"),
        ("date_from=2021-01-01&date_to=2020-01-01", "date_from"),
        ("number_min=10&number_max=1", "number_min"),
        ("q=" + "x" * 2001, "q"),
        ("suggest=maybe", "suggest"),
        ("autocorrect=2", "autocorrect"),
    ],
)
def test_bad_parameters_are_400_with_an_error_object(client, params, name):
    body = get_json(client, f"/api/search?{params}", status=400)
    assert body["error"]["code"] == "invalid_parameter"
    assert body["error"]["message"].startswith(name)


def test_raw_syntax_errors_are_400(client):
    body = get_json(client, "/api/search?q=()&raw=1", status=400)
    assert body["error"]["code"] == "invalid_query"


def test_odd_queries_are_200_with_notices(client):
    body = get_json(client, '/api/search?q="unbalanced (brackets')
    assert body["notices"]


def test_document(client):
    body = get_json(client, f"/api/documents/{SEED}")
    assert body["id"] == SEED and body["date"] == "2020-03-31" and body["number"] == "064/20"
    assert [s["lang"] for s in body["sections"]] == ["en", "ru"]
    assert "выборы" in body["sections"][1]["text"]
    assert body["related"] and all("url" in r for r in body["related"])


def test_record_ids_with_a_hash_round_trip(client):
    body = get_json(client, "/api/search?q=выборы+в+парламент&per_page=100")
    hit = next(h for h in body["hits"] if h["id"] == "tests/records.jsonl#r1")
    assert "%23r1" in hit["url"]
    assert get_json(client, "/api/documents/tests/records.jsonl%23r1")["title"] == "Заявление о выборах в парламент"


@pytest.mark.parametrize("doc_id", ["nope.txt", "..%2F..%2Fetc%2Fpasswd", "../../etc/passwd", "%2Fetc%2Fpasswd"])
def test_unknown_documents_are_404_json(client, doc_id):
    response = client.get(f"/api/documents/{doc_id}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_csv_streams_every_match(client, index_dir):
    total = get_json(client, "/api/search?q=Azerbaijan")["total"]
    response = client.get("/api/search.csv?q=Azerbaijan")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeffid,")  # (Excel reads the Cyrillic as UTF-8 only after a BOM)
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == total > 5
    declared = [f.name for f in Registry.for_index(index_dir).declared]  # (collection, country, type, issuer)
    assert declared and list(rows[0]) == ["id", "title", "date", "number", "languages", "score", "url",
                                          "source_url", *declared]
    hits = get_json(client, f"/api/search?q=Azerbaijan&per_page={total}")["hits"]
    for row, hit in zip(rows, hits):
        for name in declared:
            value = hit["metadata"].get(name, "")
            assert row[name] == ("; ".join(map(str, value)) if isinstance(value, list) else str(value))


def test_csv_without_a_byte_order_mark_and_a_bad_switch(client):
    assert client.get("/api/search.csv?q=Azerbaijan&bom=0").data.startswith(b"id,")
    error = get_json(client, "/api/search.csv?q=Azerbaijan&bom=maybe", status=400)["error"]
    assert error["message"].startswith("bom: ")


def test_json_lines_export_every_hit_as_the_search_gives_it(client):
    total = get_json(client, "/api/search?q=Azerbaijan")["total"]
    response = client.get("/api/search.jsonl?q=Azerbaijan")
    assert response.status_code == 200 and response.mimetype == "application/jsonl"
    lines = [json.loads(line) for line in response.data.decode("utf-8").splitlines()]
    hits = get_json(client, f"/api/search?q=Azerbaijan&per_page={total}")["hits"]
    assert len(lines) == total > 5
    for line, hit in zip(lines, hits):
        assert line == {k: v for k, v in hit.items() if k not in ("snippets", "title_html")}


def test_csv_cells_cannot_be_formulas():
    from webui.csvexport import cell

    assert cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert cell("Statement on -5 degrees") == "Statement on -5 degrees"


def test_csv_bad_parameters_are_400_json(client):
    assert get_json(client, "/api/search.csv?per_page=0", status=400)["error"]["code"] == "invalid_parameter"


def test_unknown_api_path_is_json(client):
    assert get_json(client, "/api/nothing", status=404)["error"]["code"] == "not_found"


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_nothing_writes(client, method):
    response = getattr(client, method)("/api/search?q=x")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_security_headers(client):
    response = client.get("/api/search?q=x")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_index_yet_is_503_with_the_fix(tmp_path):
    from webui import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    response = client.get("/api/search?q=x")
    assert response.status_code == 503
    assert "python -m indexer" in response.get_json()["error"]["message"]


def test_the_endpoint_list_describes_every_filter(client):
    from search.fields import FIELDS

    body = get_json(client, "/api")
    described = {d["name"]: d for d in body["filters"]}
    for f in FIELDS:
        assert set(f.params) <= set(body["parameters"])
        assert described[f.name]["parameters"] == list(f.params) and described[f.name]["help"]


def test_an_exact_form_finds_and_marks_that_form_only(client):
    import re

    exact = get_json(client, "/api/search?q=%3Dвыборах&per_page=100")
    marked = {m.lower() for h in exact["hits"] for s in h["snippets"]
              for m in re.findall(r"<mark>(.*?)</mark>", s["html"])}
    assert exact["total"] > 5 and marked == {"выборах"}
    every = get_json(client, "/api/search?q=выборы&per_page=1")
    assert every["total"] > exact["total"]
    lines = get_json(client, "/api/concordance?q=%3Dвыборах&per_page=1000")["lines"]
    assert lines and {line["match"].lower() for line in lines} == {"выборах"}
