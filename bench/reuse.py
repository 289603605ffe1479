"""Text reuse on the 1,938 UN General Debate speeches of ../shared.

    python -m bench.reuse cost      # a build with and without reuse, side by side
    python -m bench.reuse sample    # a random sample of reported passages, to judge by reading
    python -m bench.reuse precision # the sample's verdicts (bench/reuse_verdicts.json) counted
    python -m bench.reuse timing    # a statement's "Also said in", p50/p95 over many statements

`cost` builds the corpus twice in fresh processes, alternating, once as the
indexer is and once with reuse switched off (its columns empty, no passages
written): the ratio of their CPU times (a shared machine makes wall times
swing by half) is what reuse costs; the build with reuse also counts the CPU
time spent in reuse's own two functions. Each build's peak RSS and index size
are reported beside it. The sample is written
to bench/reuse_sample.json; each passage's verdict (a true repetition of
wording, or not) is kept in bench/reuse_verdicts.json by its key.
"""

from __future__ import annotations

import json
from collections import Counter
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import click

from bench import BENCH_DIR, DEFAULT_WORK, ROOT, corpora
from bench.measure import dir_bytes, percentile

SAMPLE_FILE = BENCH_DIR / "reuse_sample.json"
VERDICTS_FILE = BENCH_DIR / "reuse_verdicts.json"
SEED = 25
# Reuse off: its columns empty (each segment's texts arrays file lists them), no passages written.
OFF = ("indexer.fields.reuse_columns = lambda bodies: dict.fromkeys(indexer.fields.S.REUSE.values(), b'')\n"
       "indexer.build.write_passages = lambda ix: None\n")
TIMED = ("spent = [0.0]\n"  # reuse on, its own CPU time counted
         "def timed(f):\n"
         "    def g(*a):\n"
         "        t = time.process_time(); r = f(*a); spent[0] += time.process_time() - t; return r\n"
         "    return g\n"
         "indexer.fields.reuse_columns = timed(indexer.fields.reuse_columns)\n"
         "indexer.build.write_passages = timed(indexer.build.write_passages)\n")
BUILD = ("import sys, time, json, resource\nimport indexer.fields, indexer.build\nspent = [None]\n{patch}"
         "from indexer.build import update_index\n"
         "t = time.perf_counter(); s = update_index(sys.argv[1], sys.argv[2], rebuild=True)\n"
         "u = resource.getrusage(resource.RUSAGE_SELF)\n"
         "print(json.dumps({{'seconds': time.perf_counter() - t, 'cpu_s': u.ru_utime + u.ru_stime, "
         "'peak_rss_mb': u.ru_maxrss / 1024, 'reuse_cpu_s': spent[0], 'statements': s.documents}}))\n")


def _index(work: Path) -> tuple[Path, Path]:
    corpus = corpora.prepare("ungdc", work)
    return corpus.path, work / "reuse" / "index"


def _build(corpus: Path, where: Path, off: bool) -> dict:
    where.mkdir(parents=True, exist_ok=True)
    code = BUILD.format(patch=OFF if off else TIMED)
    out = subprocess.run([sys.executable, "-c", code, str(corpus), str(where)], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return {**json.loads(out.stdout.strip().splitlines()[-1]), "index_mb": dir_bytes(where) / 1e6}


@click.group()
def main():
    """Text reuse: build cost, precision of a sample, a statement's list time."""


@main.command()
@click.option("--work", type=click.Path(path_type=Path), default=DEFAULT_WORK, show_default=True)
@click.option("--rounds", type=click.IntRange(1, 5), default=1, show_default=True)
def cost(work, rounds):
    """A rebuild with reuse and one without, alternating, in fresh processes."""
    corpus, where = _index(work)
    off_dir = work / "reuse" / "index-off"
    runs = {"with": [], "without": []}
    for _ in range(rounds):
        runs["without"].append(_build(corpus, off_dir, off=True))
        runs["with"].append(_build(corpus, where, off=False))
        click.echo(f"without: {json.dumps(runs['without'][-1])}; with: {json.dumps(runs['with'][-1])}")
    best = {k: min(v, key=lambda r: r["cpu_s"]) for k, v in runs.items()}
    result = {"statements": best["with"]["statements"],
              "with_cpu_s": round(best["with"]["cpu_s"], 1), "without_cpu_s": round(best["without"]["cpu_s"], 1),
              "cpu_ratio": round(best["with"]["cpu_s"] / best["without"]["cpu_s"], 3),
              "reuse_cpu_s": round(best["with"]["reuse_cpu_s"], 1),
              "reuse_share": round(best["with"]["reuse_cpu_s"] / best["with"]["cpu_s"], 3),
              "with_wall_s": round(best["with"]["seconds"], 1), "without_wall_s": round(best["without"]["seconds"], 1),
              **{f"{k}_peak_rss_mb": round(min(r["peak_rss_mb"] for r in v)) for k, v in runs.items()},
              "rss_ratio": round(min(r["peak_rss_mb"] for r in runs["with"])
                                 / min(r["peak_rss_mb"] for r in runs["without"]), 3),
              **{f"{k}_index_mb": round(v[-1]["index_mb"], 1) for k, v in runs.items()},
              "runs": runs}
    (work / "reuse" / "cost.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    click.echo(json.dumps({k: v for k, v in result.items() if k != "runs"}))


def _passages(index) -> list[dict]:
    rows = []
    for pair in index.reuse("", limit=None).pairs:
        for p in pair.passages:
            rows.append({"key": f"{pair.earlier.id}|{pair.later.id}|{p.earlier.start}",
                         "earlier": pair.earlier.id, "later": pair.later.id, "words": p.words,
                         "earlier_text": p.earlier.text, "later_text": p.later.text})
    return rows


@main.command()
@click.option("--work", type=click.Path(path_type=Path), default=DEFAULT_WORK, show_default=True)
@click.option("--size", type=click.IntRange(10, 1000), default=100, show_default=True)
def sample(work, size):
    """A seeded random sample of the reported passages, written to bench/reuse_sample.json."""
    from search.engine import SearchIndex

    _, where = _index(work)
    with SearchIndex(where) as index:
        rows = _passages(index)
        pairs = len({(r["earlier"], r["later"]) for r in rows})
    chosen = sorted(random.Random(SEED).sample(rows, min(size, len(rows))), key=lambda r: r["key"])
    # Where lemmas could mislead: passages whose words differ in the two texts (a second sample).
    differing = [r for r in rows if _words(r["earlier_text"]) != _words(r["later_text"])]
    more = random.Random(SEED).sample(differing, min(size * 3 // 10, len(differing)))
    SAMPLE_FILE.write_text(json.dumps({"passages": len(rows), "pairs": pairs, "differing": len(differing),
                                       "seed": SEED, "sample": chosen, "differing_sample": more},
                                      indent=1, ensure_ascii=False), encoding="utf-8")
    click.echo(f"{len(rows):,} passages in {pairs:,} pairs ({len(differing):,} worded otherwise in one "
               f"of the two); {len(chosen)} + {len(more)} sampled into {SAMPLE_FILE}")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@main.command()
def precision():
    """The sample's verdicts counted: reported passages that are true repetitions of wording."""
    saved = json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))
    verdicts = json.loads(VERDICTS_FILE.read_text(encoding="utf-8"))
    for name in ("sample", "differing_sample"):
        chosen = saved[name]
        judged = [verdicts[r["key"]] for r in chosen if r["key"] in verdicts]
        right = sum(1 for v in judged if v["reuse"])
        kinds = Counter(v["kind"] for v in judged)
        click.echo(f"{name}: {right} of {len(judged)} judged passages are true repetitions "
                   f"({100 * right / max(1, len(judged)):.1f}%); {len(chosen) - len(judged)} not judged; "
                   f"kinds: {dict(kinds.most_common())}")
        for r in chosen:
            v = verdicts.get(r["key"])
            if v and not v["reuse"]:
                click.echo(f"  wrong: {r['key']}: {v.get('note', '')}")


@main.command()
@click.option("--work", type=click.Path(path_type=Path), default=DEFAULT_WORK, show_default=True)
@click.option("--statements", type=click.IntRange(10, 5000), default=300, show_default=True)
def timing(work, statements):
    """A statement's "Also said in" through the library: the first (the commit's passages
    read), then one per statement of a seeded sample."""
    from search.engine import SearchIndex

    _, where = _index(work)
    with SearchIndex(where) as index:
        all_ids = _all_ids(index)
        started = time.perf_counter()
        index.reuse_of(all_ids[0])
        first = (time.perf_counter() - started) * 1000
        times, cpu, shared = [], [], 0
        for n in random.Random(SEED).sample(range(len(all_ids)), min(statements, len(all_ids))):
            started, started_cpu = time.perf_counter(), time.process_time()
            found = index.reuse_of(all_ids[n])
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            shared += bool(found.others)
    result = {"first_ms": round(first, 1), "statements": len(times), "with_reuse": shared,
              "p50_ms": round(percentile(times, 50), 1), "p95_ms": round(percentile(times, 95), 1),
              "max_ms": round(max(times), 1), "cpu_p50_ms": round(percentile(cpu, 50), 1),
              "cpu_p95_ms": round(percentile(cpu, 95), 1)}
    (work / "reuse").mkdir(parents=True, exist_ok=True)
    (work / "reuse" / "timing.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    click.echo(json.dumps(result))


def _all_ids(index) -> list[str]:
    from search import schema as S
    from search.exec import storage

    return index._snapshots.retrying(lambda snap: [
        i for i, live in zip(storage.read_column(snap.searcher.reader(), S.ID), snap.table.live) if live])


if __name__ == "__main__":
    main()
