"""Indexing on Dask: a real LocalCluster of 2 worker processes writes the same
index as the one-process build, and the same analysed corpus as this process
writes it, even when a worker is killed mid-job; files that cannot be read are
reported as the one-process build reports them."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.__main__ import main
from indexer.analysed import fields_of
from indexer.build import update_index
from search import schema as S
from search.exec import storage
from search.analysed import read_rows

pytestmark = pytest.mark.timeout(600)  # (a cluster's start takes seconds on a busy machine)
distributed = pytest.importorskip("distributed")
from indexer.cluster import connect, default_analysed, update_on_cluster  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SPEECHES = ("ARM", "AZE", "GBR", "SWE")


def make_corpus(root: Path) -> Path:
    """A small corpus from the shipped one (bilingual, Ukrainian, English speeches, JSON
    records), with a damaged PDF and a broken JSON line."""
    shipped = ROOT / "corpus"
    root.mkdir(parents=True)
    shutil.copy(shipped / "statements.toml", root)
    for folder in ("seed", "president-ua"):
        shutil.copytree(shipped / folder, root / folder)
    (root / "ungdc").mkdir()
    shutil.copy(shipped / "ungdc" / "_collection.json", root / "ungdc")
    for country in SPEECHES:
        for path in (shipped / "ungdc" / "session74_2019").glob(f"{country}_74_2019.*"):
            shutil.copy(path, root / "ungdc")
    lines = (shipped / "meduza" / "golunov_meduza_articles.jsonl").read_text(encoding="utf-8")
    (root / "records.jsonl").write_text("".join(lines.splitlines(True)[:3]) + "{broken\n",
                                        encoding="utf-8")
    (root / "damaged.pdf").write_bytes(b"%PDF-1.4 not a PDF at all")
    return root


def contents(index_dir: Path) -> dict:
    """Everything an index holds: stored fields, every term's postings, field lengths,
    the statement columns and the vocabulary."""
    ix, vocabulary = storage.open_indexes(str(index_dir))
    found = {}
    with ix.reader() as reader:
        found["stored"] = list(reader.all_stored_fields())
        postings = {}
        for fieldname, term in reader.all_terms():
            matcher, items = reader.postings(fieldname, term), []
            while matcher.is_active():
                items.append((matcher.id(), matcher.value()))
                matcher.next()
            postings[(fieldname, term)] = items
        found["postings"] = postings
        found["lengths"] = {f: [reader.doc_field_length(d, f) for d in reader.all_doc_ids()]
                            for f in S.TEXT_FIELDS}
        found["columns"] = {c: storage.read_column(reader, c) for c in S.STATEMENT_COLUMNS}
    with vocabulary.reader() as reader:
        found["vocabulary"] = storage.vocabulary_words(reader)
    ix.close()
    vocabulary.close()
    return found


def reported(summary) -> dict:
    done = summary.as_dict()
    done.pop("seconds")
    return done


@pytest.fixture(scope="module")
def client():
    client = connect(workers=2)
    yield client
    client.close()
    client.close_cluster()


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The corpus built by one process: the plain index, and the analysed corpus this process writes."""
    where = tmp_path_factory.mktemp("reference")
    corpus = make_corpus(where / "corpus")
    plain = update_index(corpus, where / "plain")
    analysed = update_on_cluster(corpus, where / "here")
    assert reported(plain) == reported(analysed)
    return {"corpus": corpus, "summary": reported(plain), "index": contents(where / "plain"),
            "rows": read_rows(default_analysed(where / "here"))}


def test_the_cluster_writes_the_one_process_index_and_analysed_corpus(client, reference, tmp_path):
    summary = update_on_cluster(reference["corpus"], tmp_path / "index", client=client, batch=2)
    assert reported(summary) == reference["summary"]
    assert summary.added == 11 and len(summary.problems) == 2
    assert {p.path for p in summary.problems} == {"damaged.pdf", "records.jsonl:4"}
    assert contents(tmp_path / "index") == reference["index"]
    rows = read_rows(default_analysed(tmp_path / "index"))
    assert rows == reference["rows"]
    ids = {row["id"] for row in rows}
    assert len(ids) == 11 and "seed/000_2961365e15364d64.txt" in ids


def test_a_worker_killed_mid_job_changes_nothing(client, reference, tmp_path):
    before = client.run(os.getpid)
    killed = []

    def kill_one(done: int, total: int) -> None:
        if not killed:
            assert done < total  # (work is left for the workers)
            pid = next(iter(before.values()))
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    summary = update_on_cluster(reference["corpus"], tmp_path / "index", client=client, batch=1,
                                progress=kill_one)
    assert killed
    client.wait_for_workers(2, timeout=60)
    assert killed[0] not in client.run(os.getpid).values()  # (the nanny started another)
    assert reported(summary) == reference["summary"]
    assert contents(tmp_path / "index") == reference["index"]
    assert read_rows(default_analysed(tmp_path / "index")) == reference["rows"]


def test_incremental_runs_on_the_cluster_do_what_one_process_does(client, reference, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(reference["corpus"], corpus)
    update_index(corpus, tmp_path / "plain")
    update_on_cluster(corpus, tmp_path / "cluster", client=client)
    (corpus / "ungdc" / "SWE_74_2019.txt").unlink()
    (corpus / "ungdc" / "SWE_74_2019.meta.json").unlink()
    (corpus / "new.txt").write_text("A new statement\n\nThe ceasefire holds.", encoding="utf-8")
    seed = next((corpus / "seed").glob("*.txt"))
    seed.write_text(seed.read_text(encoding="utf-8") + "\n\nOne more paragraph.", encoding="utf-8")
    plain = update_index(corpus, tmp_path / "plain")
    on_cluster = update_on_cluster(corpus, tmp_path / "cluster", client=client)
    assert reported(on_cluster) == reported(plain)
    assert (plain.added, plain.updated, plain.removed, plain.unchanged) == (1, 1, 1, 9)
    assert len(plain.problems) == 2  # (the broken line is read and reported again)
    assert contents(tmp_path / "cluster") == contents(tmp_path / "plain")
    update_on_cluster(corpus, tmp_path / "again", client=None)
    assert read_rows(default_analysed(tmp_path / "cluster")) == \
        read_rows(default_analysed(tmp_path / "again"))


def test_an_index_without_an_analysed_corpus_gets_one_without_writing_the_index(client, reference, tmp_path):
    update_index(reference["corpus"], tmp_path / "index")
    summary = update_on_cluster(reference["corpus"], tmp_path / "index", client=client)
    assert summary.commits == 0 and summary.unchanged == 11
    assert read_rows(default_analysed(tmp_path / "index")) == reference["rows"]


def test_the_index_is_written_from_the_rows_tokens(reference, tmp_path):
    """The index takes a row's lemmas as they are: a lemma changed in the row is the one indexed."""
    from whoosh import index as whoosh_index

    row = next(r for r in reference["rows"] if r["tokens_en"])
    row = {**row, "tokens_en": [{**t, "lemmas": ["zzchanged"]} for t in row["tokens_en"]]}
    ix = whoosh_index.create_in(str(tmp_path), S.build_schema())
    with ix.writer() as writer:
        writer.add_document(**fields_of(row))
    with ix.searcher() as searcher:
        assert searcher.doc_frequency(S.BODY["en"], "zzchanged") == 1
        assert searcher.doc_frequency(S.BODY["en"], "=" + row["tokens_en"][0]["form"]) == 1
    ix.close()


def test_the_command_line_indexes_on_a_running_cluster(client, reference, tmp_path):
    address = client.scheduler.address
    index, analysed = tmp_path / "index", tmp_path / "corpus.parquet"
    result = CliRunner().invoke(main, ["--corpus", str(reference["corpus"]), "--index", str(index),
                                       "--scheduler", address, "--analysed", str(analysed), "-q"])
    assert result.exit_code == 1, result.output  # (two files could not be read)
    assert "failed: damaged.pdf: damaged PDF" in result.stderr
    assert "added 11," in result.stdout
    assert read_rows(analysed) == reference["rows"]


def test_without_the_extra_workers_are_refused_by_name(tmp_path):
    code = ("import sys; sys.modules['distributed'] = sys.modules['dask'] = None; "
            "sys.modules['pyarrow'] = None; from indexer.__main__ import main; "
            f"main(['--corpus', {str(ROOT / 'corpus')!r}, '--index', {str(tmp_path / 'ix')!r}, "
            "'--workers', '2'])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "[cluster]" in done.stderr and "Traceback" not in done.stderr
