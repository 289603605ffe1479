"""Results → `RESULTS.md` (tables, targets with pass/fail) and `results.png`.

Figures are medians over repeated runs. Ratios are taken run by run between
measurements made side by side (the same round of the same run), and their
median is reported: on a shared, noisy machine a ratio is steadier than
either of its terms.
"""

from __future__ import annotations

import math
from pathlib import Path

from bench.engines import ENGINES
from bench.measure import median
from bench.runner import PARALLEL
from bench.targets import (
    MB, as_percent, as_ratio, build_ratio, builds, cold, cold_ratio, finished, p95_ratio, search,
    server_load_ratio, server_ratio, size_label, target_rows, update_ratio,
)


# --- markdown ---------------------------------------------------------------------------------


def _num(value, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.{digits}f}"


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


MAIN_COLUMNS = ["size", "statements", "MB", "engine", "build s", "docs/s", "MB/s", "index MB",
                "indexer peak RSS MB", "search p50 ms", "search p95 ms", "p95 ÷ SQLite"]


def main_table(sizes: list[dict]) -> str:
    rows = []
    for size in sizes:
        b, s = builds(size), search(size)
        for key in [e for e in ENGINES if e in size["engines"]] + [PARALLEL]:
            if key not in b and key not in s:
                continue
            engine = "ours, 2 processes" if key == PARALLEL else key
            rows.append([
                size["size"], f"{size['corpus']['statements']:,}", _num(size["corpus"]["bytes"] / MB),
                engine, _num(b.get(key, {}).get("seconds"), 2), _num(b.get(key, {}).get("docs_s"), 0),
                _num(b.get(key, {}).get("mb_s"), 2), _num(b.get(key, {}).get("index_mb")),
                _num(b.get(key, {}).get("rss_mb"), 0), _num(s.get(key, {}).get("p50")),
                _num(s.get(key, {}).get("p95")), as_ratio(p95_ratio(size, key, "sqlite"))[1],
            ])
    return table(MAIN_COLUMNS, rows)


def indexer_table(sizes: list[dict]) -> str:
    rows = []
    for size in sizes:
        b, inc = builds(size), size.get("incremental")
        if "ours" not in b:
            continue
        updates = finished(inc)
        rows.append([
            size_label(size), _num(b["ours"]["seconds"], 2),
            _num(b.get(PARALLEL, {}).get("seconds"), 2), as_ratio(build_ratio(size, PARALLEL, "ours"))[1],
            f"{inc['added']:,}" if updates else "—",
            _num(median([r["seconds"] for r in inc["incremental"]]), 2) if updates else "—",
            as_percent(update_ratio(size, "incremental"))[1],
            _num(median([r["seconds"] for r in inc["nochange"]]), 2) if updates else "—",
            as_percent(update_ratio(size, "nochange"))[1],
        ])
    return table(["size", "full build s", "2 processes s", "speed-up", "statements added",
                  "incremental s", "÷ full", "no-change s", "÷ full"], rows)


def server_table(sizes: list[dict]) -> str:
    rows = []
    for size in sizes:
        server = size.get("server")
        if server is None:
            continue
        if not finished(server):
            rows.append([size_label(size), "skipped: " + (server.get("skipped") or server.get("failed", ""))[:80]]
                        + ["—"] * 9)
            continue
        library = search(size).get("ours", {}).get("p95")
        under_load = server.get("library_concurrent")
        memory = [_num(server.get(key), 0) for key in ("peak_pss_mb", "peak_anon_mb", "peak_rss_mb")]
        runs = [("HTTP", server["single"], server_ratio(size, "single"), server_ratio(size, "single")),
                ("HTTP", server["concurrent"], server_ratio(size), server_load_ratio(size))]
        if finished(under_load):
            own = under_load["p95_ms"] / library if library else None
            runs.append((f"library, {under_load['processes']} processes", under_load, own, 1.0))
        for caller, r, one, same in runs:
            rows.append([
                size_label(size), caller, r["clients"], r["requests"], r["errors"], _num(r["rps"]),
                _num(r["p50_ms"]), _num(r["p95_ms"]), as_ratio(one)[1], as_ratio(same)[1],
                *(memory if caller == "HTTP" else ["—"] * 3),
            ])
    return table(["size", "caller", "clients", "requests", "errors", "req/s", "p50 ms", "p95 ms",
                  "p95 ÷ library, 1 caller", "p95 ÷ library, same load", "server peak MB (PSS)",
                  "its own (anonymous) MB", "summed RSS MB"], rows)


def cold_table(sizes: list[dict]) -> str:
    rows = []
    for size in sizes:
        fresh, committed, warm = cold(size), cold(size, "after_commit"), search(size).get("ours")
        if fresh or committed:
            rows.append([size_label(size), _num((warm or {}).get("p95")),
                         _num((committed or {}).get("p50")), _num((committed or {}).get("p95")),
                         as_ratio(cold_ratio(size, "after_commit"))[1],
                         _num((fresh or {}).get("p50")), _num((fresh or {}).get("p95")),
                         as_ratio(cold_ratio(size))[1]])
    return table(["size", "warm p95 ms", "after a commit p50 ms", "after a commit p95 ms",
                  "÷ warm p95", "fresh open p50 ms", "fresh open p95 ms", "÷ warm p95"], rows)


def query_table(size: dict) -> str:
    phase = size["search"]
    engines = list(phase["latency_ms"])
    rows = []
    for n, name in enumerate(phase["queries"]):
        times = [_num(median([r[n] for r in phase["latency_ms"][e]])) for e in engines]
        found = [str(phase["outcomes"][e][name]["total"]) for e in engines]
        rows.append([name] + times + [" / ".join(found)])
    return table(["query"] + [f"{e} ms" for e in engines] + ["matches (" + " / ".join(engines) + ")"],
                 rows)


def markdown(sizes: list[dict], notes: list[str], command: str) -> str:
    machines = {(s["machine"]["platform"], s["machine"]["cpus"], s["machine"]["python"]) for s in sizes}
    revisions = sorted({rev for s in sizes
                        for rev in (s.get("revisions") or {"all": s["machine"].get("revision", "unknown")}).values()})
    parts = [
        "# Benchmark results",
        "",
        f"Generated by `{command}`; regenerate with `make bench` (or `python -m bench --help`).",
        "Every engine indexes the same statements, read by our reader and extractor, and answers",
        "the same query mix (words, inflected forms, phrases, boolean, a date and a number filter),",
        "each with facet counts over all matches and 10 hits with snippets, as the UI asks.",
        "Times are medians over repeated runs; ratios are taken between measurements made side by",
        "side in one run, round by round (warm searches: each engine in a process of its own),",
        "and their median is shown. MB are 10^6 bytes.",
        "",
        "Machine: " + "; ".join(f"{p}, {c} CPUs, Python {v}" for p, c, v in sorted(machines)) + ".",
        "Code measured: " + "; ".join(revisions) + ".",
        "Measured: " + ", ".join(f"{s['size']} {s.get('started', '?')}" for s in sizes) + ".",
    ]
    if notes:
        parts += [""] + [f"- {n}" for n in notes]
    parts += ["", "## Targets", "",
              table(["target", "size (statements)", "measured", "limit", "result"],
                    [list(r) for r in target_rows(sizes)]),
              "", "## Engines by corpus size", "", main_table(sizes),
              "", "## Our indexer: processes and incremental runs", "", indexer_table(sizes)]
    if any(cold(s) or cold(s, "after_commit") for s in sizes):
        parts += ["", "## Our first search after a commit, and on a freshly opened index", "",
                  "After a commit: on a warm copy of the index, each query of the mix is searched "
                  "once right after the indexer commits one new statement (with words no other "
                  "statement has): the new segment's columns, postings and words are read, the "
                  "others' are kept. Fresh open: each query searched once on a new `SearchIndex`: "
                  "the snapshot, facet table, length factors and postings all read anew, as after "
                  "a commit that rewrote every segment (a merge of them all, a rebuild).", "",
                  cold_table(sizes)]
    if any("server" in s for s in sizes):
        parts += ["", "## Web server (`python -m webui`, loopback)", "",
                  "`library, 1 caller` is the same queries through `SearchIndex.search` in one thread "
                  "(the search table's p95). `library, same load` calls it with the same concurrent "
                  "callers, spread over as many processes as the server has workers, each process's "
                  "searches taking turns as a worker's do, without HTTP. "
                  "A request that needs the CPU also waits for the other clients' requests: with "
                  "more clients than cores, each waits for about clients ÷ cores − 1 searches of "
                  "average length, whatever the server, so the second ratio is the web layer's own cost. "
                  "The server's memory is its processes' peak while the clients run: PSS (a page "
                  "they share divided among them: what the server occupies), the part of it the "
                  "processes made themselves (not file pages the kernel may drop), and each "
                  "process's peak RSS summed (an upper bound: a shared page counts once for each).", "",
                  server_table(sizes)]
    parts += ["", "## Latency by query (median ms) and statements found", "",
              "Engines without Russian morphology find fewer Russian statements: the counts show "
              "the work done differs.", ""]
    for size in sizes:
        if finished(size.get("search")):
            parts += [f"### {size_label(size)}", "", query_table(size), ""]
    parts += ["## Engines", ""]
    measured = {e for s in sizes for e in s["engines"]}
    parts += [f"- `{name}`: {cls.description}" for name, cls in ENGINES.items() if name in measured]
    return "\n".join(parts) + "\n"


# --- plot ------------------------------------------------------------------------------------


def plot(sizes: list[dict], path: Path) -> bool:
    """Latency and build time against corpus size, one line per engine; False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    keys = list(ENGINES) + [PARALLEL]
    for key in keys:
        found = [(s["corpus"]["statements"], search(s)[key]["p95"]) for s in sizes if key in search(s)]
        if found:
            (line,) = left.plot(*zip(*found), marker="o", label=key)
            found = [(s["corpus"]["statements"], cold(s)["p95"]) for s in sizes if cold(s)]
            if key == "ours" and found:
                left.plot(*zip(*found), marker="x", linestyle="--", color=line.get_color(),
                          label="ours, first search on a fresh index")
        found = [(s["corpus"]["statements"], builds(s)[key]["seconds"]) for s in sizes if key in builds(s)]
        if found:
            right.plot(*zip(*found), marker="o", label="ours, 2 processes" if key == PARALLEL else key)
    for ax in (left, right):  # the corpora differ in kind, not only in size: name them
        for size in sizes:
            ax.axvline(size["corpus"]["statements"], color="grey", alpha=0.25, linewidth=0.8)
            ax.annotate(size["size"], (size["corpus"]["statements"], 1), xycoords=("data", "axes fraction"),
                        xytext=(2, -12), textcoords="offset points", fontsize=8, color="grey")
    for ax, title, unit in ((left, "Search p95 (facets + 10 snippets)", "ms"),
                            (right, "Full build", "seconds")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("statements")
        ax.set_ylabel(unit)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def write(sizes: list[dict], out: Path, notes: list[str], command: str) -> tuple[Path, Path | None]:
    out.mkdir(parents=True, exist_ok=True)
    results = out / "RESULTS.md"
    text = markdown(sizes, notes, command)
    kept = _ranking_section(results)
    results.write_text(text.rstrip("\n") + "\n\n" + kept if kept else text, encoding="utf-8")
    image = out / "results.png"
    return results, image if plot(sizes, image) else None


def _ranking_section(results: Path) -> str:
    """The sections of an existing RESULTS.md that other commands measure (bench/ir.py's,
    bench/documents', bench/cluster.py's): kept as they are."""
    from bench.cluster import SECTION as CLUSTER
    from bench.ir import SECTION as RANKING

    text = results.read_text(encoding="utf-8") if results.exists() else ""
    kept = []
    for heading in (RANKING, "## Reading real documents", CLUSTER):
        start = text.find(heading)
        if start >= 0:
            end = text.find("\n## ", start + len(heading))
            kept.append((text[start:end] if end >= 0 else text[start:]).strip("\n"))
    return "\n\n".join(kept) + "\n" if kept else ""
