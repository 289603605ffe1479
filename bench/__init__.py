"""Benchmarks: our indexer and search against plain Whoosh, SQLite FTS5 and tantivy.

`python -m bench` builds corpora of increasing size, measures every engine on
the same statements and the same query mix, and writes `bench/RESULTS.md` and
`bench/results.png`. Generated corpora, indexes and raw measurements live in
`bench/work/`, which is never committed (one of the sets has no licence).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
SHIPPED_CORPUS = ROOT / "corpus"
# Real public text beside the project (see ../shared/corpus-raw/SOURCES.md);
# optional: without it the benchmark scales up the shipped corpus instead.
SHARED_RAW = ROOT.parent / "shared" / "corpus-raw"
DEFAULT_WORK = BENCH_DIR / "work"
