"""Smoke test of the benchmark harness: a tiny corpus, every engine that can run.

Runs `python -m bench --quick` on 30 statements generated from corpus/ into a
temporary directory and checks the results table it writes. It needs neither
../shared nor the optional extras (tantivy, matplotlib): without them those
parts are skipped, and said so.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _table(markdown: str, heading: str) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the first table after a heading."""
    lines = markdown.split(heading, 1)[1].splitlines()
    start = next(n for n, ln in enumerate(lines) if ln.startswith("|"))
    end = next((n for n in range(start, len(lines)) if not lines[n].startswith("|")), len(lines))
    cells = [[c.strip() for c in ln.strip("|").split("|")] for ln in lines[start:end]]
    return cells[0], cells[2:]


@pytest.mark.timeout(300)
def test_quick_run_writes_a_results_table(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=280,  # (a guard against a hang, not a speed target)
    )
    assert proc.returncode == 0, proc.stderr[-3000:]

    markdown = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    header, rows = _table(markdown, "## Engines by corpus size")
    assert header[:4] == ["size", "statements", "MB", "engine"]
    assert {"build s", "docs/s", "MB/s", "index MB", "search p95 ms", "p95 ÷ SQLite"} <= set(header)
    engines = {row[header.index("engine")]: row for row in rows}
    expected = {"ours", "ours, 2 processes", "whoosh", "sqlite"} | ({"tantivy"} if _installed("tantivy") else set())
    assert set(engines) == expected, proc.stderr[-3000:]
    for name in expected - {"ours, 2 processes"}:
        row = engines[name]
        assert row[header.index("statements")] == "30"
        assert float(row[header.index("docs/s")].replace(",", "")) > 0
        assert float(row[header.index("search p95 ms")]) > 0
    assert engines["sqlite"][header.index("p95 ÷ SQLite")] == "1.00x"
    if not _installed("tantivy"):
        assert "engine tantivy: tantivy is not installed" in proc.stderr

    targets, target_rows = _table(markdown, "## Targets")
    assert targets == ["target", "size (statements)", "measured", "limit", "result"]
    assert all(row[-1] in ("pass", "FAIL", "not measured") for row in target_rows)
    assert "## Our indexer" in markdown and "incremental s" in markdown

    # Our first searches after a commit and on a freshly opened index, beside the warm ones.
    cold, cold_rows = _table(markdown, "## Our first search after a commit")
    assert cold == ["size", "warm p95 ms", "after a commit p50 ms", "after a commit p95 ms",
                    "÷ warm p95", "fresh open p50 ms", "fresh open p95 ms", "÷ warm p95"]
    assert len(cold_rows) == 1 and float(cold_rows[0][3]) > 0 and float(cold_rows[0][6]) > 0
    assert cold_rows[0][4].endswith("x") and cold_rows[0][7].endswith("x")
    assert any(row[0].startswith("first search after a commit") and row[-1] != "not measured"
               for row in target_rows)

    # The web server and, for comparison, the library under the same load: both answered.
    web, web_rows = _table(markdown, "## Web server")
    callers = {row[web.index("caller")] + f" x{row[web.index('clients')]}": row for row in web_rows}
    assert set(callers) == {"HTTP x1", "HTTP x8", "library, 2 processes x8"}, proc.stderr[-3000:]
    for row in callers.values():
        assert row[web.index("errors")] == "0"
        assert int(row[web.index("requests")]) > 0 and float(row[web.index("p95 ms")]) > 0
    # Its memory: what it occupies (PSS), never more than each process's peak summed.
    http = callers["HTTP x8"]
    pss, rss = (float(http[web.index(h)].replace(",", "")) for h in ("server peak MB (PSS)", "summed RSS MB"))
    assert 0 < pss <= rss and float(http[web.index("its own (anonymous) MB")].replace(",", "")) > 0

    assert (tmp_path / "results.png").is_file() == _installed("matplotlib")
    # Generated corpora and indexes stay in the output's work directory.
    assert (tmp_path / "work" / "corpora" / "30").is_dir()


def test_two_code_trees_side_by_side(tmp_path, index_dir):
    """`python -m bench.versus`: each tree's own process searches the same index, round by round."""
    indexes = tmp_path / "work" / "indexes" / "tiny"
    indexes.mkdir(parents=True)
    (indexes / "ours").symlink_to(index_dir)
    proc = subprocess.run(
        [sys.executable, "-m", "bench.versus", "--size", "tiny", "--tree", f"before={ROOT}",
         "--tree", f"after={ROOT}", "--rounds", "2", "--work", str(tmp_path / "work"),
         "--out", str(tmp_path / "raw.json")],
        cwd=ROOT, capture_output=True, text=True, timeout=280,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = {line.split("|")[1].strip(): line for line in proc.stdout.splitlines() if line.startswith("| ")}
    assert {"before:ours", "after:ours"} <= set(rows)
    assert "- p95 after:ours ÷ before:ours:" in proc.stdout
    assert "found the same numbers" in proc.stdout
    import json
    raw = json.loads((tmp_path / "raw.json").read_text(encoding="utf-8"))
    assert [len(r) for r in raw["latency_ms"]["after:ours"]] == [17, 17]


def test_a_tree_that_is_no_folder_is_refused(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "bench.versus", "--size", "news", "--tree", "x=/no/such/tree"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "LABEL=PATH" in proc.stderr


def test_short_items_are_a_corpus_of_records(tmp_path):
    """`2500-short`: short synthetic items as JSON Lines of a thousand, each read
    as one statement with the date, title and language its record gives."""
    from bench.corpora import check_size_name, prepare, synthetic_count
    from indexer.read import drafts, load
    from indexer.scan import scan

    assert synthetic_count("1m-short") == 1_000_000 and synthetic_count("20k") == 20_000
    with pytest.raises(ValueError, match="1m-short"):
        check_size_name("1x-short")
    corpus = prepare("2500-short", tmp_path, quick=True, log=lambda line: None)
    assert corpus.statements == 2500
    files = sorted(p.name for p in corpus.path.rglob("*.jsonl"))
    assert files == ["items-0000.jsonl", "items-0001.jsonl", "items-0002.jsonl"]
    groups = scan(corpus.path).groups
    found = [d for key in sorted(groups) for d in drafts(load(groups[key]))[0]]
    assert len({d.id for d in found}) == 2500
    first = found[0]
    assert {"date", "title"} <= set(first.given) and first.lang_hint in ("en", "ru")
    assert 60 <= len(first.text) < 4000  # one to three paragraphs, as a news item
