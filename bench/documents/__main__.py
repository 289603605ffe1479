"""`python -m bench.documents`: our reader on real files against independent readers; a section of RESULTS.md.

Examples:

    python -m bench.documents                      # score, compare with before.json, write RESULTS.md
    python -m bench.documents --save-before        # store this run as the "before" of later runs
    python -m bench.documents --kinds docx,html --no-write
"""

from __future__ import annotations

import datetime as dt
import json
import shlex
import subprocess
import sys
from pathlib import Path

import click

from bench import BENCH_DIR, DEFAULT_WORK, ROOT
from bench.documents import BEFORE, KINDS, load_table, score, summary
from bench.documents import references as refs
from bench.documents.ours import read_ours
from bench.documents.report import SECTION, markdown, number


def reference_of(row: dict) -> tuple[str | None, str | None]:
    """(reference text, None), or (None, why there is none) for one declared file."""
    if row.get("unscored"):
        return None, f"not scored: {row['unscored']}"
    try:
        if row["kind"] == "pdf":
            return refs.pdf_reference(row["path"]), None
        if row["kind"] == "docx":
            return refs.docx_reference(row["path"]), None
        return refs.html_reference(row["path"], row["article"], tuple(row.get("drop", ()))), None
    except refs.NoReference as err:
        return None, str(err)


def write_section(results_md: Path, section: str, title: str) -> None:
    """Puts the section into RESULTS.md in place of its previous version (or at the end), nothing else changed."""
    text = results_md.read_text(encoding="utf-8") if results_md.exists() else "# Benchmark results\n"
    start = text.find(title)
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(title))
        text = text[:start] + section.rstrip("\n") + "\n" + ("\n" + text[end + 1:] if end >= 0 else "")
    results_md.write_text(text, encoding="utf-8")


def reader_commit() -> str:
    """The last commit that changed the reader (indexer/ or search/), with a mark when they hold changes since."""
    done = subprocess.run(["git", "log", "-1", "--format=%h", "--", "indexer", "search"], cwd=ROOT,
                          capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "indexer", "search"], cwd=ROOT,
                           capture_output=True, text=True)
    return (done.stdout.strip() or "?") + (" with uncommitted changes" if dirty.stdout.strip() else "")


@click.command(epilog="Copies and the index go to bench/work/documents/ (never committed).")
@click.option("--kinds", default=",".join(KINDS), show_default=True, metavar="LIST",
              help="Comma-separated kinds of file to read (pdf, docx, html).")
@click.option("--before", "before_path", type=click.Path(path_type=Path), default=BEFORE, show_default=True,
              help="An earlier run's results to show beside these (skipped when the file is absent).")
@click.option("--save-before", is_flag=True, help="Store this run as the 'before' (--before's file) and show it alone.")
@click.option("--work", type=click.Path(path_type=Path), default=DEFAULT_WORK / "documents", show_default=True,
              help="Where the copies and the index go.")
@click.option("--no-write", is_flag=True, help="Print the figures only; leave RESULTS.md alone.")
def main(kinds, before_path, save_before, work, no_write):
    """Words, reading order, title, date and languages of real files as our indexer reads them."""
    wanted = [k.strip() for k in kinds.split(",") if k.strip()]
    for kind in wanted:
        if kind not in KINDS:
            raise click.BadParameter(f"{kind!r} is not one of {', '.join(KINDS)}", param_hint="--kinds")
    rows = [r for r in load_table() if r["kind"] in wanted]
    absent = [r for r in rows if not r["path"].exists()]
    if absent:
        click.echo(f"{len(absent)} files are absent and left out (../shared missing?): "
                   + ", ".join(r["file"] for r in absent[:5]) + ("…" if len(absent) > 5 else ""), err=True)
        rows = [r for r in rows if r["path"].exists()]
    if not rows:
        raise click.ClickException("no files to read")
    version = refs.pdftotext_version()
    if version is None and any(r["kind"] == "pdf" for r in rows):
        raise click.ClickException(refs.PDFTOTEXT_MISSING)
    try:
        references = {r["file"]: reference_of(r) for r in rows}
        second_texts = {r["file"]: refs.second_pdf_reference(r["path"], r["second"])
                        for r in rows if r.get("second") and references[r["file"]][0]}
    except RuntimeError as err:
        raise click.ClickException(str(err))
    ours, seconds = read_ours([r["path"] for r in rows], work)
    click.echo(f"indexed {len(rows)} files in {seconds:.1f} s", err=True)
    results = []
    for r in rows:
        text, missing = references[r["file"]]
        results.append(score(r, text, ours[r["file"]], missing, second_texts.get(r["file"])))
    now = summary(results)
    meta = {"when": dt.date.today().isoformat(), "reader": reader_commit(), "pdftotext": version,
            "saved": save_before}
    for r in results:
        mark = {True: "ok  ", False: "MISS", None: "n/a "}[r.get("goal")]
        click.echo(f"{mark} {r['file']:45} F1 {number(r.get('f1'))}  runs {number(r.get('runs'))}"
                   + (f"  ({r['reference']})" if r.get("reference") else "")
                   + (f"  {r['second']['reader']}: F1 {number(r['second']['f1'])}  runs {number(r['second']['runs'])}"
                      if r.get("second") else "")
                   + (f"\n     {r['why']}" if r.get("why") else ""))
    s = now["all"]
    click.echo(f"{s['goal']} of {s['scored']} files with a reference text at the goal; mean F1 {number(s['f1'])}, "
               f"runs {number(s['runs'])}; titles {s['titles'][0]}/{s['titles'][1]}, dates "
               f"{s['dates'][0]}/{s['dates'][1]}, languages {s['languages'][0]}/{s['languages'][1]}")
    record = {"meta": meta, "results": results, "summary": now}
    before = None
    if save_before:
        before_path.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        click.echo(f"wrote {before_path}")
    elif before_path.exists():
        before = json.loads(before_path.read_text(encoding="utf-8"))
    if no_write:
        return
    argv = sys.argv[1:]
    command = "python -m bench.documents" + (" " + shlex.join(argv) if argv else "")
    expected = {r["file"]: r for r in rows}
    write_section(BENCH_DIR / "RESULTS.md", markdown(results, now, before, expected, meta, command), SECTION)
    click.echo(f"wrote {BENCH_DIR / 'RESULTS.md'}")


if __name__ == "__main__":
    main(prog_name="python -m bench.documents")
