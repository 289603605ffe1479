"""The search library under the web server's load, without HTTP.

Under concurrent clients a CPU-bound request also waits for the others: with
8 clients on 2 cores each one waits for about three. To see what the web
layer itself costs under load, the library is called with the same
concurrency on the same resources as the server has: as many processes as
it has workers, the clients spread over them as threads whose searches take
turns as a worker's do (webui.turns.Turns), the same queries in the
same order. The server's p95 is then compared with this one.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from bench.engines.base import HITS
from bench.engines.ours import SAME_WORK, query_filters, query_text
from bench.measure import closed_loop, load_summary
from bench.queries import Query, by_name
from search.engine import SearchIndex
from webui.turns import Turns


def measure_library_load(index: Path, queries: tuple[Query, ...], *, clients: int, processes: int,
                         max_requests: int, max_seconds: float) -> dict:
    """Runs `clients` callers of `SearchIndex.search` spread over `processes`."""
    ctx = multiprocessing.get_context("spawn")  # fresh interpreters, as the server's workers
    processes = max(1, min(processes, clients))
    ready = ctx.Barrier(processes)
    out = ctx.Queue()
    names = [q.name for q in queries]
    share = [clients // processes + (i < clients % processes) for i in range(processes)]
    requests = [max_requests * s // clients for s in share]
    procs = [ctx.Process(target=_process, args=(str(index), names, share[i], requests[i], max_seconds,
                                                ready, out))
             for i in range(processes)]
    for p in procs:
        p.start()
    results = [out.get(timeout=max_seconds + 300) for _ in procs]
    for p in procs:
        p.join()
    failed = [r["failed"] for r in results if "failed" in r]
    if failed:
        raise RuntimeError(f"library load failed: {failed[0]}")
    latencies = [ms for r in results for ms in r["latencies"]]
    errors = [e for r in results for e in r["errors"]]
    summary = load_summary(latencies, errors, max(r["seconds"] for r in results), clients)
    return {**summary, "processes": processes}


def _process(index: str, names: list[str], threads: int, max_requests: int, max_seconds: float,
             ready, out) -> None:
    try:
        out.put(_calls(index, by_name(names), threads, max_requests, max_seconds, ready))
    except Exception as err:  # reported to the parent, which raises it
        ready.abort()
        out.put({"failed": f"{type(err).__name__}: {err}"})


def _calls(index: str, queries, threads: int, max_requests: int, max_seconds: float, ready) -> dict:
    search_index = SearchIndex(index)
    turns = Turns()

    def search(query):
        with turns.turn():
            search_index.search(query_text(query), filters=query_filters(query), per_page=HITS,
                                facets=True, with_snippets=True, **SAME_WORK)

    for query in queries:  # warm-up, as the server's is: every query once
        search(query)
    ready.wait(timeout=300)

    def make_caller():
        def call(n: int) -> str | None:
            try:
                search(queries[n % len(queries)])
            except Exception as err:
                return f"{type(err).__name__}: {err}"
            return None

        return call, lambda: None

    run = closed_loop(threads, max_requests, max_seconds, make_caller)
    search_index.close()
    return run
