"""Two indexes open in one process, each with the facets its own corpus declares:
searches, counts, exports and the query syntax of one never take the other's
filters, however their calls interleave (a script comparing two corpora, or
two web apps in one server)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from indexer.build import update_index
from search import Filters, SearchIndex

MFA = "Ministry of Foreign Affairs"


def _corpus(root: Path, settings: str, folder: str, records: list[dict]) -> Path:
    (root / folder).mkdir(parents=True)
    (root / "statements.toml").write_text(settings, encoding="utf-8")
    lines = [json.dumps(dict(r, id=str(n)), ensure_ascii=False) for n, r in enumerate(records)]
    (root / folder / "statements.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    """Corpus A declares `issuer` (41 statements, 40 of the ministry); corpus B
    declares `session` (an integer) and carries an undeclared `issuer` key."""
    root = tmp_path_factory.mktemp("two-indexes")
    a = _corpus(root / "a", '[[facet]]\nname = "issuer"\nlabel = "Issuer"\n', "releases",
                [{"text": f"Press release {n} on elections and trade.",
                  "issuer": MFA if n else "Ministry of Trade"} for n in range(41)])
    b = _corpus(root / "b", '[[facet]]\nname = "session"\nlabel = "Session"\nkind = "integer"\n',
                "debate", [{"text": f"Speech {n} in the general debate on oceans.",
                            "session": 74 if n < 3 else 75, "issuer": MFA} for n in range(5)])
    dirs = []
    for corpus in (a, b):
        summary = update_index(corpus, corpus.parent / f"{corpus.name}-index")
        assert summary.problems == [] and summary.failed == 0, summary.problems
        dirs.append(corpus.parent / f"{corpus.name}-index")
    return tuple(dirs)


def test_two_open_indexes_each_filter_by_their_own_declared_facets(two):
    mfa = Filters(declared=(("issuer", (MFA,)),))
    s74 = Filters(declared=(("session", (74,)),))
    with SearchIndex(two[0]) as a, SearchIndex(two[1]) as b:
        assert a.search("", filters=mfa).total == 40
        assert b.search("", filters=s74).total == 3
        assert a.count("", mfa) == 40  # (B was searched last)
        assert len(list(a.hits("", mfa))) == 40
        assert b.count("", s74) == 3
        assert a.count('issuer:"Ministry of Trade"') == 1
        assert b.count("session:75") == 2
        assert b.search("session:74").total == 3
        assert a.count("session:74") == 0  # (not a field of A: read as words)
        assert "issuer" in a.search("").facets and "session" not in a.search("").facets
        assert "session" in b.search("").facets and "issuer" not in b.search("").facets
        assert [h.id for h in a.hits('issuer:"Ministry of Trade"')] == ["releases/statements.jsonl#0"]
        assert b.trend(["oceans"], s74).series[0].matched == 3
        assert a.keyterms("", mfa).matched == 40
        assert b.search('issuer:"Ministry of Foreign Affairs"').notices  # (B does not declare it)


def test_two_web_apps_in_one_process_each_take_their_own_facets(two):
    from webui import create_app

    a, b = (create_app({"TESTING": True, "INDEX_DIR": str(d)}).test_client() for d in two)
    for _ in range(2):  # (interleaved, and again: the first requests open the indexes)
        assert a.get("/api/search", query_string={"issuer": MFA}).get_json()["total"] == 40
        assert b.get("/api/search?session=74").get_json()["total"] == 3
        assert b.get("/api/search", query_string={"issuer": MFA}).get_json()["total"] == 5  # ignored
        assert a.get("/api/search?session=74").get_json()["total"] == 41  # ignored
        rows = list(csv.DictReader(io.StringIO(
            a.get("/api/search.csv", query_string={"issuer": MFA, "bom": "0"}).get_data(as_text=True))))
        assert len(rows) == 40 and "issuer" in rows[0] and "session" not in rows[0]
        assert b.get("/api/search?session=x").status_code == 400
        described = {f["name"] for f in b.get("/api").get_json()["filters"]}
        assert "session" in described and "issuer" not in described
        assert "session" not in a.get("/api").get_json()["parameters"]
        sidebar = a.get("/?q=").get_data(as_text=True)
        assert 'id="facet-issuer"' in sidebar and 'id="facet-session"' not in sidebar
        trend = b.get("/api/trend?q=oceans&session=74").get_json()
        assert trend["series"][0]["matched"] == 3
        assert a.get("/api/concordance", query_string={"q": "elections", "issuer": MFA}).get_json()["matched"] == 40
        assert b.get("/api/keyterms?session=75").get_json()["matched"] == 2
        links = b.get("/api/search?session=74&q=oceans").get_json()["links"]
        assert "session=74" in links["html"] and "session=74" in links["csv"]  # (links keep the filter)


def test_the_cli_takes_the_facets_of_the_index_it_is_given(two):
    from click.testing import CliRunner

    from search.__main__ import main as search_cli

    def run(index_dir, *args):
        return CliRunner().invoke(search_cli, ["", "--index", str(index_dir), *args])

    assert run(two[0], "--facet", f"issuer={MFA}").output.startswith("40 statements")
    assert run(two[1], "--facet", "session=74").output.startswith("3 statements")
    refused = run(two[1], "--facet", f"issuer={MFA}")
    assert refused.exit_code == 2 and "this index declares: collection, session" in refused.output
    assert run(two[0], "--facet", "issuer=Ministry of Trade").output.startswith("1 statements")
