"""Do huge statements slow down the searches that do not match them?

Indexes the shipped corpus twice, once as it is and once with two 50 MB text
files added (the largest file the indexer takes by default), and times the
same searches on both: searches whose hits do not include the huge files
should stay within 2x of their speed without them.

    .venv/bin/python -m bench.big_statements [--statement-mb N] [--repeat 5]
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

import click

from bench import SHIPPED_CORPUS
from indexer.build import update_index
from search import config
from search.engine import SearchIndex

BIG_IDS = ("huge/one.txt", "huge/two.txt")
QUERIES = ("выборы", '"оккупированные территории"', "москва OR кремль", "резолюция",
           "Golunov", "журналист*", "выборы -москва", "",
           # These match the huge files too: what a statement's size costs its own searches.
           "general assembly", '"sustainable development"')


def write_huge(path: Path, size: int, seed_text: str) -> None:
    """A text file of `size` bytes: an English speech, over and over, numbered."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        f.write("A very long statement\n\n")
        written, n = 0, 0
        while written < size - len(seed_text) - 32:
            block = f"Part {n}.\n\n{seed_text}\n\n"
            f.write(block)
            written += len(block.encode("utf-8"))
            n += 1


def timings(index_dir: Path, repeat: int) -> dict[str, tuple[float, int]]:
    """For each query: (median seconds, statements found)."""
    out = {}
    with SearchIndex(index_dir) as index:
        for q in QUERIES:
            index.search(q)  # warm the caches this commit's searches share
            seconds = []
            for _ in range(repeat):
                started = time.perf_counter()
                result = index.search(q, per_page=20)
                seconds.append(time.perf_counter() - started)
            out[q] = (statistics.median(seconds), result.total)
    return out


@click.command()
@click.option("--statement-mb", type=float, default=config.MAX_STATEMENT_MB.default,
              show_default=True, help="The per-statement limit to index with.")
@click.option("--huge-mb", type=float, default=config.MAX_FILE_MB.default * 0.99, show_default=True)
@click.option("--repeat", type=int, default=5, show_default=True)
def main(statement_mb, huge_mb, repeat):
    work = Path(tempfile.mkdtemp(prefix="big-statements-"))
    try:
        plain, huge = work / "plain", work / "huge"
        shutil.copytree(SHIPPED_CORPUS, plain)
        shutil.copytree(SHIPPED_CORPUS, huge)
        speech = next(p for p in sorted((SHIPPED_CORPUS / "ungdc").rglob("*.txt"))
                      if not p.name.startswith("README")).read_text(encoding="utf-8")
        for rel in BIG_IDS:
            write_huge(huge / rel, int(huge_mb * config.MB), speech)
        limit = int(statement_mb * config.MB)
        builds = {}
        for name, corpus in (("plain", plain), ("huge", huge)):
            started = time.perf_counter()
            summary = update_index(corpus, work / f"index-{name}", max_statement_size=limit)
            builds[name] = time.perf_counter() - started
            click.echo(f"{name}: {summary.documents} statements indexed in {builds[name]:.1f} s; "
                       + "; ".join(str(w) for w in summary.warnings if w.path in BIG_IDS))
        before, after = timings(work / "index-plain", repeat), timings(work / "index-huge", repeat)
        click.echo(f"\nper-statement limit {statement_mb:g} MB; two files of {huge_mb:g} MB\n")
        click.echo(f"{'query':32} {'without':>9} {'with':>9} {'ratio':>6}  matches the huge files")
        worst = 0.0
        for q in QUERIES:
            (t0, total0), (t1, total1) = before[q], after[q]
            matches = total1 > total0
            if not matches:
                worst = max(worst, t1 / t0)
            click.echo(f"{q or '(everything)':32} {t0 * 1000:7.1f}ms {t1 * 1000:7.1f}ms "
                       f"{t1 / t0:6.2f}  {'yes' if matches else 'no'}")
        click.echo(f"\nworst ratio of the searches that do not match them: {worst:.2f}x")
        with SearchIndex(work / "index-huge") as index:
            started = time.perf_counter()
            doc = index.document(BIG_IDS[0])
            click.echo(f"reading {BIG_IDS[0]} whole: {(time.perf_counter() - started) * 1000:.0f} ms, "
                       f"{sum(len(s.text) for s in doc.sections) / config.MB:.1f} M characters")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
