"""Searching while the indexer commits, and two indexers at once.

The corpus is built so that every committed state is checkable within one
answer: 36 statements of 2001 that say "alphamarker" are each rewritten as
statements of 2002 that say "betamarker" (a delete and an add in one commit),
and 24 statements of 2003 that say "gammamarker" arrive between them. Any
answer must therefore show 2001 + 2002 = 36 statements, a total of 36 plus
the 2003 ones, and a number of changes that is a whole number of commits.
"""

from __future__ import annotations

import http.client
import json
import random
import subprocess
import sys
import threading
import time
import traceback
import urllib.parse
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from indexer.build import update_index
from search.engine import SearchIndex
from search.errors import IndexLocked
from tests.corpus_tools import ROOT, indexer_command, run_indexer, stored, write_statements
from tests.fixtures_web import running_server

CHANGED, ADDED = 36, 24
COMMIT_EVERY = 3
IDS = [f"c{i:03d}.txt" for i in range(CHANGED)]


def _body(i: int) -> str:
    speeches = sorted(p for p in (ROOT / "corpus" / "ungdc").rglob("*.txt") if not p.name.startswith("README"))
    return speeches[(i * 11) % len(speeches)].read_text(encoding="utf-8")[:400]


def version(dest: Path, second: bool) -> Path:
    names = {}
    for i in range(CHANGED):
        year, marker = (2002, "betamarker") if second else (2001, "alphamarker")
        names[IDS[i]] = f"Statement {i} of {year}\n\n15 March {year}\n\n{_body(i)}\n\nKeyword: {marker}.\n"
        if second and i < ADDED:
            names[f"c{i:03d}n.txt"] = (f"New statement {i}\n\n20 May 2003\n\n{_body(100 + i)}\n\n"
                                       "Keyword: gammamarker.\n")
    return write_statements(dest, names)


@pytest.fixture
def corpora(tmp_path):
    v1, v2 = version(tmp_path / "v1", False), version(tmp_path / "v2", True)
    index_dir = tmp_path / "index"
    assert update_index(v1, index_dir).documents == CHANGED
    return v1, v2, index_dir


def years(facets: list[dict]) -> dict[int, int]:
    return {int(v["value"]): v["count"] for v in facets}


class Invariants:
    """Checks one answer against the corpus's design; remembers the states seen."""

    def __init__(self, every: int | None):
        self.every = every  # None: a rebuild, one commit
        self.states: set[tuple[int, int, int]] = set()
        self.lock = threading.Lock()

    def check(self, total: int, year_counts: dict[int, int], where: str) -> None:
        y1, y2, y3 = (year_counts.get(y, 0) for y in (2001, 2002, 2003))
        assert y1 + y2 == CHANGED, f"{where}: {y1} + {y2} statements of 2001 and 2002"
        assert total == CHANGED + y3, f"{where}: total {total} with {y3} of 2003"
        done = y2 + y3
        if self.every is None:
            assert done in (0, CHANGED + ADDED), f"{where}: a rebuild half-visible ({done} changes)"
        else:
            assert done % self.every == 0 or done == CHANGED + ADDED, f"{where}: {done} changes"
        with self.lock:
            self.states.add((y1, y2, y3))


def search_library(index: SearchIndex, inv: Invariants, rng: random.Random) -> None:
    result = index.search("", per_page=1, with_snippets=False)
    inv.check(result.total, {v.value: v.count for v in result.facets["year"]}, "library")
    assert index.search("alphamarker OR betamarker", per_page=5).total == CHANGED
    assert index.count("alphamarker OR betamarker") == CHANGED
    doc_id = rng.choice(IDS)
    assert index.document(doc_id) is not None, f"library: {doc_id} missing"


def search_http(conn: http.client.HTTPConnection, inv: Invariants, rng: random.Random) -> None:
    def get(path):
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        assert response.status == 200, f"{path}: {response.status} {body[:300]!r}"
        return body

    body = json.loads(get("/api/search?q=&per_page=1"))
    inv.check(body["total"], years(body["facets"]["year"]), "http")
    body = json.loads(get("/api/search?" + urllib.parse.urlencode({"q": "alphamarker OR betamarker"})))
    assert body["total"] == CHANGED
    get("/api/documents/" + rng.choice(IDS))
    get("/?q=marker*&year=2002")
    get("/api/search.atom?q=alphamarker")  # (its Last-Modified reads the newest commit's time)


def hammer(workers, until, errors: list) -> list[int]:
    """Runs each worker in a loop on its own thread until `until()`; returns the rounds of each."""
    rounds = [0] * len(workers)
    stop = threading.Event()

    def loop(n, work):
        rng = random.Random(n)
        try:
            state = work[0]() if work[0] else None
            while not stop.is_set():
                work[1](state, rng)
                rounds[n] += 1
        except BaseException:  # noqa: BLE001 - reported by the test
            errors.append(traceback.format_exc(limit=-8))
            stop.set()

    threads = [threading.Thread(target=loop, args=(n, w), daemon=True) for n, w in enumerate(workers)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 120
    while not until() and not stop.is_set() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)  # a few more rounds on the final commit
    stop.set()
    for t in threads:
        t.join(timeout=30)
    return rounds


def run_while_searching(v2, index_dir, args, inv: Invariants):
    errors: list[str] = []
    with running_server(index_dir) as url, SearchIndex(index_dir) as index:
        host, port = urllib.parse.urlsplit(url).netloc.split(":")
        index.search("")  # open it on the old commit
        indexer = subprocess.Popen(indexer_command(v2, index_dir, "-q", *args), cwd=ROOT,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        library = (None, lambda _, rng: search_library(index, inv, rng))
        over_http = (lambda: http.client.HTTPConnection(host, int(port), timeout=30),
                     lambda conn, rng: search_http(conn, inv, rng))
        rounds = hammer([library, library, over_http, over_http], lambda: indexer.poll() is not None, errors)
        out, err = indexer.communicate(timeout=60)
        assert not errors, "\n".join(errors[:3])
        assert indexer.returncode == 0, err
        # The server and the open library index serve the new commit, without a restart.
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        conn.request("GET", "/api/search?q=&per_page=1")
        body = json.loads(conn.getresponse().read())
        assert years(body["facets"]["year"]) == {2002: CHANGED, 2003: ADDED}
        result = index.search("", per_page=1)
        assert {v.value: v.count for v in result.facets["year"]} == {2002: CHANGED, 2003: ADDED}
    return rounds


def test_an_open_index_sees_replaced_and_merged_statements_go(corpora):
    v1, v2, index_dir = corpora
    with SearchIndex(index_dir) as index:
        assert index.search("").total == CHANGED
        update_index(v2, index_dir, commit_every=COMMIT_EVERY)
        fresh = SearchIndex(index_dir)
        assert fresh.search("").total == CHANGED + ADDED
        fresh.close()
        result = index.search("", per_page=1)
        assert result.total == CHANGED + ADDED
        assert {v.value: v.count for v in result.facets["year"]} == {2002: CHANGED, 2003: ADDED}
        assert index.search("alphamarker").total == 0


def test_a_word_only_replaced_statements_had_can_still_be_searched(corpora):
    v1, v2, index_dir = corpora
    update_index(v2, index_dir, commit_every=COMMIT_EVERY)  # every "alphamarker" statement replaced
    with SearchIndex(index_dir) as index:
        assert index.search("alphamarker").total == 0
        assert index.search("alphamarker OR betamarker").total == CHANGED


def test_searches_never_fail_nor_see_half_a_commit(corpora):
    v1, v2, index_dir = corpora
    inv = Invariants(COMMIT_EVERY)
    rounds = run_while_searching(v2, index_dir, ["--commit-every", str(COMMIT_EVERY)], inv)
    assert min(rounds) > 0, rounds
    # The searches saw the indexer's progress: several commits, not only the first and last.
    assert len(inv.states) >= 3, sorted(inv.states)
    assert stored(index_dir).keys() == set(stored_ids(v2))


def test_searches_during_a_rebuild_see_the_old_index_until_the_new_one_is_committed(corpora):
    v1, v2, index_dir = corpora
    inv = Invariants(None)
    run_while_searching(v2, index_dir, ["--rebuild"], inv)
    assert inv.states <= {(CHANGED, 0, 0), (0, CHANGED, ADDED)}


def stored_ids(corpus: Path) -> list[str]:
    return sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*.txt"))


# A real indexer, slowed down so that the others surely start while it runs.
SLOW_INDEXER = r"""
import sys, time
import indexer.build as build

sync_group = build._Run._sync_group


def slow(self, group, previous):
    time.sleep(0.05)
    return sync_group(self, group, previous)


build._Run._sync_group = slow
sys.argv = ["python -m indexer"] + sys.argv[1:]
from indexer.__main__ import main

main(prog_name="python -m indexer")
"""


def _generation(index_dir) -> int:
    """The index's latest commit, read while an indexer commits: a commit may
    delete the table of contents open_dir has just listed, so it is read again."""
    while True:
        try:
            return whoosh_index.open_dir(str(index_dir)).latest_generation()
        except FileNotFoundError:
            time.sleep(0.01)


def test_a_second_indexer_exits_2_or_waits(corpora):
    v1, v2, index_dir = corpora
    generation = _generation(index_dir)
    first = subprocess.Popen(
        [sys.executable, "-c", SLOW_INDEXER, "--corpus", str(v2), "--index", str(index_dir),
         "--commit-every", str(COMMIT_EVERY), "-q"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        # Wait for the first commit: from then on the first indexer surely holds the lock.
        deadline = time.monotonic() + 60
        while _generation(index_dir) == generation:
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.02)
        waiting = subprocess.Popen(indexer_command(v2, index_dir, "--wait", "120", "--json"), cwd=ROOT,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        second = run_indexer(v2, index_dir)
        assert second.returncode == 2, second.stderr
        assert "another indexer is writing to" in second.stderr and "--wait" in second.stderr
        assert "Traceback" not in second.stderr
        with pytest.raises(IndexLocked, match="--wait"):
            update_index(v2, index_dir, wait=0.2)
        assert first.poll() is None, "the first indexer finished too early for this test"
        assert waiting.poll() is None, "the waiting indexer did not wait"

        out, err = first.communicate(timeout=120)
        assert first.returncode == 0, err
        out, err = waiting.communicate(timeout=120)
        assert waiting.returncode == 0, err
        summary = json.loads(out)
        # It ran after the first one had finished: everything was already done.
        assert (summary["added"], summary["updated"], summary["unchanged"]) == (0, 0, CHANGED + ADDED)
    finally:
        for proc in (first,):
            if proc.poll() is None:
                proc.kill()
    assert set(stored(index_dir)) == set(stored_ids(v2))


def test_the_server_starts_on_an_empty_index_and_serves_the_first_commit(tmp_path):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    update_index(corpus, index_dir)
    with running_server(index_dir) as url:
        host, port = urllib.parse.urlsplit(url).netloc.split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        conn.request("GET", "/api/search?q=")
        response = conn.getresponse()
        assert response.status == 200 and json.loads(response.read())["total"] == 0
        version(corpus, second=False)
        update_index(corpus, index_dir)
        conn.request("GET", "/api/search?q=")
        assert json.loads(conn.getresponse().read())["total"] == CHANGED
