"""Faults: the indexer killed mid-run, bad files in the corpus, a full disk, a read-only index.

Whatever happens, the index opens, holds exactly the statements of its last
commit (and a vocabulary that covers them), and the next run converges to
what a fresh full build gives.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.__main__ import main
from indexer.build import update_index
from search import declared
from search.errors import IndexingError
from search.engine import SearchIndex
from tests.corpus_tools import (
    ROOT,
    indexer_command,
    run_indexer,
    small_corpus,
    snapshot,
    statement_text,
    stored,
    uncovered_words,
    write_statements,
)

COMMIT_EVERY = 4
CRASH_TRIALS = 20
CRASH_SEED = 20240611
QUERIES = ["москва", "года", '"general assembly"', "climate OR климат", "пра*", "assembli~", "", "sustainable -climate"]


def cli(corpus, index_dir, *args) -> subprocess.CompletedProcess:
    """`python -m indexer` run in-process, as a finished process would report it
    (an exception the command did not turn into a message shows as a traceback)."""
    env = {name: None for name in os.environ if name.startswith("STATEMENTS_")}
    result = CliRunner().invoke(main, ["--corpus", str(corpus), "--index", str(index_dir), *args],
                                env=env, prog_name="python -m indexer")
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "Traceback (most recent call last):\n" + "".join(
            traceback.format_exception(*result.exc_info))
    return subprocess.CompletedProcess(["python -m indexer", *args], result.exit_code,
                                       result.stdout, stderr)


# --- corpora and their reference indexes ---------------------------------------------------


def version_one(dest: Path) -> Path:
    """30 short statements, s000.txt … s029.txt."""
    return small_corpus(dest, 30, chars=400)


def version_two(dest: Path) -> Path:
    """Version one with every third statement revised, three deleted and ten added.

    The added names sort between the old ones, so commits mix updates and additions.
    """
    names = {}
    for i in range(30):
        if 22 <= i < 25:
            continue  # deleted
        revision = "Revised: the delegation later added a reservation." if i % 3 == 0 else ""
        names[f"s{i:03d}.txt"] = statement_text(i, 400, revision)
        if i % 3 == 1:
            names[f"s{i:03d}b.txt"] = statement_text(100 + i, 300)
    return write_statements(dest, names)


def results(index_dir) -> dict[str, tuple[int, dict[str, float]]]:
    """For each test query: (total, {id: score}) over every hit."""
    out = {}
    with SearchIndex(index_dir) as index:
        for q in QUERIES:
            result = index.search(q, per_page=100, facets=False, with_snippets=False)
            out[q] = (result.total, {h.id: h.score for h in result.hits})
    return out


def same_results(found, expected, scores: bool) -> None:
    for q, (total, hits) in expected.items():
        assert found[q][0] == total, f"{q!r}: {found[q][0]} statements, a fresh build finds {total}"
        assert found[q][1].keys() == hits.keys(), q
        if scores:
            for doc_id, score in hits.items():
                if score is None:
                    assert found[q][1][doc_id] is None, (q, doc_id)
                else:
                    # Whoosh merges segments' field lengths from their one-byte
                    # per-document approximations, so an index built in several
                    # commits scores a little differently from a one-commit build.
                    assert found[q][1][doc_id] == pytest.approx(score, rel=0.02), (q, doc_id)


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """Both corpus versions, their fresh full builds and the stored fields of each."""
    root = tmp_path_factory.mktemp("versions")
    v1, v2 = version_one(root / "v1"), version_two(root / "v2")
    ref1, ref2 = root / "ref1", root / "ref2"
    assert update_index(v1, ref1).problems == []
    assert update_index(v2, ref2).problems == []
    return {
        "v1": v1, "v2": v2, "ref1": ref1, "ref2": ref2,
        "docs1": stored(ref1), "docs2": stored(ref2),
        "results1": results(ref1), "results2": results(ref2),
    }


def commit_states(before: dict, after: dict, every: int) -> list[dict]:
    """Every state an interrupted run from `before` to `after` may leave.

    Groups are written in sorted key order, a commit after every `every`
    changed statements (here one statement per file) and a last commit with
    the rest and the removals.
    """
    ops = sorted(k for k in after if before.get(k) != after[k])
    states = []
    for done in range(0, len(ops), every):
        states.append({**before, **{k: after[k] for k in ops[:done]}})
    if ops and len(ops) % every == 0:
        states.append({**before, **{k: after[k] for k in ops}})
    states.append(after)
    return states


def check_consistent(index_dir: Path, states: list[dict], where: str) -> int:
    """The index holds exactly one of the allowed states, and its vocabulary covers it.

    Returns the number of the state it holds.
    """
    docs = stored(index_dir)
    if docs is None:
        assert {} in states, f"{where}: no index at all, but a commit was expected"
        return states.index({})
    matching = [n for n, state in enumerate(states) if docs == state]
    if not matching:
        near = min(range(len(states)), key=lambda n: len(set(docs) ^ set(states[n])))
        differ = sorted(k for k in set(docs) | set(states[near]) if docs.get(k) != states[near].get(k))
        pytest.fail(f"{where}: the index holds no committed state; nearest commit {near} differs in {differ}")
    missing = uncovered_words(index_dir)
    assert not missing, f"{where}: the vocabulary lacks words of committed statements: {sorted(missing)[:10]}"
    if docs:  # without statements: test_an_index_without_statements_answers_and_then_serves_the_first_commit
        with SearchIndex(index_dir) as index:
            assert index.search("").total == len(docs)
            index.search("москва OR assembly")
    return matching[0]


# --- killed at random moments ---------------------------------------------------------------


def _timed_run(corpus, index_dir) -> float:
    started = time.monotonic()
    result = run_indexer(corpus, index_dir, "--commit-every", str(COMMIT_EVERY), "-q")
    assert result.returncode == 0, result.stderr
    return time.monotonic() - started


def _generation(index_dir: Path) -> int:
    """The newest commit of the statements index in `index_dir` (-1: none yet)."""
    found = [int(m[1]) for name in (os.listdir(index_dir) if index_dir.is_dir() else ())
             if (m := re.fullmatch(r"_MAIN_(\d+)\.toc", name))]
    return max(found, default=-1)


def _kill_after_commits(proc, index_dir: Path, commits: int, timeout: float) -> None:
    """SIGKILL `proc` as soon as its run has made `commits` commits of statements
    (a first build's creation of the empty index is not one)."""
    target = max(_generation(index_dir), 0) + commits
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline and _generation(index_dir) < target:
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)


def test_killed_indexer_leaves_its_last_commit_and_the_next_run_converges(versions, tmp_path):
    """SIGKILL at seeded random moments of a first build and of an incremental
    update, and right after a run's first or second commit (so that kills are
    sure to land between its commits, however fast this machine is today)."""
    # How long an uninterrupted run takes here, so the kills spread over all of it.
    durations = {
        "build": _timed_run(versions["v1"], tmp_path / "calibrate-build"),
        "update": None,
    }
    shutil.copytree(versions["ref1"], tmp_path / "calibrate-update")
    durations["update"] = _timed_run(versions["v2"], tmp_path / "calibrate-update")
    assert stored(tmp_path / "calibrate-build") == versions["docs1"]
    assert stored(tmp_path / "calibrate-update") == versions["docs2"]

    started = time.monotonic()
    subprocess.run([sys.executable, "-c", "import indexer.__main__"], check=True, cwd=ROOT)
    startup = time.monotonic() - started

    rng = random.Random(CRASH_SEED)
    middle = set()  # (scenario, state) of kills that left a commit between first and last
    for trial in range(CRASH_TRIALS):
        scenario = "build" if trial % 2 == 0 else "update"
        index_dir = tmp_path / f"trial-{trial:02d}"
        if scenario == "build":
            corpus, before, after = versions["v1"], {}, versions["docs1"]
            expected = versions["results1"]
        else:
            shutil.copytree(versions["ref1"], index_dir)
            corpus, before, after = versions["v2"], versions["docs1"], versions["docs2"]
            expected = versions["results2"]
        # Most kills land at a random moment while the indexer works, some while
        # it starts, and every fifth right after its first or second commit.
        earliest = 0.05 if trial % 4 == 3 else startup
        delay = rng.uniform(earliest, durations[scenario])
        proc = subprocess.Popen(
            indexer_command(corpus, index_dir, "--commit-every", str(COMMIT_EVERY), "-q"),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
        )
        if trial % 5 == 1:
            commits = 1 + trial // 10
            _kill_after_commits(proc, index_dir, commits, timeout=10 * durations[scenario])
            where = f"trial {trial} ({scenario}, killed after commit {commits} of the run)"
        else:
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            where = f"trial {trial} ({scenario}, killed after {delay:.2f} s)"
        proc.wait()

        states = commit_states(before, after, COMMIT_EVERY)
        state = check_consistent(index_dir, states, where)
        if 0 < state < len(states) - 1:
            middle.add((scenario, state))
        # The next run finishes the work: the CLI for some trials, the library for the rest.
        if trial % 5 == 4:
            result = cli(corpus, index_dir, "-q")
            assert result.returncode == 0, f"{where}: the next run failed: {result.stderr}"
        else:
            summary = update_index(corpus, index_dir)
            assert summary.problems == [], where
        assert stored(index_dir) == after, f"{where}: the next run did not converge"
        assert not uncovered_words(index_dir), where
        # A build from scratch has no deleted statements, so even the scores agree.
        same_results(results(index_dir), expected, scores=scenario == "build")
        shutil.rmtree(index_dir)

    # The kills did land in the middle of runs, not only before or after them.
    assert len(middle) >= 3, middle


# --- killed at the moments that matter ------------------------------------------------------
# tests/crash_harness.py runs the indexer with a SIGKILL armed at one exact point.

def kill_at(point: str, corpus: Path, index_dir: Path, *args) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "tests.crash_harness", point, "--corpus", str(corpus),
         "--index", str(index_dir), "--commit-every", str(COMMIT_EVERY), "-q", *args],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert result.returncode == -signal.SIGKILL, f"{point} was never reached: {result.stderr}"
    return result


def recover(corpus: Path, index_dir: Path, where: str) -> subprocess.CompletedProcess:
    """The next run; if it cannot recover by itself, the one command it names must."""
    result = cli(corpus, index_dir, "-q")
    if result.returncode != 0:
        command = re.search(r"`python -m indexer([^`]*)`", result.stderr)
        assert command, (f"{where}: the next run failed without naming the command that "
                         f"recovers (exit {result.returncode}): {result.stderr.strip()}")
        result = cli(corpus, index_dir, *command.group(1).split(), "-q")
        assert result.returncode == 0, f"{where}: `python -m indexer{command.group(1)}` failed: {result.stderr}"
    return result


@pytest.mark.parametrize(
    "point",
    [
        pytest.param("vocabulary-created"),
        "statements-created",
    ],
)
def test_first_run_killed_while_creating_the_index(versions, tmp_path, point):
    index_dir = tmp_path / "index"
    kill_at(point, versions["v1"], index_dir)
    check_consistent(index_dir, [{}], point)
    recover(versions["v1"], index_dir, point)
    assert stored(index_dir) == versions["docs1"]
    assert not uncovered_words(index_dir)


def test_a_first_build_killed_after_its_first_commit_is_finished_by_the_next_plain_run(versions, tmp_path):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(versions["v1"], corpus)
    (corpus / "statements.toml").write_text('[[facet]]\nname = "issuer"\n', encoding="utf-8")
    kill_at("first-commit-made", corpus, index_dir)
    assert 0 < len(stored(index_dir)) < len(versions["docs1"])  # (killed in the middle)
    result = cli(corpus, index_dir, "-q")
    assert result.returncode == 0, result.stderr
    assert stored(index_dir).keys() == versions["docs1"].keys()
    assert [d.name for d in declared.read(index_dir)] == ["collection", "issuer"]


@pytest.mark.parametrize("point", ["between-commits", "segment-written", "toc-written"])
def test_update_killed_at_a_commit(versions, tmp_path, point):
    index_dir = tmp_path / "index"
    shutil.copytree(versions["ref1"], index_dir)
    kill_at(point, versions["v2"], index_dir)
    check_consistent(index_dir, commit_states(versions["docs1"], versions["docs2"], COMMIT_EVERY), point)
    recover(versions["v2"], index_dir, point)
    assert stored(index_dir) == versions["docs2"]
    assert not uncovered_words(index_dir)
    same_results(results(index_dir), versions["results2"], scores=False)


def test_rebuild_killed_between_its_two_commits_keeps_the_old_index_whole(versions, tmp_path):
    index_dir = tmp_path / "index"
    shutil.copytree(versions["ref2"], index_dir)
    # Rebuild from the first version: words of the second only, like "reservation", go.
    kill_at("between-commits", versions["v1"], index_dir, "--rebuild")
    assert stored(index_dir) == versions["docs2"]  # a rebuild is one commit
    with SearchIndex(index_dir) as index:
        assert index.search("reservatio*").total == index.search("reservation").total > 0
    assert not uncovered_words(index_dir)


# --- an index with no statements ----------------------------------------------------------------


def test_an_index_without_statements_answers_and_then_serves_the_first_commit(tmp_path):
    """An empty corpus, or a first run stopped before its first commit, leaves an index
    with no statements: searches find nothing (no error), until the first commit."""
    from webui import create_app

    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    assert update_index(corpus, index_dir).documents == 0
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    with SearchIndex(index_dir) as index:
        for _ in range(2):  # the second search refreshes the first one's searcher
            assert index.search("").total == 0
            assert index.search("москва").total == 0
            assert client.get("/api/search?q=москва").status_code == 200
            assert client.get("/").status_code == 200
        small_corpus(corpus, 3)
        update_index(corpus, index_dir)
        assert index.search("").total == 3
        assert client.get("/api/search?q=").get_json()["total"] == 3


# --- bad files ------------------------------------------------------------------------------------

RUSSIAN = "Заявление Министерства иностранных дел о выборах в парламент. Ёлка у Кремля."
SECRET = "Zanzibarquokka"  # only outside the corpus


def bad_corpus(root: Path) -> tuple[Path, dict[str, str], set[str]]:
    """A corpus of good and bad files: (corpus, {bad path: reason pattern}, good ids)."""
    corpus = root / "corpus"
    outside = root / "outside"
    outside.mkdir(parents=True)
    (outside / "secret.txt").write_text(f"Secret note\n\nThe {SECRET} must not be indexed.", encoding="utf-8")
    (outside / "dir").mkdir()
    (outside / "dir" / "also-secret.txt").write_text(f"Another {SECRET} note.", encoding="utf-8")

    def put(rel, data):
        path = corpus / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    put("good/plain.txt", "Statement on the harvest\n\n12 May 2020\n\nThe ministry welcomes the harvest.")
    put("good/cp1251.txt", ("Заявление о выборах\n\n" + RUSSIAN).encode("cp1251"))
    put("good/koi8.txt", ("Заявление о ёлке\n\n" + RUSSIAN).encode("koi8_r"))
    put("good/utf16.txt", ("Заявление в UTF-16\n\n" + RUSSIAN).encode("utf-16"))
    put("good/utf16-without-bom.txt", ("Заявление в UTF-16LE\n\n" + RUSSIAN).encode("utf-16-le"))
    put("good/bom.md", "\ufeff# Briefing with a byte-order mark\n\nThe spokeswoman answered questions.")
    put("good/records.jsonl", '{"id": "a", "text": "First record about fisheries."}\n'
                              '{"id": "b", "text": \n'
                              '{"id": "c", "text": "Third record about forests."}\n')
    put("папка с пробелами/Заявление № 5 от 1 июня.txt", "О рыболовстве\n\nТекст заявления о рыболовстве.")
    put("names with spaces/a page (draft) & more.html",
        "<html><body><h1>Page with an odd name</h1><p>About the fisheries.</p></body></html>")
    os.symlink(corpus / "good" / "plain.txt", corpus / "good" / "link-inside.txt")

    put("bad/binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    put("bad/empty.txt", b"")
    put("bad/big.txt", "A statement that is far too long. " * 1000)  # 34 KB; the limit is 20 KB
    noise = random.Random(7)
    put("bad/garbage.txt", bytes(noise.randrange(0x80, 0x100) for _ in range(4000)))
    put("bad/stray-byte.txt", RUSSIAN.encode("utf-8") * 3 + b"\xff" + RUSSIAN.encode("utf-8"))
    put("bad/broken.json", '{"text": "unterminated')
    os.symlink(corpus / "bad" / "loop.txt", corpus / "bad" / "loop.txt")
    os.symlink(corpus / "bad" / "ping.txt", corpus / "bad" / "pong.txt")
    os.symlink(corpus / "bad" / "pong.txt", corpus / "bad" / "ping.txt")
    os.symlink(outside / "secret.txt", corpus / "bad" / "outside.txt")
    os.symlink(outside / "dir", corpus / "bad" / "outside-dir")
    os.symlink("../../outside/secret.txt", corpus / "bad" / "relative-outside.txt")
    os.mkfifo(corpus / "bad" / "fifo.txt")

    bad = {
        "bad/binary.txt": "binary",
        "bad/empty.txt": "empty file",
        "bad/big.txt": "too large",
        "bad/garbage.txt": "encoding",
        "bad/stray-byte.txt": "encoding",
        "bad/broken.json": "invalid JSON",
        "good/records.jsonl:2": "invalid JSON",
        "bad/loop.txt": "looping",
        "bad/ping.txt": "looping",
        "bad/pong.txt": "looping",
        "bad/outside.txt": "outside the corpus",
        "bad/relative-outside.txt": "outside the corpus",
        "bad/fifo.txt": "not a regular file",
    }
    good = {
        "good/plain.txt", "good/cp1251.txt", "good/koi8.txt", "good/utf16.txt",
        "good/utf16-without-bom.txt", "good/bom.md",
        "good/records.jsonl#a", "good/records.jsonl#c", "good/link-inside.txt",
        "папка с пробелами/Заявление № 5 от 1 июня.txt", "names with spaces/a page (draft) & more.html",
    }
    return corpus, bad, good


MAX_SIZE = 20 * 1024


def check_bad_files_summary(problems: dict[str, str], skipped: dict[str, str], bad: dict[str, str]):
    assert problems.keys() == bad.keys(), "reported files differ"
    for path, pattern in bad.items():
        assert re.search(pattern, problems[path]), f"{path}: {problems[path]!r} does not say {pattern!r}"
    assert "not followed" in skipped["bad/outside-dir"]


def check_bad_files_index(index_dir: Path, good: set[str]):
    docs = stored(index_dir)
    assert set(docs) == good
    assert not any(SECRET in str(fields) for fields in docs.values())
    with SearchIndex(index_dir) as index:
        assert index.search(SECRET).total == 0
        found = {h.id for h in index.search("выборы", per_page=100).hits}
        assert {"good/cp1251.txt", "good/koi8.txt", "good/utf16.txt", "good/utf16-without-bom.txt"} <= found
        assert {h.id for h in index.search("ёлка", per_page=100).hits} >= {"good/koi8.txt"}
        assert "good/records.jsonl#c" in {h.id for h in index.search("forests").hits}
        odd_name = "папка с пробелами/Заявление № 5 от 1 июня.txt"
        assert odd_name in {h.id for h in index.search("рыболовство").hits}
        assert index.document(odd_name).title == "О рыболовстве"


def test_bad_files_are_reported_and_good_ones_indexed(tmp_path):
    corpus, bad, good = bad_corpus(tmp_path)
    index_dir = tmp_path / "index"
    summary = update_index(corpus, index_dir, max_file_size=MAX_SIZE)
    check_bad_files_summary({p.path: p.reason for p in summary.problems},
                            {p.path: p.reason for p in summary.skipped}, bad)
    assert summary.added == len(good) and summary.exit_code == 1
    check_bad_files_index(index_dir, good)
    # The next run reports them again, and loses nothing.
    again = update_index(corpus, index_dir, max_file_size=MAX_SIZE)
    assert {p.path for p in again.problems} == bad.keys()
    assert (again.added, again.removed) == (0, 0)
    check_bad_files_index(index_dir, good)


def test_a_records_file_with_a_bad_line_is_reported_again_but_not_rewritten(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "r.jsonl").write_text('{"id": "a", "text": "Fisheries."}\n{broken\n', encoding="utf-8")
    index_dir = tmp_path / "index"
    update_index(corpus, index_dir)
    before = snapshot(index_dir)
    again = update_index(corpus, index_dir)
    assert [p.path for p in again.problems] == ["r.jsonl:2"]
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 1)
    assert again.commits == 0 and snapshot(index_dir) == before


def test_bad_files_from_the_command_line(tmp_path):
    corpus, bad, good = bad_corpus(tmp_path)
    index_dir = tmp_path / "index"
    result = cli(corpus, index_dir, "--max-size", str(MAX_SIZE / 1024 / 1024), "--json")
    assert result.returncode == 1, result.stderr
    summary = json.loads(result.stdout)
    check_bad_files_summary({p["path"]: p["reason"] for p in summary["problems"]},
                            {p["path"]: p["reason"] for p in summary["skipped"]}, bad)
    assert summary["added"] == len(good)
    check_bad_files_index(index_dir, good)
    text = cli(corpus, index_dir, "--max-size", str(MAX_SIZE / 1024 / 1024))
    assert text.returncode == 1 and "Traceback" not in text.stderr
    for path in bad:
        assert f"failed: {path}: " in text.stderr


def test_a_file_name_that_is_not_utf8_is_reported_and_the_run_goes_on(tmp_path):
    corpus = small_corpus(tmp_path / "corpus", 3)
    latin1_name = os.fsencode(corpus) + b"/caf\xe9 au lait.txt"  # Latin-1, as old archives have
    with open(latin1_name, "wb") as f:
        f.write(b"Statement on coffee\n\nThe ministry welcomes the coffee harvest.")
    result = cli(corpus, tmp_path / "index", "--json")
    assert "Traceback" not in result.stderr, result.stderr[-600:]
    assert result.returncode in (0, 1)
    summary = json.loads(result.stdout)
    assert summary["added"] + summary["failed"] == 4
    assert {"s000.txt", "s001.txt", "s002.txt"} <= set(stored(tmp_path / "index"))


# --- running without root's powers ------------------------------------------------------------

PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def _drop_file_powers():
    """In a child about to exec: lose the capabilities that let root ignore file modes.

    Dropped from the bounding set, they do not come back at exec, so the
    child is root by number only and file permissions apply to it.
    """
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def _as_nobody():
    import pwd

    user = pwd.getpwnam("nobody")
    os.setgroups([])
    os.setgid(user.pw_gid)
    os.setuid(user.pw_uid)


@pytest.fixture
def unprivileged(tmp_path):
    """(a scratch directory, preexec_fn) for child processes that file permissions apply to.

    Root reads and writes everything whatever the mode, so as root the child
    drops those powers (or, failing that, runs as nobody in a directory nobody
    may use); as anyone else it runs as is.
    """
    if os.geteuid() != 0:
        yield tmp_path, None
        return
    probe_file = tmp_path / "probe"
    probe_file.write_text("x")
    probe_file.chmod(0)
    probe = "import os, sys, indexer.build; sys.exit(os.access(sys.argv[1], os.R_OK))"
    reasons = []
    for demote, workdir in ((_drop_file_powers, tmp_path), (_as_nobody, None)):
        if workdir is None:
            workdir = Path(tempfile.mkdtemp(prefix="statements-perm-"))
            workdir.chmod(0o777)
            (workdir / "probe").write_text("x")
            (workdir / "probe").chmod(0)
        try:
            done = subprocess.run([sys.executable, "-c", probe, str(workdir / "probe")],
                                  preexec_fn=demote, capture_output=True, text=True, cwd=ROOT)
            usable = done.returncode == 0
            reasons.append(done.stderr.strip()[-200:])
        except (OSError, subprocess.SubprocessError, KeyError) as err:
            usable = False
            reasons.append(str(err))
        if usable:
            try:
                yield workdir, demote
            finally:
                if workdir != tmp_path:
                    for dirpath, dirnames, _ in os.walk(workdir):
                        for d in dirnames:
                            os.chmod(Path(dirpath) / d, 0o755)
                    shutil.rmtree(workdir)
            return
        if workdir != tmp_path:
            shutil.rmtree(workdir)
    pytest.skip("running as root, and no way to run a child that file permissions apply to: "
                + "; ".join(reasons))


def run_as(demote, corpus, index_dir, *args):
    env = {"HOME": str(Path(index_dir).parent)}
    return run_indexer(corpus, index_dir, *args, preexec_fn=demote, env=env)


def test_unreadable_files_and_directories_are_reported(unprivileged):
    workdir, demote = unprivileged
    corpus = small_corpus(workdir / "corpus", 3)
    (corpus / "locked.txt").write_text("Locked statement\n\nNobody may read this.", encoding="utf-8")
    os.chmod(corpus / "locked.txt", 0)
    (corpus / "locked-dir").mkdir()
    (corpus / "locked-dir" / "inside.txt").write_text("Inside\n\nA statement.", encoding="utf-8")
    os.chmod(corpus / "locked-dir", 0)
    try:
        result = run_as(demote, corpus, workdir / "index", "--json")
    finally:
        os.chmod(corpus / "locked-dir", 0o755)
    assert result.returncode == 1, result.stderr
    summary = json.loads(result.stdout)
    reasons = {p["path"]: p["reason"] for p in summary["problems"]}
    assert reasons.keys() == {"locked.txt", "locked-dir"}
    assert "permission denied" in reasons["locked.txt"].lower()
    assert "cannot list directory" in reasons["locked-dir"]
    assert summary["added"] == 3
    assert set(stored(workdir / "index")) == {"s000.txt", "s001.txt", "s002.txt"}


# --- full disk ------------------------------------------------------------------------------------


def file_size_limit(limit: int):
    """A preexec_fn: files may not grow past `limit` bytes; writes past it fail with EFBIG."""

    def limit_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_files


def check_failed_cleanly(result, where: str):
    assert "Traceback" not in result.stderr, f"{where}: {result.stderr[-800:]}"
    assert result.returncode == 2, f"{where}: exit {result.returncode}: {result.stderr}"
    assert re.search(r"disk is full|cannot write the index", result.stderr), f"{where}: {result.stderr}"
    assert "last commit" in result.stderr, f"{where}: {result.stderr}"


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--commit-every", str(COMMIT_EVERY)],
        pytest.param(["--rebuild"]),
    ],
    ids=["update", "commit-every", "rebuild"],
)
def test_file_size_limit_fails_clearly_and_keeps_the_last_commit(versions, tmp_path, args):
    """Writes fail with EFBIG at growing limits, so at every step of the commits."""
    before, after = versions["docs1"], versions["docs2"]
    states = [before] if "--rebuild" in args else commit_states(before, after, COMMIT_EVERY)
    index_dir = tmp_path / "index"
    failures = 0
    # Index files are written one per segment part: small limits catch them all.
    for limit in (0, 8 * 1024, 16 * 1024, 32 * 1024, 64 * 1024, 128 * 1024, 256 * 1024, 1024 * 1024):
        shutil.rmtree(index_dir, ignore_errors=True)
        shutil.copytree(versions["ref1"], index_dir)
        result = run_indexer(versions["v2"], index_dir, "-q", *args, preexec_fn=file_size_limit(limit))
        where = f"limit {limit // 1024} KiB"
        if result.returncode == 0:
            break
        failures += 1
        check_failed_cleanly(result, where)
        check_consistent(index_dir, states, where)
    assert failures >= 3, "the limits never made a commit fail"
    # Space again: the next run converges.
    result = cli(versions["v2"], index_dir, "-q", *args)
    assert result.returncode == 0, result.stderr
    assert stored(index_dir) == after


def test_file_size_limit_while_adding_statements(versions, tmp_path):
    corpus = small_corpus(tmp_path / "long", 30, chars=3000)  # longer texts: written as they are added
    index_dir = tmp_path / "index"
    for limit in (0, 4 * 1024, 16 * 1024):
        shutil.rmtree(index_dir, ignore_errors=True)
        shutil.copytree(versions["ref1"], index_dir)
        result = run_indexer(corpus, index_dir, "-q", preexec_fn=file_size_limit(limit))
        check_failed_cleanly(result, f"limit {limit // 1024} KiB")
        assert stored(index_dir) == versions["docs1"]


def test_file_size_limit_through_the_library(versions, tmp_path):
    """The library raises IndexingError (the CLI's exit 2) and keeps the last commit."""
    index_dir = tmp_path / "index"
    shutil.copytree(versions["ref1"], index_dir)
    script = (
        "import json, sys\n"
        "from indexer.build import update_index\nfrom search.errors import IndexingError\n"
        "try:\n"
        "    update_index(sys.argv[1], sys.argv[2])\n"
        "except IndexingError as err:\n"
        "    print(json.dumps({'error': type(err).__name__, 'message': str(err)}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(versions["v2"]), str(index_dir)],
                            capture_output=True, text=True, timeout=120, cwd=ROOT,
                            preexec_fn=file_size_limit(64 * 1024))
    assert result.returncode == 0, result.stderr[-800:]
    error = json.loads(result.stdout)
    assert error["error"] == "IndexingError" and "last commit" in error["message"]
    assert stored(index_dir) == versions["docs1"]
    assert not uncovered_words(index_dir)


@contextmanager
def small_disk(where: Path, size: str = "2m"):
    """A tmpfs of `size` mounted at `where` (needs root and a kernel that allows it)."""
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root; the file-size-limit tests cover a full disk")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); "
                    "the file-size-limit tests cover a full disk")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=True)


def fill(disk: Path, leave: int) -> Path:
    """Fills a disk up to `leave` free bytes."""
    st = os.statvfs(disk)
    filler = disk / "filler"
    with open(filler, "wb") as f:
        f.write(b"\0" * max(st.f_bavail * st.f_frsize - leave, 0))
    return filler


def test_disk_full_fails_clearly_and_keeps_the_last_commit(versions, tmp_path):
    """A real full disk (ENOSPC) at several amounts of free space, library and CLI."""
    before, after = versions["docs1"], versions["docs2"]
    states = commit_states(before, after, COMMIT_EVERY)
    failures = 0
    with small_disk(tmp_path / "disk") as disk:
        index_dir = disk / "index"
        for leave in (0, 64 * 1024, 192 * 1024, 320 * 1024, 512 * 1024):
            shutil.rmtree(index_dir, ignore_errors=True)
            (disk / "filler").unlink(missing_ok=True)
            shutil.copytree(versions["ref1"], index_dir)
            filler = fill(disk, leave)
            where = f"{leave // 1024} KiB free"
            try:
                update_index(versions["v2"], index_dir, commit_every=COMMIT_EVERY)
            except IndexingError as err:
                failures += 1
                assert "disk is full" in str(err) and "last commit" in str(err), where
                check_consistent(index_dir, states, where)
            else:
                assert stored(index_dir) == after
                break
        assert failures >= 2
        # The command line says the same, with exit status 2.
        shutil.rmtree(index_dir)
        filler.unlink()
        shutil.copytree(versions["ref1"], index_dir)
        filler = fill(disk, 0)
        result = run_indexer(versions["v2"], index_dir, "-q")
        check_failed_cleanly(result, "a full disk")
        assert "disk is full" in result.stderr and "Free some space" in result.stderr
        assert stored(index_dir) == before
        # Space again: the next run converges.
        filler.unlink()
        assert run_indexer(versions["v2"], index_dir, "-q").returncode == 0
        assert stored(index_dir) == after
        assert not uncovered_words(index_dir)


def test_disk_full_message_does_not_deny_earlier_commits(versions, tmp_path):
    with small_disk(tmp_path / "disk") as disk:
        index_dir = disk / "index"
        shutil.copytree(versions["ref1"], index_dir)
        fill(disk, 384 * 1024)  # room for a few commits, not for all
        with pytest.raises(IndexingError) as failed:
            update_index(versions["v2"], index_dir, commit_every=COMMIT_EVERY)
        assert stored(index_dir) != versions["docs1"], "no commit succeeded: choose more room"
        assert "nothing from this run was committed" not in str(failed.value)


# --- read-only index -------------------------------------------------------------------------------


@contextmanager
def read_only(directory: Path, contents: bool = True):
    """Makes a directory (and, with `contents`, its files) read-only even for root."""
    paths = [directory] + (list(directory.iterdir()) if contents else [])
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in paths}
        for p in paths:
            p.chmod(stat.S_IMODE(modes[p]) & ~0o222)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(stat.S_IMODE(mode))
        return
    if not shutil.which("chattr"):
        pytest.skip("running as root without chattr: cannot make a directory read-only for root")
    done = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True, text=True)
    if done.returncode != 0:
        subprocess.run(["chattr", "-i", *map(str, paths)], capture_output=True)
        pytest.skip(f"running as root on a file system without immutable files: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, paths)], check=True)


@pytest.mark.parametrize(
    "contents",
    [
        pytest.param(True, id="directory-and-files"),
        pytest.param(False, id="directory-only"),
    ],
)
def test_read_only_index_fails_clearly_and_stays_intact(versions, tmp_path, contents):
    index_dir = tmp_path / "index"
    shutil.copytree(versions["ref1"], index_dir)
    before = snapshot(index_dir)
    with read_only(index_dir, contents):
        with pytest.raises(IndexingError) as failed:
            update_index(versions["v2"], index_dir)
        assert re.search(r"cannot write|read-only|permission", str(failed.value), re.I)
        result = run_indexer(versions["v2"], index_dir, "-q")
        assert "Traceback" not in result.stderr, result.stderr[-800:]
        assert result.returncode == 2, result.stderr
        assert str(index_dir) in result.stderr
        # Searching still works.
        with SearchIndex(index_dir) as index:
            assert index.search("").total == len(versions["docs1"])
        # Nothing to do needs no writing.
        assert run_indexer(versions["v1"], index_dir, "-q").returncode in (0, 2)
    assert snapshot(index_dir) == before
    assert stored(index_dir) == versions["docs1"]
    assert run_indexer(versions["v2"], index_dir, "-q").returncode == 0
    assert stored(index_dir) == versions["docs2"]


def test_read_only_file_system(versions, tmp_path):
    """A read-only mount: the lock cannot even be opened (EROFS)."""
    if os.geteuid() != 0:
        pytest.skip("a read-only bind mount needs root; test_read_only_index covers permissions")
    index_dir = tmp_path / "index"
    shutil.copytree(versions["ref1"], index_dir)
    mount = tmp_path / "mounted"
    mount.mkdir()
    bound = subprocess.run(["mount", "--bind", str(index_dir), str(mount)], capture_output=True, text=True)
    if bound.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {bound.stderr.strip()}")
    try:
        remount = subprocess.run(["mount", "-o", "remount,bind,ro", str(mount)], capture_output=True, text=True)
        if remount.returncode != 0:
            pytest.skip(f"cannot remount read-only here: {remount.stderr.strip()}")
        with pytest.raises(IndexingError, match="cannot write to the index directory"):
            update_index(versions["v2"], mount)
        result = run_indexer(versions["v2"], mount, "-q")
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert "Read-only file system" in result.stderr
        assert stored(mount) == versions["docs1"]
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


@pytest.mark.parametrize(
    "recursive",
    [
        pytest.param(True, id="chmod-R-a-w"),
        pytest.param(False, id="chmod-a-w"),
    ],
)
def test_read_only_index_as_an_ordinary_user(versions, unprivileged, recursive):
    """What most people meet: an index directory they may not write to."""
    workdir, demote = unprivileged
    index_dir = workdir / "index"
    shutil.copytree(versions["ref1"], index_dir)
    for path in [index_dir, *(index_dir.iterdir() if recursive else [])]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    before = snapshot(index_dir)
    result = run_as(demote, versions["v2"], index_dir, "-q")
    assert "Traceback" not in result.stderr, result.stderr[-800:]
    assert result.returncode == 2, result.stderr
    assert re.search(r"cannot write (to )?the index", result.stderr), result.stderr
    assert snapshot(index_dir) == before
    assert stored(index_dir) == versions["docs1"]
