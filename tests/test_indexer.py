"""The indexer: incremental runs, bad files, locking and the command line."""

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from whoosh import fields
from whoosh import index as whoosh_index
from whoosh import query as wq

from indexer.__main__ import main
from indexer.build import update_index
from indexer.lock import indexer_lock
from search import schema as S
from search.engine import IndexUnusable, SearchIndex
from search.errors import IndexingError, IndexLocked
from tests import corpus_tools

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "seed" / "000_2961365e15364d64.txt"


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    shutil.copy(SEED, root / "seed.txt")
    (root / "a.txt").write_text("Statement A\n\nThe Ministry welcomes the agreement.", encoding="utf-8")
    (root / "b.md").write_text("# Statement B\n\nЗаявление о переговорах.", encoding="utf-8")
    return root


@pytest.fixture
def index(tmp_path):
    return tmp_path / "index"


def stored(index_dir):
    """{id: stored fields and texts} of what the index holds."""
    return corpus_tools.stored(index_dir)


def index_files(index_dir):
    return {p.name: p.stat().st_mtime_ns for p in Path(index_dir).iterdir()}


def test_first_run_adds_everything(corpus, index):
    summary = update_index(corpus, index)
    assert (summary.added, summary.updated, summary.removed, summary.unchanged, summary.failed) == (3, 0, 0, 0, 0)
    assert sorted(stored(index)) == ["a.txt", "b.md", "seed.txt"]


def test_second_run_touches_nothing(corpus, index):
    update_index(corpus, index)
    before = index_files(index)
    summary = update_index(corpus, index)
    assert (summary.added, summary.updated, summary.removed, summary.unchanged) == (0, 0, 0, 3)
    assert summary.commits == 0
    assert index_files(index) == before


def test_changed_added_and_deleted_files(corpus, index):
    update_index(corpus, index)
    (corpus / "a.txt").write_text("Statement A\n\nThe Ministry regrets the decision.", encoding="utf-8")
    (corpus / "b.md").unlink()
    (corpus / "c.txt").write_text("Statement C\n\nNew text.", encoding="utf-8")
    os.utime(corpus / "seed.txt")  # touched, not changed
    summary = update_index(corpus, index)
    assert (summary.added, summary.updated, summary.removed, summary.unchanged) == (1, 1, 1, 1)
    docs = stored(index)
    assert sorted(docs) == ["a.txt", "c.txt", "seed.txt"]
    assert "regrets" in docs["a.txt"][S.BODY["en"]]


def test_unreadable_file_keeps_its_old_statement(corpus, index):
    update_index(corpus, index)
    (corpus / "a.txt").write_bytes(b"\x00\x01binary now")
    summary = update_index(corpus, index)
    assert summary.failed == 1 and summary.exit_code == 1
    assert "binary" in summary.problems[0].reason
    assert "welcomes" in stored(index)["a.txt"][S.BODY["en"]]


def test_records_file_with_a_broken_line_is_reported_every_run(corpus, index):
    (corpus / "r.jsonl").write_text('{"id": "1", "text": "good"}\n{broken\n', encoding="utf-8")
    first = update_index(corpus, index)
    second = update_index(corpus, index)
    assert first.failed == second.failed == 1
    assert "r.jsonl#1" in stored(index)


def test_translation_pair_and_sidecar(tmp_path, index):
    corpus = tmp_path / "pairs"
    corpus.mkdir()
    text = SEED.read_text(encoding="utf-8")
    english, russian = text.split("\n\n\nЗаявление")
    (corpus / "064-20.en.txt").write_text(english, encoding="utf-8")
    (corpus / "064-20.ru.txt").write_text("Заявление" + russian, encoding="utf-8")
    (corpus / "064-20.meta.json").write_text(json.dumps({"title": "Given title"}), encoding="utf-8")
    update_index(corpus, index)
    docs = stored(index)
    assert list(docs) == ["064-20.txt"]
    doc = docs["064-20.txt"]
    assert doc[S.TITLE] == "Given title"
    assert doc[S.DATE] == "2020-03-31" and doc[S.DOCNO] == "064/20"
    assert doc[S.LANG] == "en ru"
    assert doc[S.SOURCES] == ["064-20.en.txt", "064-20.ru.txt"]


def test_invalid_given_date_is_a_warning(corpus, index):
    (corpus / "a.meta.json").write_text('{"date": "someday"}', encoding="utf-8")
    summary = update_index(corpus, index)
    assert summary.failed == 0 and len(summary.warnings) == 1
    assert "YYYY-MM-DD" in summary.warnings[0].reason


def test_statement_found_in_each_language(index_dir):
    ix = whoosh_index.open_dir(str(index_dir))
    with ix.searcher() as s:
        ru = {s.stored_fields(d)[S.ID] for d in s.docs_for_query(wq.Term(S.BODY["ru"], "выборы"))}
        en = {s.stored_fields(d)[S.ID] for d in s.docs_for_query(wq.Term(S.BODY["en"], "elect"))}
    assert "seed/000_2961365e15364d64.txt" in ru
    assert "seed/000_2961365e15364d64.txt" in en


def test_rebuild_replaces_everything_in_one_commit(corpus, index):
    update_index(corpus, index)
    (corpus / "b.md").unlink()
    summary = update_index(corpus, index, rebuild=True)
    assert summary.commits == 1 and summary.added == 2
    assert sorted(stored(index)) == ["a.txt", "seed.txt"]


def test_commit_every_keeps_progress(corpus, index):
    summary = update_index(corpus, index, commit_every=1)
    assert summary.commits == 3


def test_a_run_commits_every_so_many_statements_but_not_sooner_than_a_minute_apart(
        tmp_path, index, monkeypatch):
    """Without --commit-every, commits come after COMMIT_EVERY statements and
    COMMIT_SECONDS since the last: a first build of a large corpus does not
    spend itself on commits (each merges segments)."""
    from indexer import build

    corpus = corpus_tools.small_corpus(tmp_path / "corpus", 12, chars=200)
    monkeypatch.setattr(build, "COMMIT_EVERY", 2)
    assert update_index(corpus, index).commits == 1  # (12 statements in well under a minute)
    assert update_index(corpus, tmp_path / "given", commit_every=2).commits == 6
    monkeypatch.setattr(build, "COMMIT_SECONDS", 0.0)
    summary = update_index(corpus, tmp_path / "no floor")
    assert summary.commits == 6 and summary.added == 12


def test_two_processes_index_the_same(corpus, index, tmp_path):
    update_index(corpus, index, procs=2)
    single = tmp_path / "single"
    update_index(corpus, single)
    assert stored(index).keys() == stored(single).keys()


def test_refuses_a_directory_that_is_not_an_index(corpus, tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "thesis.docx").write_text("mine")
    with pytest.raises(IndexingError, match="not empty"):
        update_index(corpus, tmp_path / "busy")
    assert (tmp_path / "busy" / "thesis.docx").read_text() == "mine"


def _with_old_vocabulary(index):
    """Makes `index` look built by schema version 2, whose vocabulary indexed its words."""
    for path in Path(index).iterdir():
        if path.name.startswith(f"_{S.VOCABULARY_INDEX}_") or path.name.startswith(f"{S.VOCABULARY_INDEX}_"):
            path.unlink()
    old = whoosh_index.create_in(str(index), fields.Schema(**{S.WORDS: S.WordsField()}),
                                 indexname=S.VOCABULARY_INDEX)
    with old.writer() as writer:
        writer.add_document(**{S.WORDS: "agreement ministry"})


def test_an_index_of_another_version_is_refused_until_rebuilt(corpus, index):
    update_index(corpus, index)
    _with_old_vocabulary(index)
    with pytest.raises(IndexingError, match="another version.*--rebuild"):
        update_index(corpus, index)
    with pytest.raises(IndexUnusable, match="--rebuild"):
        SearchIndex(index)
    assert update_index(corpus, index, rebuild=True).added == 3
    with SearchIndex(index) as rebuilt:
        assert rebuilt.search("agrement~").total == 1
        assert rebuilt.search("agreament").suggestion == "agreement"


def test_locked_index(corpus, index):
    update_index(corpus, index)
    with indexer_lock(index):
        with pytest.raises(IndexLocked, match="--wait"):
            update_index(corpus, index, wait=0.3)


# --- the command line ---------------------------------------------------------------


def run_cli(*args, env=None):
    """The command line, run in-process; stdout and stderr apart."""
    clean = {name: None for name in os.environ if name.startswith("STATEMENTS_")}
    return CliRunner().invoke(main, list(args), env={**clean, **(env or {})},
                              prog_name="python -m indexer")


def test_cli_exit_0_and_summary(corpus, index):
    result = run_cli("--corpus", str(corpus), "--index", str(index))
    assert result.exit_code == 0, result.stderr
    assert "added 3, updated 0, removed 0, unchanged 0, failed 0" in result.stdout


def test_cli_exit_1_names_the_bad_file(corpus, index):
    (corpus / "empty.txt").write_bytes(b"")
    result = run_cli("--corpus", str(corpus), "--index", str(index))
    assert result.exit_code == 1
    assert "failed: empty.txt: empty file" in result.stderr
    assert "added 3" in result.stdout


def test_cli_exit_2_on_bad_arguments(index, tmp_path):
    result = run_cli("--corpus", str(tmp_path / "missing"), "--index", str(index))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert run_cli("--procs", "0").exit_code == 2


def test_cli_exit_2_when_locked(corpus, index):
    update_index(corpus, index)
    with indexer_lock(index):
        result = run_cli("--corpus", str(corpus), "--index", str(index))
    assert result.exit_code == 2
    assert "another indexer" in result.stderr and "--wait" in result.stderr


def test_cli_reads_environment(corpus, index):
    result = run_cli("--json", env={"STATEMENTS_CORPUS": str(corpus), "STATEMENTS_INDEX": str(index)})
    assert result.exit_code == 0
    assert json.loads(result.stdout)["added"] == 3


def test_cli_help_has_an_example():
    result = run_cli("--help")
    assert result.exit_code == 0 and "Example:" in result.stdout
