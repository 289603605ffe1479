"""What one size measured, as ratios taken side by side, and the targets judged on them.

A ratio is taken run by run between measurements made in the same round of
the same run, and its median is reported: on a shared, noisy machine a ratio
is steadier than either of its terms. bench/report.py writes them out.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from bench.measure import median, percentile
from bench.runner import PARALLEL

MB = 1e6


# --- summaries of one size -------------------------------------------------------------


def finished(phase) -> bool:
    return bool(phase) and "failed" not in phase and "skipped" not in phase


def paired(a: list[dict], b: list[dict], ratio: Callable[[dict, dict], float]) -> float:
    """Median of a ratio over runs paired round by round."""
    return median([ratio(x, y) for x, y in zip(a, b)])


def builds(size: dict) -> dict[str, dict]:
    """Per engine: median build seconds, throughput, index size and peak memory."""
    phase = size.get("builds")
    if not finished(phase):
        return {}
    statements, megabytes = size["corpus"]["statements"], size["corpus"]["bytes"] / MB
    out = {}
    for key, runs in phase.items():
        seconds = median([r["seconds"] for r in runs])
        out[key] = {
            "seconds": seconds,
            "docs_s": statements / seconds,
            "mb_s": megabytes / seconds,
            "index_mb": median([r["index_bytes"] for r in runs]) / MB,
            "rss_mb": median([max(r["rss_mb"], r.get("children_rss_mb", 0)) for r in runs]),
        }
    return out


def search(size: dict) -> dict[str, dict]:
    """Per engine: p50 and p95 over the query mix, each the median over rounds."""
    phase = size.get("search")
    if not finished(phase):
        return {}
    return {
        engine: {
            "p50": median([percentile(r, 50) for r in rounds]),
            "p95": median([percentile(r, 95) for r in rounds]),
        }
        for engine, rounds in phase["latency_ms"].items()
    }


def cold(size: dict, phase_name: str = "cold") -> dict | None:
    """Our first searches, p50 and p95 (medians over rounds): on a freshly opened
    index ("cold") or after a commit that adds a statement ("after_commit")."""
    phase = size.get(phase_name)
    if not finished(phase):
        return None
    rounds = phase["latency_ms"]
    return {"p50": median([percentile(r, 50) for r in rounds]),
            "p95": median([percentile(r, 95) for r in rounds])}


def cold_ratio(size: dict, phase_name: str = "cold") -> float | None:
    """Our first searches' p95 ÷ our warm p95 (the search phase's)."""
    first, warm = cold(size, phase_name), search(size).get("ours")
    if not first or not warm:
        return None
    return first["p95"] / warm["p95"]


def p95_ratio(size: dict, engine: str, baseline: str) -> float | None:
    """Median over rounds of engine's p95 ÷ baseline's p95 in the same round."""
    phase = size.get("search")
    if not finished(phase) or engine not in phase["latency_ms"] or baseline not in phase["latency_ms"]:
        return None
    return median([percentile(a, 95) / percentile(b, 95)
                   for a, b in zip(phase["latency_ms"][engine], phase["latency_ms"][baseline])])


def build_ratio(size: dict, key: str, baseline: str) -> float | None:
    """Median of baseline seconds ÷ key seconds, round by round (throughput ratio)."""
    phase = size.get("builds")
    if not finished(phase) or key not in phase or baseline not in phase:
        return None
    return paired(phase[key], phase[baseline], lambda k, b: b["seconds"] / k["seconds"])


def update_ratio(size: dict, kind: str) -> float | None:
    """An incremental or no-change run's seconds ÷ the full build's, round by round."""
    phase, full = size.get("incremental"), (size.get("builds") or {}).get("ours")
    if not finished(phase) or not full:
        return None
    return paired(phase[kind], full, lambda run, build: run["seconds"] / build["seconds"])


def server_ratio(size: dict, load: str = "concurrent") -> float | None:
    """The web server's p95 ÷ the library call's p95 (one caller) for the same queries."""
    server, library = size.get("server"), search(size).get("ours")
    if not finished(server) or not library:
        return None
    return server[load]["p95_ms"] / library["p95"]


def server_load_ratio(size: dict) -> float | None:
    """The web server's p95 under concurrent clients ÷ the library's p95 under
    the same callers in as many processes as the server has workers."""
    server = size.get("server")
    library = (server or {}).get("library_concurrent")
    if not finished(server) or not finished(library):
        return None
    return server["concurrent"]["p95_ms"] / library["p95_ms"]


# --- targets ----------------------------------------------------------------------------------


@dataclass
class Target:
    text: str
    limit: str
    near: int | None  # judged at the size nearest this many statements; None: at every size
    measure: Callable[[dict], tuple[float | None, str]]  # → (value, shown)
    passes: Callable[[float], bool]


def as_ratio(value: float | None) -> tuple[float | None, str]:
    return value, "—" if value is None else f"{value:.2f}x"


def as_percent(value: float | None) -> tuple[float | None, str]:
    return value, "—" if value is None else f"{value:.1%}"


def _server_memory(size: dict) -> tuple[float | None, str]:
    """The server's peak PSS (its shared pages counted once), and the summed RSS
    beside it; a run from before PSS was measured: the summed RSS alone."""
    server = size.get("server")
    if not finished(server):
        return None, "—"
    pss, rss = server.get("peak_pss_mb"), server.get("peak_rss_mb")
    if pss is None:
        return rss, "—" if rss is None else f"{rss:,.0f} MB (summed RSS)"
    return pss, f"{pss:,.0f} MB PSS" + ("" if rss is None else f" (summed RSS {rss:,.0f} MB)")


SERVER_RPS_BEFORE = 8.6  # requests/s at 100,000 statements before search ran on arrays


def _server_rps(size: dict) -> tuple[float | None, str]:
    server = size.get("server")
    if not finished(server):
        return None, "—"
    c = server["concurrent"]
    value = c["rps"] if c["errors"] == 0 else 0.0
    return value, f"{c['errors']} errors, {c['rps']:.1f} req/s ({c['rps'] / SERVER_RPS_BEFORE:.1f}x 8.6)"


TARGETS = (
    Target("build throughput, one process: ours ÷ plain Whoosh", "≥ 0.8x", None,
           lambda s: as_ratio(build_ratio(s, "ours", "whoosh")), lambda v: v >= 0.8),
    Target("build with 2 processes ÷ ours with 1", "≥ 1.6x", None,
           lambda s: as_ratio(build_ratio(s, PARALLEL, "ours")), lambda v: v >= 1.6),
    Target("incremental run after adding 1% ÷ full build", "≤ 5%", None,
           lambda s: as_percent(update_ratio(s, "incremental")), lambda v: v <= 0.05),
    Target("no-change run ÷ full build", "< 5%", 100_000,
           lambda s: as_percent(update_ratio(s, "nochange")), lambda v: v < 0.05),
    Target("search p95 with facets and 10 snippets: ours ÷ SQLite FTS5", "≤ 1.0x", 2_000,
           lambda s: as_ratio(p95_ratio(s, "ours", "sqlite")), lambda v: v <= 1),
    Target("search p95 with facets and 10 snippets: ours ÷ SQLite FTS5", "≤ 1.0x", 38_000,
           lambda s: as_ratio(p95_ratio(s, "ours", "sqlite")), lambda v: v <= 1),
    Target("search p95 with facets and 10 snippets: ours ÷ SQLite FTS5", "≤ 1.0x", 100_000,
           lambda s: as_ratio(p95_ratio(s, "ours", "sqlite")), lambda v: v <= 1),
    Target("search p95 with facets and 10 snippets: ours ÷ tantivy", "≤ 3x", 38_000,
           lambda s: as_ratio(p95_ratio(s, "ours", "tantivy")), lambda v: v <= 3),
    Target("search p95 with facets and 10 snippets: ours ÷ tantivy", "≤ 3x", 100_000,
           lambda s: as_ratio(p95_ratio(s, "ours", "tantivy")), lambda v: v <= 3),
    Target("first search after a commit adding one statement: p95 ÷ warm p95", "≤ 3x", None,
           lambda s: as_ratio(cold_ratio(s, "after_commit")), lambda v: v <= 3),
    Target("web server, 8 clients: zero errors, requests/s", "0, ≥ 43 (5x 8.6)", 100_000,
           _server_rps, lambda v: v >= 5 * SERVER_RPS_BEFORE),
    Target("web server, 8 clients: p95 ÷ library p95 under the same 8 callers", "≤ 1.5x", 100_000,
           lambda s: as_ratio(server_load_ratio(s)), lambda v: v <= 1.5),
    Target("web server peak memory", "< 1 GB", 100_000, _server_memory, lambda v: v < 1000),
)


def nearest(sizes: list[dict], statements: int) -> dict | None:
    """The size closest to `statements` (within a factor of two), if any."""
    close = [s for s in sizes if statements / 2 <= s["corpus"]["statements"] <= statements * 2]
    return min(close, key=lambda s: abs(math.log(s["corpus"]["statements"] / statements)), default=None)


def target_rows(sizes: list[dict]) -> list[tuple[str, str, str, str, str]]:
    """(target, size, measured, limit, result) for every target."""
    rows = []
    for target in TARGETS:
        if target.near is None:
            judged = sizes
        else:
            found = nearest(sizes, target.near)
            judged = [found] if found else []
        if not judged:
            where = "every size" if target.near is None else f"~{target.near:,} statements"
            rows.append((target.text, where, "—", target.limit, "not measured"))
        for size in judged:
            value, shown = target.measure(size)
            result = "not measured" if value is None else ("pass" if target.passes(value) else "FAIL")
            rows.append((target.text, size_label(size), shown, target.limit, result))
    return rows


def size_label(size: dict) -> str:
    return f"{size['size']} ({size['corpus']['statements']:,})"
