"""Measuring: worker subprocesses, peak memory, sizes on disk, percentiles."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bench import ROOT


class WorkerFailed(Exception):
    """A measurement subprocess exited with an error; the message ends with its output."""


def run_worker(job: dict, timeout: float | None = None) -> dict:
    """Runs `python -m bench.worker` on a job in a fresh process; returns its result.

    A fresh process per build gives each engine the same cold start and a
    peak RSS of its own.
    """
    with tempfile.TemporaryDirectory(prefix="bench-job-") as tmp:
        spec, result = Path(tmp) / "job.json", Path(tmp) / "result.json"
        spec.write_text(json.dumps({**job, "result": str(result)}), encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "bench.worker", str(spec)], cwd=ROOT,
            capture_output=True, text=True, timeout=timeout,
        )
        if proc.returncode != 0 or not result.is_file():
            tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
            raise WorkerFailed(f"{job.get('kind')} job failed (exit {proc.returncode}):\n{tail}")
        return json.loads(result.read_text(encoding="utf-8"))


def peak_rss_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its largest finished child, in MB."""
    scale = 1024 if sys.platform != "darwin" else 1  # kilobytes on Linux, bytes on macOS
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale
    return {"rss_mb": own / 1e6, "children_rss_mb": children / 1e6}


def process_peak_rss_mb(pid: int) -> float | None:
    """Another process's peak RSS so far (Linux's VmHWM), or None where unknown."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    return None


def process_tree(pid: int) -> list[int]:
    """A process and its children (the server's worker processes)."""
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        children = {int(c) for t in tasks for c in (t / "children").read_text().split()}
    except OSError:
        children = set()
    return [pid, *sorted(children)]


def process_tree_peak_rss_mb(pid: int) -> float | None:
    """Peak RSS of a process and its children (the server's worker processes),
    summed: an upper bound, as pages they share count once for each."""
    first, *children = process_tree(pid)
    total = process_peak_rss_mb(first)
    if total is None:
        return None
    return total + sum(process_peak_rss_mb(c) or 0.0 for c in children)


# What the kernel's smaps_rollup calls each kind of resident memory, and our names.
MEMORY_KINDS = {"Rss": "rss_mb", "Pss": "pss_mb", "Anonymous": "anon_mb"}


def tree_memory_mb(pid: int) -> dict[str, float] | None:
    """A process tree's resident memory now, summed over its processes (Linux):
    rss counts a page once for every process that maps it; pss divides a shared
    page among them, so its sum is what the tree occupies; anon is the memory
    the processes made themselves (no file pages the kernel may drop)."""
    total = dict.fromkeys(MEMORY_KINDS.values(), 0.0)
    found = False
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup", encoding="ascii") as f:
                for line in f:
                    key, _, rest = line.partition(":")
                    if key in MEMORY_KINDS:
                        total[MEMORY_KINDS[key]] += int(rest.split()[0]) / 1024
            found = True
        except (OSError, ValueError, IndexError):
            continue
    return total if found else None


class PeakMemory:
    """Samples a process tree's memory (`tree_memory_mb`) every `every` seconds
    inside a `with` block; `peak` holds the highest sum of each kind."""

    def __init__(self, pid: int, every: float = 0.2):
        self.pid, self.every = pid, every
        self.peak: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while True:
            now = tree_memory_mb(self.pid)
            for kind, value in (now or {}).items():
                self.peak[kind] = max(self.peak.get(kind, 0.0), value)
            if self._stop.wait(self.every):
                return

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def dir_bytes(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total


def percentile(values, p: float) -> float:
    """The p-th percentile, linearly interpolated (numpy's default method)."""
    data = sorted(values)
    if not data:
        return float("nan")
    k = (len(data) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (k - lo)


def median(values) -> float:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")


def closed_loop(callers: int, max_requests: int, max_seconds: float,
                make_caller: Callable[[], tuple[Callable[[int], str | None], Callable[[], None]]]) -> dict:
    """`callers` threads take request numbers in turn until `max_requests` are
    done or time is up; each thread's `make_caller()` gives (call, close), where
    call(n) makes request n and returns a problem or None.

    Returns {"latencies": [ms, ...], "errors": [problem, ...], "seconds": wall time}.
    """
    lock = threading.Lock()
    state = {"next": 0}
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + max_seconds

    def run() -> None:
        call, close = make_caller()
        try:
            while True:
                with lock:
                    n = state["next"]
                    if n >= max_requests or time.monotonic() >= deadline:
                        return
                    state["next"] = n + 1
                started = time.perf_counter()
                problem = call(n)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    if problem:
                        errors.append(problem)
        finally:
            close()

    started = time.perf_counter()
    threads = [threading.Thread(target=run) for _ in range(callers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"latencies": latencies, "errors": errors, "seconds": time.perf_counter() - started}


def load_summary(latencies: list[float], errors: list[str], seconds: float, clients: int) -> dict:
    """Requests, errors, throughput and latency percentiles of a closed-loop run."""
    return {
        "clients": clients,
        "requests": len(latencies),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:3],
        "seconds": seconds,
        "rps": len(latencies) / seconds if seconds else 0.0,
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
    }
