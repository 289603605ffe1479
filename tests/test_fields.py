"""The registry of filters, entry by entry: the API takes each one's parameters,
`python -m search` its options, and docs/query-syntax.md documents both; and
docs/configuration.md documents every setting."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from click.testing import CliRunner

from search import config, fields
from search.registry import BUILT_IN
from search.__main__ import main as search_cli
from search.results import Filters
from tests.docs_tools import all_docs, doc, section

DOCS = all_docs()

# A value of each kind that finds something in the test corpus, and one that is refused.
GOOD = {
    fields.YEAR: ["2020"],
    fields.INTEGER: ["822"],
    fields.LANGUAGE: ["ru"],
    fields.INTEGER_RANGE: ["800", "900"],
    fields.DATE_RANGE: ["2020-01-01", "2020-12-31"],
    fields.KEYWORD: ["A/RES/68/262"],
}
BAD = {
    fields.YEAR: "twenty",
    fields.INTEGER: "-5",
    fields.LANGUAGE: "fr",
    fields.INTEGER_RANGE: "1e3",
    fields.DATE_RANGE: "2020-13-01",
    fields.KEYWORD: "resolution",
}
ENTRIES = pytest.mark.parametrize("entry", fields.FIELDS, ids=lambda f: f.name)


GOOD_BY_NAME = {"mentions": ["AM"]}  # keyword filters whose values are not resolutions


def good_args(entry) -> list[tuple[str, str]]:
    return list(zip(entry.params, GOOD_BY_NAME.get(entry.name, GOOD[entry.kind])))


def test_the_registry_fills_every_filter_once():
    attrs = [a for f in fields.FIELDS for a in f.attrs] + [fields.DECLARED_ATTR]  # (declared facets)
    attrs.append(fields.NAMES_ATTR)  # (the names switch: a search option, not a filter)
    assert sorted(attrs) == sorted(f.name for f in dataclasses.fields(Filters))
    assert len(set(BUILT_IN.params)) == len(BUILT_IN.params)
    for f in fields.FIELDS:
        assert f.group in {g.name for g in BUILT_IN.groups()}
        assert len(f.params) == len(f.attrs) == (2 if f.is_range else 1)


@ENTRIES
def test_the_api_takes_the_entrys_parameters(client, entry):
    args = good_args(entry)
    query = "&".join(f"{p}={v}" for p, v in args)
    body = client.get(f"/api/search?{query}&per_page=1").get_json()
    everything = client.get("/api/search?per_page=1").get_json()["total"]
    assert 0 < body["total"] < everything, (query, body["total"])
    expected = BUILT_IN.filters_from(lambda p: [v for q, v in args if q == p])
    assert body["filters"] == json.loads(json.dumps(expected.as_dict())) != {}
    assert f"{args[0][0]}={args[0][1]}" in body["links"]["html"]  # links keep the filter
    assert set(entry.params) <= set(client.get("/api").get_json()["parameters"])

    refused = client.get(f"/api/search?{entry.params[0]}={BAD[entry.kind]}")
    assert refused.status_code == 400
    assert refused.get_json()["error"]["message"].startswith(entry.params[0])


def cli(index_dir, *args):
    return CliRunner().invoke(search_cli, ["", "--index", str(index_dir), *args])


@ENTRIES
def test_the_cli_takes_the_entrys_options(client, index_dir, entry):
    args = good_args(entry)
    options = [x for p, v in args for x in (entry.flags(p)[0], v)]
    result = cli(index_dir, *options)
    assert result.exit_code == 0, result.output
    total = int(re.match(r"(\d+) statements", result.output).group(1))
    query = "&".join(f"{p}={v}" for p, v in args)
    assert total == client.get(f"/api/search?{query}").get_json()["total"] > 0

    refused = cli(index_dir, entry.flags(entry.params[0])[-1], BAD[entry.kind])
    assert refused.exit_code == 2
    assert entry.params[0].replace("_", "-") in refused.output or "Invalid value" in refused.output


def filter_rows() -> list[str]:
    return [line for line in section("query-syntax.md", "Filters").splitlines() if line.startswith("| ")]


@ENTRIES
def test_the_docs_document_the_entry(entry):
    """One row of the filter table names every parameter, option and syntax field."""
    wanted = [f"`{p}`" for p in entry.params]
    wanted += [f"`{flag}`" for p in entry.params for flag in entry.flags(p)]
    wanted += [f"`{name}:" for name in entry.syntax[:1]]
    rows = [row for row in filter_rows() if all(w in row for w in wanted)]
    assert len(rows) == 1, f"no row of the filter table in docs/query-syntax.md has all of {wanted}"


@pytest.mark.parametrize("setting", config.SETTINGS, ids=lambda s: s.env)
def test_the_docs_document_every_setting(setting):
    """Its variable in the settings of docs/configuration.md; its option in a command's synopsis."""
    assert f"`{setting.env}`" in section("configuration.md", "Settings")
    assert re.search(rf"[`\[]{re.escape(setting.flag)}[ `\]]", DOCS), setting.flag


@pytest.mark.parametrize("param", fields.SEARCH_PARAMS, ids=lambda p: p.name)
def test_the_docs_document_every_search_parameter(client, param):
    """Each of the search's own parameters: in docs/api.md, in GET /api with its help, and read by the API."""
    assert f"`{param.name}" in doc("api.md")
    described = {p["name"]: p for p in client.get("/api").get_json()["search_parameters"]}
    assert described[param.name]["help"] == param.help and param.help.strip()
    if param.kind in (fields.WHOLE, fields.CHOICE):
        refused = client.get(f"/api/search?{param.name}=nonesuch")
        assert refused.status_code == 400
        assert refused.get_json()["error"]["message"].startswith(f"{param.name}: ")
