"""`python -m search "query"`: search the index from a terminal or a script."""

from __future__ import annotations

import json
import re
import sys

import click

from search import config
from search import fields as F
from search.cli import filter_options, option, param_option, reports_errors
from search.engine import SearchIndex
from search.export import FORMATS, export


def _terminal_marks(html: str, color: bool) -> str:
    """Snippet HTML → terminal text: marks in bold yellow (or [brackets])."""
    from html import unescape

    on, off = ("\x1b[1;33m", "\x1b[0m") if color else ("[", "]")
    text = html.replace("<mark>", on).replace("</mark>", off)
    return unescape(re.sub(r"<[^>]+>", "", text))


@click.command(
    epilog="""Example:

\b
    python -m search "выборы" --year 2020 --lang ru
    python -m search '"occupied territories" number:822' --json
    python -m search 'резолюция OR resolution' --parsed --limit 3
    python -m search "Germany" --lang ru --mentions DE --no-translate-names
    python -m search выбары            (searches «выборы», and says so)
    python -m search выбары --as-typed"""
)
@click.argument("query", default="")
@option(config.INDEX)
@param_option(F.PER_PAGE, "--limit", "-n", "limit", default=10)
@param_option(F.PAGE, "--page")
@param_option(F.SORT, "--sort")
@param_option(F.RAW, "--raw", is_flag=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit (JSON lines).")
@click.option("--parsed", is_flag=True, help="Print the query as it was understood.")
@click.option("--as-typed", is_flag=True,
              help="Search QUERY exactly as typed, without correcting misspelt words.")
@click.option("--facets", "show_facets", is_flag=True, help="Print facet counts too.")
@click.option("--info", "show_info", is_flag=True,
              help="Print what the index holds and whether it opens fast, instead of searching.")
@reports_errors
@filter_options
def main(query, index_dir, limit, page, sort, filters, raw, as_json, parsed, as_typed, show_facets,
         show_info):
    """Search the statements for QUERY (see docs/query-syntax.md for the query language)."""
    if show_info:
        with SearchIndex(index_dir) as index:
            status = index.status()
        if as_json:
            click.echo(json.dumps(status.as_dict(), ensure_ascii=False))
        else:
            click.echo(f"{status.statements} statements in {status.segments} segments; "
                       + (f"{status.slow_segments} without arrays files: {status.advice}"
                          if status.slow_segments else "every segment opens from its arrays files"))
        return
    with SearchIndex(index_dir) as index:
        result = index.search(query, filters=filters, sort=sort, page=page, per_page=limit,
                              facets=show_facets, raw=raw, autocorrect=not as_typed)
    if result.corrected:  # on stderr beside JSON lines, so the lines stay parseable
        click.echo(f"Showing results for «{result.corrected.query}». Search instead for "
                   f"«{result.corrected.original}» with --as-typed.", err=as_json)

    if as_json:
        for hit in result.hits:
            click.echo(json.dumps(hit.as_dict(), ensure_ascii=False))
        if parsed or show_facets:
            summary = {"parsed": result.parsed, "total": result.total,
                       "suggestion": result.suggestion, "notices": result.notices,
                       "corrected": result.corrected.as_dict() if result.corrected else None}
            if show_facets:
                summary["facets"] = {k: [v.as_dict() for v in vs] for k, vs in result.facets.items()}
            click.echo(json.dumps(summary, ensure_ascii=False), err=True)
        return

    color = sys.stdout.isatty()
    if parsed:
        click.echo(f"parsed: {result.parsed}")
    for notice in result.notices:
        click.echo(f"note: {notice}", err=True)
    offered = result.suggestion if result.suggestion and not result.corrected else None
    click.echo(f"{result.total} statements ({result.took_ms:.0f} ms)"
               + (f"; did you mean: {offered}" if offered else ""))
    for n, hit in enumerate(result.hits, (page - 1) * limit + 1):
        meta = ", ".join(x for x in (hit.date, hit.number and f"No {hit.number}",
                                     "/".join(hit.languages)) if x)
        click.echo(f"\n{n}. {_terminal_marks(hit.title_html, color)}  [{meta}]")
        click.echo(f"   {hit.id}" + (f"  score {hit.score}" if hit.score is not None else ""))
        for snippet in hit.snippets:
            click.echo(f"   {snippet.lang}: {_terminal_marks(snippet.html, color)}")
    if show_facets:
        for name, values in result.facets.items():
            shown = ", ".join(f"{v.value} ({v.count})" for v in values[:15])
            click.echo(f"\n{name}: {shown}")


@click.command(
    epilog="""Example:

\b
    python -m search export --format parquet --output corpus.parquet
    python -m search export --format jsonl --output - | head -1
    python -m search export "выборы" --year 2020 --lang ru --format jsonl -o elections.jsonl"""
)
@click.argument("query", default="")
@option(config.INDEX)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="parquet", show_default=True,
              help="parquet: a dataset folder (R: arrow::open_dataset; Python: pyarrow or pandas); "
                   "jsonl: one JSON object per statement.")
@click.option("--output", "-o", required=True, metavar="PATH",
              help="The dataset folder (new or empty) for parquet; the file for jsonl ('-': "
                   "standard output).")
@reports_errors
@filter_options
def export_main(query, index_dir, fmt, output, filters):
    """Export the corpus with its analysis: each statement's metadata, each language's
    text and its tokens (form, lemmas or stem, position, character offsets), entities
    and resolutions (docs/research-views.md, "The analysed corpus"). With a QUERY or
    filters, only the statements that search finds."""
    written = export(index_dir, fmt, output, query, filters)
    if output != "-":
        click.echo(f"{written} statements written to {output}", err=True)


def run(args=None, prog_name: str | None = None) -> None:
    """`python -m search QUERY …`, or `python -m search export …`."""
    args = sys.argv[1:] if args is None else args
    if args[:1] == ["export"]:
        export_main(args[1:], prog_name=f"{prog_name or 'statements-search'} export")
    main(args, prog_name=prog_name)


if __name__ == "__main__":
    run(prog_name="python -m search")
