"""`python -m bench`: measure every engine at every corpus size; write RESULTS.md and results.png."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from bench import BENCH_DIR, DEFAULT_WORK
from bench import report
from bench.corpora import DEFAULT_SIZES, QUICK_SIZES, check_size_name
from bench.engines import ENGINES
from bench.runner import PHASES, Options, run


def _names(value: str, allowed=None) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    if not names:
        raise click.BadParameter("give at least one name")
    for name in names:
        if allowed is not None and name not in allowed:
            raise click.BadParameter(f"{name!r} is not one of {', '.join(allowed)}")
    return names


def _sizes(ctx, param, value):
    if value is None:
        return None
    try:
        return [check_size_name(n) for n in _names(value)]
    except ValueError as err:
        raise click.BadParameter(str(err))


def _engines(ctx, param, value):
    return _names(value, ENGINES)


def _phases(ctx, param, value):
    return _names(value, PHASES) if value else []


@click.command(epilog="""Examples:

\b
    python -m bench                                  # everything: over an hour on 2 cores
    python -m bench --sizes shipped,ungdc --repeat 3
    python -m bench --sizes 100k --resume            # finish an interrupted size
    python -m bench --sizes ungdc --redo search,server   # measure searches again
    python -m bench --quick --out /tmp/bench         # a tiny run, in seconds
    python -m bench --sizes 1m-short --engines ours,sqlite,tantivy --skip incremental

Sizes: shipped (corpus/), ungdc and news (real sets from ../shared), a
number of synthetic statements such as 20k or 100k, or of short synthetic
items (one to three paragraphs, as a news item) such as 1m-short. Results of every size
measured in the work directory are combined into RESULTS.md.""")
@click.option("--sizes", callback=_sizes, metavar="LIST",
              help=f"Comma-separated corpus sizes [default: {','.join(DEFAULT_SIZES)}; "
                   f"--quick: {','.join(QUICK_SIZES)}].")
@click.option("--engines", default=",".join(ENGINES), show_default=True, callback=_engines,
              metavar="LIST", help="Comma-separated engines.")
@click.option("--repeat", type=click.IntRange(1), default=None,
              help="Search rounds (and builds of small corpora) [default: 5; --quick: 2].")
@click.option("--build-repeat", type=click.IntRange(1), default=None,
              help="Full builds per engine [default: up to 3 below 50,000 statements, else 1].")
@click.option("--quick", is_flag=True, help="A tiny corpus and short runs (the smoke test).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Where RESULTS.md and results.png go [default: bench/; --quick: bench/work/quick].")
@click.option("--work", type=click.Path(path_type=Path), default=None,
              help="Corpora, indexes and raw results [default: bench/work, or OUT/work with --out].")
@click.option("--resume", is_flag=True, help="Keep phases a previous run of the same size finished.")
@click.option("--redo", callback=_phases, metavar="LIST",
              help=f"With --resume, measure these phases again ({', '.join(PHASES)}).")
@click.option("--skip", callback=_phases, metavar="LIST",
              help="Phases not to measure (as --redo); a skipped phase's earlier figures are kept.")
@click.option("--no-server", is_flag=True, help="Do not start the web server.")
@click.option("--no-parallel", is_flag=True, help="Skip our indexer's build with two processes.")
@click.option("--clients", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Concurrent clients of the web server.")
def main(sizes, engines, repeat, build_repeat, quick, out, work, resume, redo, skip, no_server,
         no_parallel, clients):
    """Benchmark our indexer and search against plain Whoosh, SQLite FTS5 and tantivy."""
    if out is None:
        out = DEFAULT_WORK / "quick" if quick else BENCH_DIR
    if work is None:
        work = out / "work" if out != BENCH_DIR else DEFAULT_WORK
    opts = Options(
        sizes=sizes or list(QUICK_SIZES if quick else DEFAULT_SIZES),
        engines=engines,
        out=out,
        work=work,
        repeat=repeat or (2 if quick else 5),
        build_repeat=build_repeat or (1 if quick else None),
        quick=quick,
        resume=resume or bool(redo),
        redo=redo,
        skip=skip,
        server=not no_server,
        parallel=not no_parallel,
        clients=clients,
        log=lambda line: click.echo(line, err=True),
    )
    if quick:
        opts.server_requests, opts.server_seconds, opts.server_start_timeout = 24, 15.0, 20.0
    results = run(opts)
    if not results:
        raise click.ClickException("nothing was measured")
    command = "python -m bench " + shlex.join(sys.argv[1:]) if sys.argv[1:] else "python -m bench"
    markdown, image = report.write(results, out, opts.notes, command.strip())
    click.echo(f"wrote {markdown}" + (f" and {image}" if image else " (no plot: matplotlib is not installed)"))


if __name__ == "__main__":
    main(prog_name="python -m bench")
