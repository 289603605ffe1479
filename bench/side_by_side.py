"""Engines searched side by side, each in a process of its own, round by round.

Each slot (an engine's index, searched with one code tree) gets a process that
opens it and answers a line on its standard input by running the query mix
once. Round by round every slot runs the mix, in an order that turns each
round, so a noisy moment on a shared machine hits all alike. One process per
engine keeps one engine's memory from slowing another's searches (beside
tantivy and SQLite FTS5 in one process, ours took up to 1.7x as long on phrases).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import click

# The process of one slot: opens the engine's index, says so with the time it
# took, then runs the mix once for each line it reads, answering with the
# latencies and what each search found.
CHILD = r"""
import json, sys, time
from pathlib import Path
from bench.engines import get
from bench.queries import by_name
started = time.perf_counter()
session = get(sys.argv[2]).open(Path(sys.argv[1]))
print("ready", (time.perf_counter() - started) * 1000, flush=True)
queries = by_name(sys.argv[3].split(","))
for line in sys.stdin:
    times, found = [], {}
    for q in queries:
        started = time.perf_counter()
        found[q.name] = session.search(q).as_dict()
        times.append((time.perf_counter() - started) * 1000)
    print(json.dumps({"ms": times, "found": found}), flush=True)
session.close()
"""


class Slot(NamedTuple):
    tree: Path  # the code that searches
    engine: str
    index: Path


def run(slots: dict[str, Slot], queries: list[str], rounds: int, warmup: int = 1) -> dict:
    """{"latency_ms": {slot: [[ms per query] per round]}, "outcomes": {slot: {query: what it
    found}}, "open_ms": {slot: ms}}, after `warmup` rounds that are not counted."""
    procs, open_ms = {}, {}
    try:
        for key, slot in slots.items():
            procs[key] = proc = subprocess.Popen(
                [sys.executable, "-c", CHILD, str(slot.index), slot.engine, ",".join(queries)],
                cwd=slot.tree, env={**os.environ, "PYTHONPATH": str(slot.tree)},
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            ready = proc.stdout.readline().split()
            if ready[:1] != ["ready"]:
                raise click.ClickException(f"the process of {key} ({slot.tree}) did not start")
            open_ms[key] = float(ready[1])
        keys = list(slots)
        latency = {key: [] for key in keys}
        outcomes = {}
        for round_no in range(warmup + rounds):
            shift = round_no % len(keys)
            for key in keys[shift:] + keys[:shift]:
                proc = procs[key]
                proc.stdin.write("run\n")
                proc.stdin.flush()
                answer = json.loads(proc.stdout.readline())
                if round_no >= warmup:
                    latency[key].append(answer["ms"])
                outcomes[key] = answer["found"]
    finally:
        for proc in procs.values():
            proc.stdin.close()
            proc.wait()
    return {"latency_ms": latency, "outcomes": outcomes, "open_ms": open_ms}
