"""Each URL filter and its query-syntax form find the same statements (property-based,
on the real test index): `?year=2019` and `q=year:2019`, `?lang=ru` and `lang:ru`,
`?number_min=800&number_max=900` and `number:[800 TO 900]`, the corpus's declared
facets (`?collection=…` and `collection:"…"`) — every filter of the index's registry."""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from search import fields as F
from search.registry import Registry

# Whole numbers drawn besides the facets' own values, per filter (most find nothing: that must agree too).
SPANS = {"year": (1990, 2030), "number": (0, 3000), "mentioned_year": (1900, 2100),
         "number_range": (0, 3000)}
DATES = st.dates(dt.date(2010, 1, 1), dt.date(2024, 12, 31))


@pytest.fixture(scope="module")
def web(index_dir):
    from webui import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()


@pytest.fixture(scope="module")
def registry(index_dir) -> Registry:
    return Registry.for_index(index_dir)


@pytest.fixture(scope="module")
def facet_values(web) -> dict:
    facets = web.get("/api/search?per_page=1").get_json()["facets"]
    return {name: [v["value"] for v in values] for name, values in facets.items()}


def found(web, args: list[tuple[str, str]]) -> list[str]:
    """The ids of every statement a search finds (its JSON Lines export)."""
    answer = web.get("/api/search.jsonl?" + urlencode([*args, ("autocorrect", "0")]))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return sorted(json.loads(line)["id"] for line in answer.get_data(as_text=True).splitlines())


def syntax_name(registry: Registry, f: F.Field) -> str:
    """The query-syntax field of a filter (a range's: that of the facet it narrows)."""
    return f.syntax[0] if f.syntax else next(g for g in registry.fields if g.name == f.facet).syntax[0]


def written(value) -> str:
    """A value as the query syntax takes it: quoted unless it is one plain word."""
    text = str(value)
    return text if re.fullmatch(r"[\w.-]+", text) else '"' + text + '"'


def draw_case(data, registry: Registry, facet_values: dict):
    """(a filter, its URL parameters, its query-syntax form)."""
    f = data.draw(st.sampled_from(registry.fields), label="filter")
    if f.is_range:
        lo_hi = (st.tuples(DATES, DATES) if f.takes_dates
                 else st.tuples(*(st.integers(*SPANS[f.name]),) * 2))
        lo, hi = sorted(data.draw(lo_hi, label="ends"))
        open_end = data.draw(st.sampled_from(["", "low", "high"]), label="open end")
        lo, hi = (None if open_end == "low" else lo), (None if open_end == "high" else hi)
        args = [(p, f.format(v)) for p, v in zip(f.params, (lo, hi)) if v is not None]
        ends = ["*" if v is None else f.format(v) for v in (lo, hi)]
        return f, args, f"{syntax_name(registry, f)}:[{ends[0]} TO {ends[1]}]"
    known = facet_values.get(f.group) or list(f.choices)
    values = st.sampled_from(known) if known else st.nothing()
    if f.kind in F.INTEGERS:
        values = values | st.integers(*SPANS.get(f.name, (0, 3000)))
    value = data.draw(values, label="value")
    return f, [(f.params[0], f.format(value))], f"{syntax_name(registry, f)}:{written(value)}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_each_url_filter_and_its_query_form_find_the_same_statements(web, registry, facet_values, data):
    f, args, query = draw_case(data, registry, facet_values)
    event(f.name)
    by_url = found(web, args)
    by_syntax = found(web, [("q", query)])
    assert by_url == by_syntax, (f.name, args, query)


def test_the_forms_are_compared_on_statements_found(web, registry, facet_values):
    """(The property's cases include ones that find something, for every filter with values.)"""
    for f in registry.fields:
        if f.is_range or not facet_values.get(f.group):
            continue
        value = facet_values[f.group][0]
        by_url = found(web, [(f.params[0], f.format(value))])
        assert by_url and by_url == found(web, [("q", f"{syntax_name(registry, f)}:{written(value)}")]), f.name
