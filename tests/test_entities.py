"""Countries and organisations mentioned: the facet's counts are what the
gazetteer finds in each statement's stored text, and the filter is the same
in the URL, the query syntax and the CLI."""

from collections import Counter

import pytest
from click.testing import CliRunner

from search.lang import gazetteer
from search import schema as S
from search.__main__ import main as search_cli
from search.lang.table import LANGUAGES
from tests.corpus_tools import stored as stored_statements

SEED = "seed/000_2961365e15364d64.txt"


@pytest.fixture(scope="module")
def brute_force(index_dir) -> dict[str, set[str]]:
    """Statement id → the entities the gazetteer finds in its stored title and texts."""
    return {
        stored[S.ID]: set(gazetteer.mentions(stored.get(S.TITLE, ""),
                                             *(stored.get(S.BODY[lang], "") for lang in LANGUAGES)))
        for stored in stored_statements(index_dir).values()
    }


def counts(by_statement, ids=None) -> Counter:
    return Counter(e for i, found in by_statement.items() if ids is None or i in ids for e in found)


def test_facet_counts_equal_a_brute_force_count(client, brute_force):
    facet = client.get("/api/search?q=&per_page=1").get_json()["facets"]["mentions"]
    expected = counts(brute_force)
    assert len(facet) == min(30, len(expected)) > 10
    assert {v["value"]: v["count"] for v in facet} == {e: expected[e] for e in (v["value"] for v in facet)}
    # the top values, by count: none left out counts more than the last shown
    assert max((n for e, n in expected.items() if e not in {v["value"] for v in facet}), default=0) \
        <= facet[-1]["count"]


def test_facet_counts_follow_the_query(search_index, brute_force):
    found = {h.id for h in search_index.hits("resolution")}
    facet = search_index.search("resolution").facets["mentions"]
    expected = counts(brute_force, found)
    assert len(found) > 100 and facet
    assert {v.value: v.count for v in facet} == {e: expected[e] for e in (v.value for v in facet)}


def test_each_entity_is_counted_once_per_statement(brute_force, search_index):
    assert {"AZ", "AM", "org:UN", "org:UNSC", "org:OSCE"} <= brute_force[SEED]  # (Azerbaijan 40 times)
    only_seed = search_index.search("no:064/20")
    assert [h.id for h in only_seed.hits] == [SEED]
    assert {v.value: v.count for v in only_seed.facets["mentions"]}["AZ"] == 1


def test_facet_values_carry_both_names(client):
    facet = client.get("/api/search?q=Azerbaijan&per_page=1").get_json()["facets"]["mentions"]
    az = next(v for v in facet if v["value"] == "AZ")
    assert az["names"] == {"en": "Azerbaijan", "ru": "Азербайджан", "uk": "Азербайджан"}
    nato = client.get("/api/search?q=&per_page=1&mentions=org:NATO").get_json()["facets"]["mentions"]
    assert {"value": "org:NATO", "names": {"en": "NATO", "ru": "НАТО", "uk": "НАТО"}}.items() <= \
        next(v for v in nato if v["value"] == "org:NATO").items()


@pytest.mark.parametrize("given", ["AZ", "az", "Azerbaijan", "Азербайджан"])
def test_the_filter_in_the_url(client, brute_force, given):
    body = client.get(f"/api/search?q=&per_page=100&mentions={given}").get_json()
    expected = {i for i, found in brute_force.items() if "AZ" in found}
    assert body["filters"] == {"mentions": ["AZ"]}
    assert {h["id"] for h in body["hits"]} == expected and SEED in expected
    assert "mentions=AZ" in body["links"]["html"]


@pytest.mark.parametrize("query", ["mentions:AZ", "mentions:Azerbaijan", "mentions:Азербайджан",
                                   'mentions:"org:OSCE"', "mentions:OSCE"])
def test_the_filter_in_the_query_syntax(client, brute_force, query):
    wanted = "org:OSCE" if "OSCE" in query else "AZ"
    body = client.get("/api/search", query_string={"q": query, "per_page": 100}).get_json()
    assert {h["id"] for h in body["hits"]} == {i for i, found in brute_force.items() if wanted in found}
    assert body["notices"] == []


def test_the_filter_in_the_cli(index_dir, brute_force):
    result = CliRunner().invoke(search_cli, ["", "--index", str(index_dir), "--mentions", "AM",
                                             "--mentions", "org:NATO"])
    assert result.exit_code == 0, result.output
    expected = sum(bool(found & {"AM", "org:NATO"}) for found in brute_force.values())
    assert result.output.startswith(f"{expected} statements")


def test_a_bad_value_is_refused_with_what_it_takes(client, index_dir):
    refused = client.get("/api/search?mentions=Atlantis")
    assert refused.status_code == 400
    message = refused.get_json()["error"]["message"]
    assert message.startswith("mentions:") and "AZ" in message and "org:NATO" in message
    result = CliRunner().invoke(search_cli, ["", "--index", str(index_dir), "--mentions", "Atlantis"])
    assert result.exit_code == 2 and "--mentions" in result.output


def test_the_sidebar_lists_entities_by_english_name(client):
    html = client.get("/?q=Azerbaijan").get_data(as_text=True)
    section = html.split('id="facet-mentions"', 1)[1].split("</section>", 1)[0]
    assert "Countries and organisations mentioned" in section
    assert ">Azerbaijan<" in section and "mentions=AZ" in section
    assert ">Азербайджан<" not in section
