"""Stress check: answers stay those of a committed state while the index churns.

An indexer process keeps rewriting statements (each rewrite moves one
statement between two years, a delete and an add in one commit, and now and
then rebuilds everything), so Whoosh keeps merging segments and deleting
their files. Meanwhile library and HTTP callers check every answer against
what any committed state must show:

- the total is the number of statements (a rewrite never changes it), and
  the year facet sums to the total;
- a year filter's total is that year's count in its own facet, and a year's
  marker word finds exactly that year's statements;
- every statement shown is of the year asked for, and there are as many as
  the total allows; an export lists every statement once.

`python -m bench.stress --commits 400 --load 1` is the long form; the tests
run a short one (tests/test_stress.py).
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import json
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench import ROOT

YEARS = (2001, 2002)
MARKERS = {2001: "alphamarker", 2002: "betamarker"}  # a word only that year's statements say
PER_PAGE = 7


def statement(i: int, year: int, revision: int) -> str:
    return (f"Statement {i} of {year}\n\n15 March {year}\n\n"
            f"Revision {revision} of the statement on fisheries, item {i}. Keyword {MARKERS[year]}.\n")


def write_corpus(corpus: Path, n: int) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (corpus / f"s{i:03d}.txt").write_text(statement(i, YEARS[i % 2], 0), encoding="utf-8")


def churn(corpus: Path, index: Path, commits: int, per_run: int = 4, rebuild_every: int = 25,
          seed: int = 0) -> dict:
    """Rewrites statements and indexes them, one commit per rewritten statement,
    until `commits` commits are made; a rebuild every `rebuild_every` runs."""
    from indexer.build import update_index
    from whoosh import index as whoosh_index

    rng = random.Random(seed)
    names = sorted(p.name for p in corpus.glob("*.txt"))
    made, runs, segments = 0, 0, []
    while made < commits:
        runs += 1
        for name in rng.sample(names, per_run):
            i = int(name[1:4])
            year = rng.choice(YEARS)
            (corpus / name).write_text(statement(i, year, runs), encoding="utf-8")
        summary = update_index(corpus, index, commit_every=1, rebuild=runs % rebuild_every == 0)
        made += summary.commits
        segments.append(len(whoosh_index.open_dir(str(index)).reader().leaf_readers()))
    merges = sum(1 for a, b in zip(segments, segments[1:]) if b < a)
    return {"commits": made, "runs": runs, "merges": merges, "max_segments": max(segments)}


@dataclass
class Answer:
    """What a search answered, from the library or over HTTP."""

    total: int
    years: dict[int, int]
    hit_years: list[int]
    ids: list[str] = field(default_factory=list)


class Checker:
    """Checks answers against the invariants of a committed state; counts them."""

    def __init__(self, n: int):
        self.n = n
        self.checked = 0
        self.lock = threading.Lock()

    def check(self, answer: Answer, year: int | None, marker: bool, where: str) -> None:
        total, years = answer.total, answer.years
        assert len(answer.hit_years) == min(PER_PAGE, total), f"{where}: {len(answer.hit_years)} shown of {total}"
        assert len(set(answer.ids)) == len(answer.ids), f"{where}: a statement shown twice"
        if year is None:
            assert total == self.n and sum(years.values()) == self.n, f"{where}: total {total}, years {years}"
        elif marker:
            assert set(years) <= {year} and years.get(year, 0) == total, f"{where}: {total}, {years}"
        else:
            assert sum(years.values()) == self.n, f"{where}: years {years} (filtered by {year})"
            assert total == years.get(year, 0), f"{where}: total {total} for {year}, facet {years}"
        if year is not None:
            assert set(answer.hit_years) <= {year}, f"{where}: shown {answer.hit_years} for {year}"
        self.count()

    def check_export(self, ids: list[str], where: str) -> None:
        assert len(ids) == self.n and len(set(ids)) == self.n, f"{where}: export of {len(ids)} ({len(set(ids))} distinct)"
        self.count()

    def count(self) -> None:
        with self.lock:
            self.checked += 1


def _request(rng: random.Random):
    """(query, year filter, whether the year is asked by its marker word)."""
    kind = rng.randrange(3)
    year = rng.choice(YEARS)
    return [("", None, False), ("", year, False), (MARKERS[year], year, True)][kind]


def library_round(index, checker: Checker, rng: random.Random) -> None:
    from search.results import Filters

    q, year, marker = _request(rng)
    filters = Filters(years=(year,)) if year and not marker else None
    result = index.search(q, filters=filters, per_page=PER_PAGE, with_snippets=rng.random() < 0.3)
    answer = Answer(result.total, {v.value: v.count for v in result.facets["year"]},
                    [int(h.date[:4]) for h in result.hits], [h.id for h in result.hits])
    checker.check(answer, year, marker, f"library {q!r} {year}")
    if rng.random() < 0.2:
        checker.check_export([h.id for h in index.hits("")], "library export")
    if rng.random() < 0.2:
        assert index.count("") == checker.n
        checker.count()


def http_round(conn: http.client.HTTPConnection, checker: Checker, rng: random.Random) -> None:
    q, year, marker = _request(rng)
    params = {"q": q, "per_page": PER_PAGE}
    if year and not marker:
        params["year"] = year
    body = json.loads(_get(conn, "/api/search?" + urlencode(params)))
    answer = Answer(body["total"], {int(v["value"]): v["count"] for v in body["facets"]["year"]},
                    [int(h["date"][:4]) for h in body["hits"]], [h["id"] for h in body["hits"]])
    checker.check(answer, year, marker, f"http {q!r} {year}")
    if rng.random() < 0.15:
        rows = list(csv.reader(io.StringIO(_get(conn, "/api/search.csv?q=").decode("utf-8-sig"))))
        checker.check_export([row[0] for row in rows[1:]], "http export")


def _get(conn: http.client.HTTPConnection, path: str) -> bytes:
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    assert response.status == 200, f"{path}: {response.status} {body[:300]!r}"
    return body


def hammer(rounds, until, errors: list[str]) -> None:
    """Runs each (setup, round) pair in a loop on its own thread until `until()`
    or the first failure, which goes to `errors`."""
    stop = threading.Event()

    def loop(n, setup, one_round):
        rng = random.Random(n)
        try:
            state = setup()
            while not stop.is_set():
                one_round(state, rng)
        except BaseException:  # noqa: BLE001 - reported by the caller
            errors.append(traceback.format_exc(limit=-6))
            stop.set()

    threads = [threading.Thread(target=loop, args=(n, *r), daemon=True) for n, r in enumerate(rounds)]
    for t in threads:
        t.start()
    while not until() and not stop.is_set():
        time.sleep(0.05)
    stop.set()
    for t in threads:
        t.join(timeout=60)


def run(work: Path, port: int, n: int, commits: int, library: int = 2, clients: int = 2) -> dict:
    """Churns the index in `work` while checking answers from the library and
    from the server on `port` (serving `work/index`); returns the counts."""
    from search.engine import SearchIndex

    checker = Checker(n)
    errors: list[str] = []
    with tempfile.TemporaryFile() as out, SearchIndex(work / "index") as index:
        indexer = subprocess.Popen(
            [sys.executable, "-m", "bench.stress", "--churn", str(work), "--commits", str(commits)],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )
        rounds = [(lambda: index, lambda ix, rng: library_round(ix, checker, rng))] * library
        rounds += [(lambda: http.client.HTTPConnection("127.0.0.1", port, timeout=60),
                    lambda conn, rng: http_round(conn, checker, rng))] * clients
        started = time.monotonic()
        try:
            hammer(rounds, lambda: indexer.poll() is not None, errors)
        finally:
            if indexer.poll() is None:
                indexer.kill()
            indexer.wait()
        out.seek(0)
        said = out.read().decode("utf-8", "replace")
    if errors:
        raise AssertionError("\n".join(errors[:3]))
    if indexer.returncode != 0:
        raise AssertionError(f"the indexer failed: {said[-2000:]}")
    return {**json.loads(said.strip().splitlines()[-1]), "answers_checked": checker.checked,
            "seconds": round(time.monotonic() - started, 1)}


def prepare(work: Path, n: int) -> None:
    from indexer.build import update_index

    write_corpus(work / "corpus", n)
    update_index(work / "corpus", work / "index")


def _burn(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        sum(i * i for i in range(10_000))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.stress", description=__doc__.split("\n")[0])
    parser.add_argument("--statements", type=int, default=60)
    parser.add_argument("--commits", type=int, default=400)
    parser.add_argument("--load", type=int, default=0, help="busy processes beside the indexer")
    parser.add_argument("--churn", type=Path, help=argparse.SUPPRESS)  # the indexer side of a run
    args = parser.parse_args(argv)
    if args.churn:
        print(json.dumps(churn(args.churn / "corpus", args.churn / "index", args.commits)))
        return

    from bench.server import running_server

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        prepare(work, args.statements)
        burners = [multiprocessing.Process(target=_burn, args=(3600,), daemon=True) for _ in range(args.load)]
        for b in burners:
            b.start()
        try:
            with running_server(work / "index", start_timeout=60, workers=2) as (port, _proc):
                print(json.dumps(run(work, port, args.statements, args.commits)))
        finally:
            for b in burners:
                b.terminate()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    main()
