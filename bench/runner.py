"""A benchmark run: for each corpus size, builds, updates, searches and serves.

Each size is measured in phases (builds, incremental runs, searches, the web
server); every phase measures all engines side by side, and its results are
saved to `WORK/results/SIZE.json` as soon as it ends, so `--resume` can pick
up an interrupted run where it stopped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import ROOT, corpora, side_by_side
from bench.engines import missing_modules
from bench.measure import WorkerFailed, run_worker
from bench.queries import MIX
from bench.server import ServerUnavailable, measure_server
from bench.side_by_side import Slot

RESULTS_VERSION = 1
PHASES = ("builds", "incremental", "search", "cold", "after_commit", "server")
SMALL_CORPUS = 50_000  # statements: builds below this are repeated (each takes minutes at most)
# Statements from which our indexer builds with two processes only: one would
# take most of an hour on its own.
LARGE_CORPUS = 200_000
PARALLEL = "ours-p2"  # our indexer with two processes
LIBRARY = ("search", "indexer", "webui")  # what the figures measure


@dataclass
class Options:
    sizes: list[str]
    engines: list[str]
    out: Path
    work: Path
    repeat: int = 5
    build_repeat: int | None = None  # None: up to 3 for small corpora, 1 for large ones
    quick: bool = False
    resume: bool = False
    redo: list[str] = field(default_factory=list)  # phases to measure again on --resume
    skip: list[str] = field(default_factory=list)  # phases not measured in this run
    server: bool = True
    parallel: bool = True  # also build with our indexer's two processes
    clients: int = 8
    server_requests: int = 400
    server_seconds: float = 120.0
    server_start_timeout: float = 60.0
    log: object = print
    notes: list[str] = field(default_factory=list)

    def builds_for(self, statements: int) -> int:
        if self.build_repeat:
            return self.build_repeat
        return min(self.repeat, 3) if statements < SMALL_CORPUS else 1


def usable_engines(names: list[str], log) -> list[str]:
    """The engines asked for that can run here; the others are reported and left out."""
    usable = []
    for name in names:
        missing = missing_modules(name)
        if missing:
            log(f"[skip] engine {name}: {', '.join(missing)} is not installed "
                "(pip install -e '.[bench]')")
        else:
            usable.append(name)
    return usable


def run(opts: Options) -> list[dict]:
    """Measures every size; returns the results of every size on record."""
    log = opts.log
    engines = usable_engines(opts.engines, log)
    if not engines:
        raise SystemExit("no engine to measure")
    for name in opts.sizes:
        try:
            corpus = corpora.prepare(name, opts.work, quick=opts.quick, log=log)
        except corpora.Unavailable as err:
            log(f"[skip] size {err}")
            opts.notes.append(f"Size {name} was skipped: {err}.")
            continue
        _SizeRun(corpus, engines, opts).run()
    return load_results(opts.work)


def results_dir(work: Path) -> Path:
    return work / "results"


def load_results(work: Path) -> list[dict]:
    """Every size's saved results, smallest corpus first."""
    found = []
    for path in sorted(results_dir(work).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") == RESULTS_VERSION:
            found.append(data)
    return sorted(found, key=lambda r: r["corpus"]["statements"])


class _SizeRun:
    """The phases of one size, saved one by one."""

    def __init__(self, corpus: corpora.Corpus, engines: list[str], opts: Options):
        self.corpus = corpus
        self.engines = engines
        self.opts = opts
        self.indexes = opts.work / "indexes" / corpus.name
        self.path = results_dir(opts.work) / f"{corpus.name}.json"
        self.builds = opts.builds_for(corpus.statements)
        self.data = self._start()

    def _start(self) -> dict:
        fresh = {
            "version": RESULTS_VERSION,
            "size": self.corpus.name,
            "corpus": self.corpus.as_dict(),
            "engines": self.engines,
            "repeat": self.opts.repeat,
            "build_repeat": self.builds,
            "quick": self.opts.quick,
            "started": dt.datetime.now().isoformat(timespec="seconds"),
            "machine": machine(),
        }
        if self.opts.resume and self.path.is_file():
            saved = json.loads(self.path.read_text(encoding="utf-8"))
            same = {k: saved.get(k) for k in ("version", "corpus", "engines", "repeat", "build_repeat")}
            if same == {k: fresh[k] for k in same}:
                for phase in self.opts.redo:
                    saved.pop(phase, None)
                return saved
        return fresh

    def log(self, message: str) -> None:
        self.opts.log(f"[{time.strftime('%H:%M:%S')}] [{self.corpus.name}] {message}")

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.data["finished"] = dt.datetime.now().isoformat(timespec="seconds")
        self.path.write_text(json.dumps(self.data, indent=1, ensure_ascii=False), encoding="utf-8")

    def run(self) -> None:
        c = self.corpus
        self.log(f"{c.statements:,} statements, {c.bytes / 1e6:.1f} MB; engines {', '.join(self.engines)}")
        phases = [("builds", self.measure_builds)]
        if "ours" in self.engines:
            phases.append(("incremental", self.measure_incremental))
        phases.append(("search", self.measure_search))
        if "ours" in self.engines:
            phases.append(("cold", self.measure_cold))
            phases.append(("after_commit", self.measure_after_commit))
        if "ours" in self.engines and self.opts.server:
            phases.append(("server", self.measure_server))
        if not all((self.indexes / e).is_dir() for e in self.engines):
            for key, _ in phases:  # without the indexes, nothing saved can be kept
                self.data.pop(key, None)
        for key, phase in phases:
            if key in self.opts.skip:
                self.log(f"{key}: skipped")
                continue
            saved = self.data.get(key)
            if saved and "failed" not in saved and "skipped" not in saved:
                self.log(f"{key}: kept from the previous run")
                continue
            try:
                self.data[key] = phase()
            except WorkerFailed as err:
                self.log(f"{key} failed: {err}")
                self.data[key] = {"failed": str(err)}
            self.data.setdefault("revisions", {})[key] = revision()
            self.save()

    # --- phases -------------------------------------------------------------------

    def _build(self, engine: str, index: Path, procs: int = 1, rebuild: bool = True) -> dict:
        return run_worker({"kind": "build", "engine": engine, "corpus": str(self.corpus.path),
                           "index": str(index), "procs": procs, "rebuild": rebuild})

    def measure_builds(self) -> dict:
        """Full builds of every engine (and ours with two processes), round by round."""
        large = self.corpus.statements >= LARGE_CORPUS
        variants = [(e, 2 if large and e == "ours" else 1) for e in self.engines]
        if "ours" in self.engines and self.opts.parallel and not large:
            variants.append(("ours", 2))
        runs: dict[str, list[dict]] = {}
        for round_no in range(self.builds):
            shift = round_no % len(variants)
            for engine, procs in variants[shift:] + variants[:shift]:
                key = PARALLEL if procs == 2 and not large else engine
                index = self.indexes / key
                shutil.rmtree(index, ignore_errors=True)
                result = self._build(engine, index, procs)
                runs.setdefault(key, []).append({**result, "procs": procs})
                self.log(f"build {key} {round_no + 1}/{self.builds}: {result['seconds']:.1f} s, "
                         f"{self.corpus.statements / result['seconds']:,.0f} statements/s, "
                         f"{result['index_bytes'] / 1e6:.0f} MB, peak RSS {result['rss_mb']:.0f} MB")
                if result["documents"] != self.corpus.statements:
                    self.log(f"warning: {key} indexed {result['documents']:,} statements, "
                             f"not {self.corpus.statements:,}")
        if PARALLEL in runs:
            shutil.rmtree(self.indexes / PARALLEL, ignore_errors=True)  # only its time matters
        return runs

    def measure_incremental(self) -> dict:
        """Our indexer on an unchanged corpus, and after adding 1% new statements."""
        base, copy = self.indexes / "ours", self.indexes / "ours-incremental"
        out = {"nochange": [], "incremental": [], "added": 0}
        for round_no in range(self.builds):
            result = self._build("ours", base, rebuild=False)
            out["nochange"].append(result)
            self.log(f"no-change run {round_no + 1}/{self.builds}: {result['seconds']:.2f} s")
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(base, copy)
            try:
                out["added"] = corpora.add_statements(self.corpus, quick=self.opts.quick)
                result = self._build("ours", copy, rebuild=False)
            finally:
                corpora.remove_added(self.corpus.path)
                shutil.rmtree(copy, ignore_errors=True)
            out["incremental"].append(result)
            self.log(f"incremental run (+{out['added']:,}) {round_no + 1}/{self.builds}: "
                     f"{result['seconds']:.2f} s")
        return out

    def measure_search(self) -> dict:
        self.log(f"search: {len(MIX)} queries x {self.opts.repeat} rounds on {', '.join(self.engines)}")
        result = side_by_side.run({e: Slot(ROOT, e, self.indexes / e) for e in self.engines},
                                  [q.name for q in MIX], self.opts.repeat, warmup=1)
        result["queries"] = [q.name for q in MIX]
        for engine, rounds in result["latency_ms"].items():
            worst = max(max(r) for r in rounds)
            self.log(f"search {engine}: slowest query {worst:.0f} ms")
        return result

    def measure_cold(self) -> dict:
        """Our first search of each query on a freshly opened index: every cache
        empty, as after a commit that rewrote the segments (a merge, a rebuild)."""
        # Each cold search opens the index anew: one round of a large corpus takes minutes.
        rounds = self.opts.repeat if self.corpus.statements < SMALL_CORPUS else 1
        self.log(f"cold search: {len(MIX)} queries x {rounds} rounds on ours")
        result = run_worker({
            "kind": "cold",
            "index": str(self.indexes / "ours"),
            "queries": [q.name for q in MIX],
            "rounds": rounds,
        })
        worst = max(max(r) for r in result["latency_ms"])
        self.log(f"cold search ours: slowest first search {worst:.0f} ms")
        return result

    def measure_after_commit(self) -> dict:
        """Our first search of each query after a commit that adds one statement,
        on a copy of our index kept warm: what the cache keyed by segment is for."""
        rounds = self.opts.repeat if self.corpus.statements < SMALL_CORPUS else 1
        copy = self.indexes / "ours-commit"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(self.indexes / "ours", copy)
        self.log(f"first search after a commit: {len(MIX)} queries x {rounds} rounds on ours")
        try:
            result = run_worker({
                "kind": "after_commit", "index": str(copy), "corpus": str(self.corpus.path),
                "added_dir": corpora.ADDED_DIR, "queries": [q.name for q in MIX], "rounds": rounds,
            })
        finally:
            corpora.remove_added(self.corpus.path)
            shutil.rmtree(copy, ignore_errors=True)
        worst = max(max(r) for r in result["latency_ms"])
        self.log(f"after a commit ours: slowest first search {worst:.0f} ms")
        return result

    def measure_server(self) -> dict:
        o = self.opts
        self.log(f"web server: {o.clients} clients, up to {o.server_requests} requests")
        try:
            result = measure_server(
                self.indexes / "ours", MIX, clients=o.clients, max_requests=o.server_requests,
                max_seconds=o.server_seconds, start_timeout=o.server_start_timeout,
            )
        except ServerUnavailable as err:
            self.log(f"[skip] web server: {err}")
            return {"skipped": str(err)}
        c, lib = result["concurrent"], result["library_concurrent"]
        self.log(f"web server: {c['requests']} requests, {c['errors']} errors, "
                 f"{c['rps']:.1f} req/s, p95 {c['p95_ms']:.0f} ms")
        if "failed" in lib:
            self.log(f"library under the same load failed: {lib['failed']}")
        else:
            self.log(f"library under the same load: {lib['rps']:.1f} calls/s, p95 {lib['p95_ms']:.0f} ms")
        return result


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "revision": revision(),
    }


def revision() -> str:
    """The commit measured, with the library files changed since it, if any."""
    def git(*args) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                                  timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = git("status", "--porcelain", "--", *LIBRARY).splitlines()
    return commit + (f" + {len(changed)} changed library files" if changed else "")
