"""The research views of search.views: each declared view has its library method,
its page, its JSON twin, its CSV and its entry in GET /api, reads its declared
parameters, and keeps its caches with the index it runs on."""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest

from search import fields
from search.engine import SearchIndex
from search.views import VIEWS
from search.views.view import View

EACH = pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.name)
QUERY = "выборы"
BAD = {fields.WHOLE: "many", fields.CHOICE: "nonesuch"}


@EACH
def test_the_library_has_a_method_per_view(search_index, view: View):
    method = getattr(SearchIndex, view.name)
    assert view.summary in method.__doc__
    field = view.request_fields[0]
    request = view.request(**{field: [QUERY] if view.queries > 1 else QUERY})
    result = getattr(search_index, view.name)(request)
    assert isinstance(result, view.result)
    mine = result.as_dict()
    by_fields = getattr(search_index, view.name)(**{field: getattr(request, field)}).as_dict()
    del mine["took_ms"], by_fields["took_ms"]
    assert by_fields == mine
    if view.lines is not None:
        assert list(getattr(search_index, f"{view.name}_lines")(request))


@EACH
def test_the_web_has_the_views_page_json_and_csv(client, view: View):
    page = client.get(f"/{view.name}?q={QUERY}")
    assert page.status_code == 200 and "text/html" in page.content_type
    body = client.get(f"/api/{view.name}?q={QUERY}").get_json()
    assert body["links"]["html"].split("?")[0].endswith(f"/{view.name}")
    result_keys = {f.name for f in dataclasses.fields(view.result)} - {"took_ms"}
    assert set(body) >= result_keys - {"lines", "languages", "series", "periods"}
    answer = client.get(f"/api/{view.name}.csv?q={QUERY}")
    if view.csv_columns:
        assert answer.status_code == 200 and answer.mimetype == "text/csv"
        header = next(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
        assert tuple(header[:len(view.csv_columns)]) == view.csv_columns  # (then any columns of its data)
    else:
        assert answer.status_code == 404


@EACH
def test_get_api_lists_the_view(client, view: View):
    listing = client.get("/api").get_json()
    assert f"/api/{view.name}?" in listing[view.name]
    assert (f"/api/{view.name}.csv?" in listing.get(f"{view.name}_csv", "")) == bool(view.csv_columns)
    own = [p.name for p in view.params]
    assert [x for x in listing[f"{view.name}_parameters"] if x in own] == own
    described = listing["views"][view.name]
    assert described["summary"] == view.summary
    assert [p["name"] for p in described["parameters"]] == own


@EACH
def test_each_declared_parameter_is_read_and_refused_by_name(client, view: View):
    for p in view.params:
        assert p.help.strip(), p.name
        assert p.name in fields.RESERVED, f"a declared facet named {p.name} would lose its filter"
        if p.kind == fields.TEXT:  # one character past its own limit
            assert p.max_chars, p.name
            bad = "x" * (p.max_chars + 1)
        else:
            bad = BAD[p.kind]
        for path in (f"/api/{view.name}", f"/{view.name}"):
            answer = client.get(f"{path}?q={QUERY}&{p.name}={bad}")
            assert answer.status_code == 400, (path, p.name)
            if path.startswith("/api"):
                assert answer.get_json()["error"]["message"].startswith(f"{p.name}: "), p.name
        if p.kind == fields.WHOLE:
            assert client.get(f"/api/{view.name}?q={QUERY}&{p.name}={p.bounds[0]}").status_code == 200


def test_the_views_caches_belong_to_the_index_they_run_on(index_dir, search_index):
    from search.views import concordance

    assert not [name for name in vars(concordance) if name.isupper() and isinstance(
        getattr(concordance, name), dict) and name not in ("DEFAULT_WIDTH", "MAX_WIDTH")]
    request = concordance.ConcordanceRequest(QUERY, per_page=5)
    search_index.concordance(request)
    with SearchIndex(index_dir) as other:
        other.concordance(request)
        mine = search_index._snapshots.retrying(concordance.kept)
        theirs = other._snapshots.retrying(concordance.kept)
        assert mine is not theirs and mine.plans and theirs.plans
        theirs.clear()
        assert mine.plans and not theirs.plans
        assert other.concordance(request).total == search_index.concordance(request).total
