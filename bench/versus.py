"""Two versions of our search side by side in one run: `python -m bench.versus`.

Each code tree (a worktree of another commit, say) gets a process of its own
that opens our index of a size with that tree's code, and each other engine
asked for gets one too, run with the last tree's code (bench.side_by_side).
p50 and p95 are taken over the mix per round and their medians shown, with
each tree's p95 ÷ every other engine's, paired round by round (the median), as
bench/report.py takes them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from bench import DEFAULT_WORK, side_by_side
from bench.measure import median, percentile
from bench.queries import MIX
from bench.side_by_side import Slot


def measure(indexes: Path, trees: dict[str, Path], others: list[str], rounds: int) -> dict:
    """{"latency_ms": {"TREE:ENGINE": [[ms per query] per round]}, "found": {…: what each query found}}."""
    last = list(trees)[-1]
    slots = {f"{label}:ours": Slot(tree, "ours", indexes / "ours") for label, tree in trees.items()}
    slots.update({f"{last}:{engine}": Slot(trees[last], engine, indexes / engine) for engine in others})
    result = side_by_side.run(slots, [q.name for q in MIX], rounds)
    return {"latency_ms": result["latency_ms"], "found": result["outcomes"], "load": os.getloadavg()}


def summary(result: dict) -> list[str]:
    """Lines of text: each slot's p50 and p95, then each tree's p95 ratios."""
    latency = result["latency_ms"]
    lines = ["| code:engine | p50 ms | p95 ms |", "|---|---:|---:|"]
    for key, rounds in latency.items():
        lines.append(f"| {key} | {median([percentile(r, 50) for r in rounds]):.2f} | "
                     f"{median([percentile(r, 95) for r in rounds]):.2f} |")
    ours = [k for k in latency if k.endswith(":ours")]
    for a in ours:
        for b in latency:
            if b != a:
                ratio = median([percentile(x, 95) / percentile(y, 95) for x, y in zip(latency[a], latency[b])])
                lines.append(f"- p95 {a} ÷ {b}: {ratio:.2f}x")
    first = result["found"][ours[0]]
    same = all(result["found"][k] == first for k in ours[1:])
    lines.append(f"- our trees found {'the same' if same else 'DIFFERENT'} numbers of statements, hits, snippets and facet values")
    lines.append("- load average at the end: " + ", ".join(f"{v:.1f}" for v in result["load"]))
    return lines


@click.command(epilog="""Example (main as it was, beside this worktree, with tantivy and SQLite):

\b
    git worktree add --detach ../before main
    python -m bench.versus --size news --tree before=../before --tree after=. \\
        --others tantivy,sqlite --rounds 20

The indexes are those `python -m bench --sizes SIZE` built in the work directory.""")
@click.option("--size", required=True, help="The corpus size whose indexes to search (e.g. news).")
@click.option("--tree", "trees", multiple=True, required=True, metavar="LABEL=PATH",
              help="A code tree to measure, by a label (repeatable; the last one also runs --others' processes).")
@click.option("--others", default="", help="Comma-separated other engines to measure beside them.")
@click.option("--rounds", default=20, show_default=True, type=click.IntRange(1),
              help="Times each (tree, engine) runs the query mix.")
@click.option("--work", type=click.Path(path_type=Path), default=DEFAULT_WORK, show_default=True,
              help="The bench's work directory (indexes/SIZE/ENGINE).")
@click.option("--out", type=click.Path(path_type=Path), help="Where to write the raw results (JSON).")
def main(size, trees, others, rounds, work, out):
    """Our search in two or more code trees, and other engines, side by side in one run."""
    parsed = {}
    for spec in trees:
        label, sep, path = spec.partition("=")
        if not sep or not label or not Path(path).is_dir():
            raise click.BadParameter(f"{spec!r}: give LABEL=PATH of a code tree", param_hint="--tree")
        parsed[label] = Path(path).resolve()
    indexes = work / "indexes" / size
    if not (indexes / "ours").is_dir():
        raise click.ClickException(f"no index of ours in {indexes}: build it with `python -m bench --sizes {size}`")
    result = measure(indexes, parsed, [e for e in others.split(",") if e], rounds)
    click.echo("\n".join(summary(result)))
    if out:
        out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
