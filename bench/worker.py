"""One measurement in a fresh process: `python -m bench.worker JOB.json`.

Jobs are JSON: {"kind": "build", …} indexes a corpus with one engine;
{"kind": "search", …} times the query mix on every engine's index,
interleaved round by round. The result is written to the job's "result" path.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from bench.engines import get
from bench.measure import dir_bytes, peak_rss_mb
from bench.queries import by_name


def build(job: dict) -> dict:
    engine = get(job["engine"])
    index = Path(job["index"])
    started = time.perf_counter()
    documents = engine.build(Path(job["corpus"]), index, procs=job.get("procs", 1),
                             rebuild=job.get("rebuild", True))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "documents": documents, "index_bytes": dir_bytes(index),
            **peak_rss_mb()}


def search(job: dict) -> dict:
    """Latencies in ms: {engine: [[one per query] per round]}, after warm-up rounds.

    Each round runs every engine in turn, starting with a different one each
    time, so a noisy moment on a shared machine hits all engines alike.
    """
    queries = by_name(job["queries"])
    names = list(job["indexes"])
    sessions, open_ms = {}, {}
    for name in names:
        started = time.perf_counter()
        sessions[name] = get(name).open(Path(job["indexes"][name]))
        open_ms[name] = (time.perf_counter() - started) * 1000
    outcomes = {name: {} for name in names}
    latencies = {name: [] for name in names}
    for round_no in range(job.get("warmup", 1) + job["rounds"]):
        measured = round_no >= job.get("warmup", 1)
        shift = round_no % len(names)
        for name in names[shift:] + names[:shift]:
            session, times = sessions[name], []
            for query in queries:
                started = time.perf_counter()
                outcome = session.search(query)
                times.append((time.perf_counter() - started) * 1000)
                outcomes[name][query.name] = outcome.as_dict()
            if measured:
                latencies[name].append(times)
    for session in sessions.values():
        session.close()
    return {"latency_ms": latencies, "outcomes": outcomes, "open_ms": open_ms,
            "queries": [q.name for q in queries], **peak_rss_mb()}


def cold(job: dict) -> dict:
    """Latencies in ms of our first search of each query on a freshly opened
    index ({"latency_ms": [[one per query] per round]}): nothing cached yet."""
    queries = by_name(job["queries"])
    engine, latencies = get("ours"), []
    for _ in range(job["rounds"]):
        times = []
        for query in queries:
            session = engine.open(Path(job["index"]))
            started = time.perf_counter()
            session.search(query)
            times.append((time.perf_counter() - started) * 1000)
            session.close()
        latencies.append(times)
    return {"latency_ms": latencies, "queries": [q.name for q in queries], **peak_rss_mb()}


def after_commit(job: dict) -> dict:
    """Latencies in ms of our first search of each query after a commit that
    adds one statement, on an index already warm: a server while the indexer
    runs ({"latency_ms": [[one per query] per round], "commit_s": [...]})."""
    from indexer.build import update_index

    queries, index, corpus = by_name(job["queries"]), Path(job["index"]), Path(job["corpus"])
    added = corpus / job["added_dir"]
    added.mkdir(parents=True, exist_ok=True)
    session, latencies, commits = get("ours").open(index), [], []
    for _ in range(2):  # warm, as a running server is: it has answered each query before
        for query in queries:  # (twice: a term's offsets are kept from its second search on)
            session.search(query)
    for round_no in range(job["rounds"]):
        times = []
        for n, query in enumerate(queries):
            tag = f"{round_no}x{n}"
            # A statement with words no other has, as a new statement's names are.
            (added / f"commit-{tag}.txt").write_text(
                f"Statement {tag}\n\n1 December 2026\n\nThe ministry spoke of the elections and of "
                f"Zorbland{tag}.\n\nМинистерство прокомментировало выборы в Зорбландии{tag}.\n",
                encoding="utf-8")
            started = time.perf_counter()
            update_index(corpus, index)
            commits.append(time.perf_counter() - started)
            started = time.perf_counter()
            session.search(query)
            times.append((time.perf_counter() - started) * 1000)
        latencies.append(times)
    session.close()
    return {"latency_ms": latencies, "commit_s": commits, "queries": [q.name for q in queries],
            **peak_rss_mb()}


JOBS = {"build": build, "search": search, "cold": cold, "after_commit": after_commit}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m bench.worker JOB.json", file=sys.stderr)
        return 2
    job = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    result = JOBS[job["kind"]](job)
    Path(job["result"]).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
