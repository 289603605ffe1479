"""`python -m indexer`: bring the index up to date with the corpus."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from indexer.build import COMMIT_EVERY, COMMIT_SECONDS, update_index
from search import config
from search.cli import option, reports_errors

def _progress(quiet: bool):
    """A progress callback: a bar on a terminal, occasional lines otherwise."""
    if quiet:
        return None, lambda: None
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit="file", desc="indexing", leave=False, file=sys.stderr)

        def on_bar(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        return on_bar, bar.close

    state = {"last": 0.0}

    def on_line(done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - state["last"] >= 5:
            state["last"] = now
            click.echo(f"checked {done:,} of {total:,} files", err=True)

    return on_line, lambda: None


@click.command(
    epilog="""Example:

\b
    python -m indexer --corpus corpus --index index
    python -m indexer --rebuild --procs 2
    python -m indexer --workers 2
    python -m indexer --scheduler tcp://scheduler.example.org:8786

Exit status: 0 when every file was indexed, 1 when some could not be,
2 when nothing could be done (bad arguments, index locked or damaged)."""
)
@option(config.CORPUS, type=click.Path(path_type=Path))
@option(config.INDEX, type=click.Path(path_type=Path))
@click.option("--rebuild", is_flag=True,
              help="Index every file again; the old index serves searches until the new one is committed.")
@option(config.PROCS)
@click.option("--wait", type=click.FloatRange(0), default=0, metavar="SECONDS",
              help="Wait this long for another indexer to finish instead of exiting.")
@option(config.MAX_FILE_MB)
@option(config.MAX_STATEMENT_MB)
@click.option("--commit-every", type=click.IntRange(1), default=None, metavar="N",
              help="Commit after every N statements, so a long run keeps its progress "
                   f"[default: every {COMMIT_EVERY:,}, at most once in {COMMIT_SECONDS:.0f} s].")
@click.option("--workers", type=click.IntRange(1), default=None, metavar="N",
              help="Read and analyse on a local Dask cluster of N processes, writing the analysed "
                   "corpus (Parquet) and the index from it; needs the [cluster] extra.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Read and analyse on a running Dask cluster (tcp://HOST:8786: SLURM, "
                   "Kubernetes…), as --workers does; its workers must see the corpus's path.")
@click.option("--analysed", "analysed", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="Where the analysed corpus goes (default: the index's directory name + "
                   "'-analysed'); given alone, it is written by this process.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("-q", "--quiet", is_flag=True, help="No progress, only the summary.")
@reports_errors
def main(corpus, index_dir, rebuild, procs, wait, max_mb, max_statement_mb, commit_every, workers,
         scheduler, analysed, as_json, quiet):
    """Index the statements in CORPUS: new files are added, changed ones
    re-indexed, deleted ones removed; unchanged files are not touched."""
    on_progress, close_progress = _progress(quiet or as_json)
    extra = {"commit_every": commit_every} if commit_every else {}
    client = None
    try:
        if workers and scheduler:
            raise click.UsageError("give --workers or --scheduler, not both")
        options = dict(rebuild=rebuild, procs=procs, wait=wait, max_file_size=int(max_mb * config.MB),
                       max_statement_size=int(max_statement_mb * config.MB), progress=on_progress,
                       **extra)
        if workers or scheduler or analysed:
            from indexer.cluster import connect, update_on_cluster

            client = connect(workers, scheduler) if workers or scheduler else None
            summary = update_on_cluster(corpus, index_dir, client=client, analysed=analysed,
                                        **options)
        else:
            summary = update_index(corpus, index_dir, **options)
    except KeyboardInterrupt:
        click.echo("interrupted: the index holds its last commit; run the indexer again "
                   "to finish", err=True)
        sys.exit(130)
    finally:
        close_progress()
        if client is not None:
            client.close()
            getattr(client, "close_cluster", lambda: None)()

    if as_json:
        click.echo(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        sys.exit(summary.exit_code)
    for label, items in (("skipped", summary.skipped), ("warning", summary.warnings),
                         ("failed", summary.problems)):
        for item in items:
            click.echo(f"{label}: {item}", err=True)
    click.echo(
        f"added {summary.added}, updated {summary.updated}, removed {summary.removed}, "
        f"unchanged {summary.unchanged}, failed {summary.failed}; "
        f"{summary.documents} statements in {index_dir} ({summary.seconds:.1f} s)"
    )
    sys.exit(summary.exit_code)


if __name__ == "__main__":
    main(prog_name="python -m indexer")
