"""Metadata a corpus declares: further keys kept and shown, folder defaults
(`_collection.json`), facets declared in `statements.toml` as filters of the
API, the query syntax and the CLI, with counts a brute force agrees with; bad
settings reported, and a changed declaration asking for a rebuild."""

from __future__ import annotations

import ast
import json
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from indexer.build import update_index
from search import declared, fields
from search.__main__ import main as search_cli
from search.errors import IndexingError
import webui

SETTINGS = """
[[facet]]
name = "issuer"
label = "Issuer"

[[facet]]
name = "country"
label = "Country"

[[facet]]
name = "session"
label = "Session"
kind = "integer"

[[facet]]
name = "topics"
label = "Topics"
multi = true
"""

SPEECH = "Statement on the general debate\n\nThe delegation spoke on {} and development.\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_corpus(root: Path) -> Path:
    write(root / "statements.toml", SETTINGS)
    write(root / "un" / "_collection.json", json.dumps({"collection": "UN General Debate",
                                                          "type": "speech", "session": 74}))
    write(root / "un" / "s75" / "_collection.json", json.dumps({"session": 75}))
    for n, (iso, country) in enumerate([("CAN", "Canada"), ("BRA", "Brazil"), ("AZE", "Azerbaijan")]):
        write(root / "un" / "s74" / f"{iso}.txt", SPEECH.format(f"climate {n}"))
        write(root / "un" / "s74" / f"{iso}.meta.json", json.dumps({"country": country, "post": "Minister"}))
        write(root / "un" / "s75" / f"{iso}.txt", SPEECH.format(f"oceans {n}"))
        write(root / "un" / "s75" / f"{iso}.meta.json", json.dumps({"country": country, "speaker": f"Speaker {n}"}))
    # The file's own metadata wins over its folder's: this one is of session 76.
    write(root / "un" / "s75" / "late.txt", SPEECH.format("peace"))
    write(root / "un" / "s75" / "late.meta.json", json.dumps({"session": 76, "country": "Canada"}))
    records = [
        {"id": "a", "text": "Press release on elections.", "issuer": "Ministry\u0007 of Foreign Affairs",
         "topics": ["elections", "law"]},
        {"id": "b", "text": "Press release on the ceasefire.", "issuer": "Ministry of Foreign Affairs",
         "topics": ["peace"], "type": "press release", "weight": 2.5},
        {"id": "c", "text": "Press release on trade.", "issuer": "Ministry of Trade", "topics": "trade"},
    ]
    write(root / "mfa" / "releases.jsonl", "\n".join(json.dumps(r) for r in records) + "\n")
    write(root / "notes" / "memo.md", "---\ntitle: A memo\nissuer: Cabinet Office\n---\n\nA memo on law.\n")
    return root


@pytest.fixture
def built(tmp_path):
    corpus = make_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    summary = update_index(corpus, index_dir)
    assert summary.problems == [] and summary.failed == 0, summary.problems
    return corpus, index_dir, summary


@pytest.fixture
def client(built):
    from webui import create_app

    app = create_app({"TESTING": True, "INDEX_DIR": str(built[1])})
    return app.test_client()


def all_metadata(client) -> dict[str, dict]:
    hits = client.get("/api/search?per_page=100").get_json()["hits"]
    return {h["id"]: client.get(f"/api/documents/{quote(h['id'])}").get_json()["metadata"] for h in hits}


def test_metadata_is_kept_inherited_and_shown(client, built):
    meta = all_metadata(client)
    assert len(meta) == 11
    assert meta["un/s74/CAN.txt"] == {"collection": "UN General Debate", "type": "speech",
                                      "session": 74, "country": "Canada", "post": "Minister"}
    assert meta["un/s75/BRA.txt"]["session"] == 75  # the nearer folder wins
    assert meta["un/s75/late.txt"]["session"] == 76  # the file's own metadata wins
    assert meta["mfa/releases.jsonl#a"]["issuer"] == "Ministry of Foreign Affairs"  # no control character
    assert meta["mfa/releases.jsonl#a"]["topics"] == ["elections", "law"]
    assert meta["mfa/releases.jsonl#a"]["collection"] == "mfa"  # the top folder
    assert "weight" not in meta["mfa/releases.jsonl#b"]  # a float: left out, with a warning
    assert any('"weight"' in w.reason for w in built[2].warnings)
    assert meta["notes/memo.md"]["issuer"] == "Cabinet Office"  # front matter
    page = client.get("/doc/un/s75/CAN.txt").get_data(as_text=True)
    assert "Speaker 0" in page and 'href="/?country=Canada"' in page


def test_facet_counts_equal_a_brute_force_count(client):
    meta = all_metadata(client)
    facets = client.get("/api/search?per_page=1").get_json()["facets"]
    for name in ("collection", "issuer", "country", "session", "topics"):
        brute = Counter(v for m in meta.values() if name in m
                        for v in (m[name] if isinstance(m[name], list) else [m[name]]))
        assert {f["value"]: f["count"] for f in facets[name]} == dict(brute), name
    assert {f["value"] for f in facets["session"]} == {74, 75, 76}  # integers


def test_a_filter_agrees_with_its_facet(client):
    facets = client.get("/api/search?per_page=1").get_json()["facets"]
    for name in ("country", "session", "topics", "collection"):
        for value in facets[name]:
            body = client.get("/api/search", query_string={name: value["value"]}).get_json()
            assert body["total"] == value["count"], (name, value)
            # The query syntax finds the same statements.
            syntax = client.get("/api/search", query_string={"q": f'{name}:"{value["value"]}"'})
            assert syntax.get_json()["total"] == value["count"], (name, value)
    # Values of one facet are alternatives, and its counts stay (multi-select).
    body = client.get("/api/search?country=Canada&country=Brazil").get_json()
    assert body["total"] == 5
    assert {f["value"] for f in body["facets"]["country"]} == {"Canada", "Brazil", "Azerbaijan"}
    assert body["filters"]["country"] == ["Canada", "Brazil"]
    assert client.get("/api/search?session=x").status_code == 400
    described = {f["name"]: f for f in client.get("/api").get_json()["filters"]}
    assert described["issuer"]["declared"] and "issuer" in client.get("/api").get_json()["parameters"]
    sidebar = client.get("/?q=").get_data(as_text=True)
    assert 'id="facet-country"' in sidebar and "Ministry of Trade" in sidebar


def test_the_cli_takes_declared_facets(built):
    _corpus, index_dir, _ = built
    result = CliRunner().invoke(search_cli, ["", "--index", str(index_dir), "--facet", "country=Canada"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("3 statements")
    bad = CliRunner().invoke(search_cli, ["", "--index", str(index_dir), "--facet", "planet=Mars"])
    assert bad.exit_code == 2 and "planet=Mars" in bad.output and "issuer" in bad.output


def test_a_bad_collection_file_is_reported_and_nothing_else_lost(tmp_path):
    corpus = make_corpus(tmp_path / "corpus")
    write(corpus / "un" / "s75" / "_collection.json", '{"session": 75,')
    summary = update_index(corpus, tmp_path / "index")
    assert summary.documents == 11 and summary.failed == 0
    assert any("_collection.json" in w.reason and "not applied" in w.reason for w in summary.warnings)


@pytest.mark.parametrize("settings, said", [
    ("[[facet]]\nname = ", "cannot be read"),
    ('[[facet]]\nname = "Issuer"\n', "lower-case"),
    ('[[facet]]\nname = "year"\n', "filter of the search itself"),
    ('[[facet]]\nname = "issuer"\nkind = "date"\n', "kind must be one of"),
    ('[[facet]]\nname = "issuer"\ncolour = "red"\n', "unknown keys colour"),
    ('[facets.issuer]\nlabel = "Issuer"\n', r"unknown keys facets; declare each facet as a \[\[facet\]\]"),
    ('[[facet]]\nname = "issuer"\nlabel = "' + "L" * 101 + '"\n', "label must be text of 1 to 100"),
    ("a = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deep"),
    ("credits = " + repr("c" * 501) + "\n", "credits must be text of at most 500"),
])
def test_bad_settings_are_reported_and_nothing_is_written(tmp_path, settings, said):
    corpus = make_corpus(tmp_path / "corpus")
    write(corpus / "statements.toml", settings)
    with pytest.raises(IndexingError, match=said) as err:
        update_index(corpus, tmp_path / "index")
    assert "statements.toml" in str(err.value) and err.value.exit_code == 2
    assert not (tmp_path / "index").exists() or not any((tmp_path / "index").iterdir())


@pytest.mark.parametrize("name", fields.VIEW_PARAMS)
def test_a_facet_cannot_take_a_views_parameter(tmp_path, name):
    corpus = make_corpus(tmp_path / "corpus")
    write(corpus / "statements.toml", f'[[facet]]\nname = "{name}"\n')
    with pytest.raises(IndexingError, match="filter of the search itself"):
        update_index(corpus, tmp_path / "index")


def _parameters_read(tree) -> set[str]:
    """The names the web layer reads from a request: `args.get("x")`, `args.getlist("x")`,
    and its readers' `reader(args, "x", …)` (`_whole`, `_choice`, `switch`)."""
    names = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func, args = node.func, node.args
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if called in ("get", "getlist") and args and _is_request_args(func.value):
            first = args[0]
        elif len(args) >= 2 and getattr(args[0], "id", "") == "args":
            first = args[1]
        else:
            continue
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            names.add(first.value)
    return names


def _is_request_args(node) -> bool:
    return (isinstance(node, ast.Name) and node.id == "args") or (
        isinstance(node, ast.Attribute) and node.attr == "args")


def test_every_parameter_the_web_layer_reads_is_reserved():
    from search.views import VIEWS

    read = set()
    for path in (Path(webui.__file__).parent).glob("*.py"):
        read |= _parameters_read(ast.parse(path.read_text(encoding="utf-8")))
    assert {"q", "size", "bom"} <= read  # (the walk finds them)
    # The search's and the views' own, as declared (webui.params and webui.views read them).
    read |= {p.name for p in fields.SEARCH_PARAMS} | {p.name for v in VIEWS for p in v.params}
    assert {"split", "sample", "width"} <= read
    assert read - fields.RESERVED == set()


def test_the_footer_credits_the_corpus_it_shows(tmp_path):
    """Every page's footer says what statements.toml's `credits` says, and nothing
    of another corpus's sources when it says nothing."""
    from webui import create_app

    corpus = make_corpus(tmp_path / "corpus")
    client = None
    for n, credits in enumerate(['credits = "Sources: the Ministry of Silly Walks (CC0)."\n', ""]):
        write(corpus / "statements.toml", credits + SETTINGS)
        update_index(corpus, tmp_path / "index")  # (the second run changes only the credits)
        client = client or create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")}).test_client()
        html = client.get("/?q=x").get_data(as_text=True)  # (the same server: no restart)
        footer = html[html.index('<footer class="site">'):]
        assert ("Ministry of Silly Walks" in footer) == (n == 0)
        assert "Meduza" not in footer and "General Debate" not in footer


def test_a_byte_order_mark_before_the_settings_is_no_fault(tmp_path):
    corpus = make_corpus(tmp_path / "corpus")
    (corpus / "statements.toml").write_text("\ufeff" + SETTINGS, encoding="utf-8")
    assert update_index(corpus, tmp_path / "index").failed == 0
    assert [d.name for d in declared.read(tmp_path / "index")][:2] == ["collection", "issuer"]


def test_a_changed_declaration_asks_for_a_rebuild(built):
    corpus, index_dir, _ = built
    write(corpus / "statements.toml", SETTINGS.replace('name = "country"', 'name = "post"'))
    with pytest.raises(IndexingError) as err:
        update_index(corpus, index_dir)
    message = str(err.value)
    assert "--rebuild" in message and "post (keyword) added" in message and "country (keyword) removed" in message
    assert [d.name for d in declared.read(index_dir)] == ["collection", "issuer", "country", "session", "topics"]
    summary = update_index(corpus, index_dir, rebuild=True)
    assert summary.documents == 11
    assert "post" in [d.name for d in declared.read(index_dir)]


def test_a_new_label_needs_no_rebuild(built):
    corpus, index_dir, _ = built
    write(corpus / "statements.toml", SETTINGS.replace('label = "Country"', 'label = "Member State"'))
    summary = update_index(corpus, index_dir)
    assert summary.added == 0 and any("no rebuild needed" in w.reason for w in summary.warnings)
    assert {d.name: d.label for d in declared.read(index_dir)}["country"] == "Member State"
