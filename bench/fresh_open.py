"""A freshly opened index, with and without its segments' arrays files, side by side.

For an index of ours, makes a copy without the arrays files (hard links: no
bytes copied) and, round by round in alternating order, times in a fresh
process on each: the first search of every query of the mix on a newly opened
`SearchIndex` (as the main benchmark's fresh open), then warm searches of the
same queries. Prints each one's p50/p95 and fresh p95 ÷ warm p95.

    .venv/bin/python -m bench.fresh_open INDEX [--rounds 3] [--warm-rounds 3]

An index without arrays files (built before them) gets them first, timed.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import click

from bench import BENCH_DIR, ROOT
from bench.measure import dir_bytes
from bench.queries import MIX

SECTION = "## Fresh open with and without the arrays files (`python -m bench.fresh_open`)"
BEFORE = "\n## Web server"  # (the section goes after the main run's fresh-open section)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def one(index: Path, warm_rounds: int) -> dict:
    """In this process: fresh-open first searches, then warm ones (ms)."""
    from bench.engines.ours import Ours

    engine, fresh = Ours(), []
    for query in MIX:
        session = engine.open(index)
        started = time.perf_counter()
        session.search(query)
        fresh.append((time.perf_counter() - started) * 1000)
        session.close()
    session, warm = engine.open(index), []
    for round_no in range(1 + warm_rounds):
        for query in MIX:
            started = time.perf_counter()
            session.search(query)
            if round_no:
                warm.append((time.perf_counter() - started) * 1000)
    status = session.index.status().as_dict()
    session.close()
    return {"fresh": fresh, "warm": warm, "status": status}


def without_files(index: Path) -> Path:
    """A copy of `index` (hard links) without its arrays files."""
    from search.exec.segment_files import SUFFIX

    copy = index.with_name(index.name + "-without-arrays")
    if copy.exists():
        for path in copy.iterdir():
            path.unlink()
    else:
        copy.mkdir()
    for path in index.iterdir():
        if path.is_file() and not path.name.endswith(SUFFIX) and not path.name.endswith(".lock"):
            os.link(path, copy / path.name)
    return copy


@click.command()
@click.argument("index", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--rounds", default=3, show_default=True, help="Fresh processes per index.")
@click.option("--warm-rounds", default=3, show_default=True, help="Warm rounds of the mix per process.")
@click.option("--no-write", is_flag=True, help="Print the figures only; leave RESULTS.md alone.")
@click.option("--one", "single", is_flag=True, hidden=True)
def main(index, rounds, warm_rounds, no_write, single):
    """Fresh open with and without the arrays files of INDEX, side by side."""
    if single:
        click.echo(json.dumps(one(index, warm_rounds)))
        return
    from whoosh import index as whoosh_index

    from search.exec.segment_files import write_missing

    from search.exec.segment_files import SUFFIX

    started = time.perf_counter()
    written = write_missing(whoosh_index.open_dir(str(index)))
    click.echo(f"wrote {written} arrays files in {time.perf_counter() - started:.1f} s")
    arrays_mb = sum(p.stat().st_size for p in index.glob(f"*{SUFFIX}")) / 1e6
    indexes = {"with arrays files": index, "without (an older index)": without_files(index)}
    results = {name: {"fresh": [], "warm": []} for name in indexes}
    for round_no in range(rounds):
        names = list(indexes)[::1 if round_no % 2 == 0 else -1]
        for name in names:
            proc = subprocess.run([sys.executable, "-m", "bench.fresh_open", str(indexes[name]), "--one",
                                   "--warm-rounds", str(warm_rounds)], cwd=ROOT, capture_output=True,
                                  text=True, check=True)
            found = json.loads(proc.stdout.strip().splitlines()[-1])
            results[name]["fresh"] += found["fresh"]
            results[name]["warm"] += found["warm"]
            results[name]["status"] = found["status"]
    rows = []
    for name, found in results.items():
        warm95 = percentile(found["warm"], 95)
        fresh50, fresh95 = statistics.median(found["fresh"]), percentile(found["fresh"], 95)
        status = found["status"]
        rows.append(f"| {name} | {status['statements']:,} | {status['segments']} | {status['slow_segments']} | "
                    f"{statistics.median(found['warm']):.1f} | {warm95:.1f} | {fresh50:.1f} | {fresh95:.1f} | "
                    f"{fresh95 / warm95:.2f}x |")
    section = "\n".join([
        SECTION, "",
        f"The index of `{index.name}` ({dir_bytes(index) / 1e6:,.0f} MB, of which {arrays_mb:.1f} MB arrays files) "
        "and a copy of it without its arrays files, as an index built before them opens: in fresh processes, "
        f"{rounds} per index, alternating, each query of the mix searched once on a newly opened `SearchIndex` "
        f"(fresh open), then the mix {warm_rounds} times on one (warm). The same machine, the same run "
        f"(load average {os.getloadavg()[0]:.1f} at its end). A process's first search also loads what every "
        "index of the process shares (imports, morphological dictionaries, the gazetteer): the fresh-open p95 "
        "includes it, as the main run's does.", "",
        "| index | statements | segments | segments read value by value | warm p50 ms | warm p95 ms | "
        "fresh open p50 ms | fresh open p95 ms | ÷ warm p95 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|", *rows, "",
        f"Command: `python -m bench.fresh_open INDEX --rounds {rounds} --warm-rounds {warm_rounds}`.", ""])
    click.echo(section)
    if not no_write:
        write_section(BENCH_DIR / "RESULTS.md", section)


def write_section(results_md: Path, section: str) -> None:
    """Puts the section in place of its previous version, or after the fresh-open section."""
    text = results_md.read_text(encoding="utf-8")
    start = text.find(SECTION)
    if start >= 0:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + (text[end + 1:] if end >= 0 else "")
    else:
        at = text.find(BEFORE)
        at = at + 1 if at >= 0 else len(text)
        text = text[:at] + section + "\n" + text[at:]
    results_md.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
