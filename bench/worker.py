"""One measurement in a fresh process: `python -m bench.worker JOB.json`.

Jobs are JSON: {"kind": "build", …} indexes a corpus with one engine; "cold"
and "after_commit" time our first searches on a freshly opened index and after
a commit. The result is written to the job's "result" path. (Warm searches are
timed by bench.side_by_side, each engine in a process of its own.)
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


JOBS = {"build": build, "cold": cold, "after_commit": after_commit}


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
