"""The real-document figures as a section of bench/RESULTS.md: per kind, per file, and the
files that miss the goal with why, beside a stored earlier run ("before") when there is one."""

from __future__ import annotations

import math

from bench.documents import F1_GOAL, KINDS, RUNS_GOAL, summary

SECTION = "## Reading real documents (`python -m bench.documents`)"
_MARK = {True: "✓", False: "✗", None: "–"}


def number(value: float | None) -> str:
    """A share cut (not rounded) to three decimals, so that a figure under a goal never shows as it;
    – when there is none."""
    return "–" if value is None else f"{math.floor(value * 1000 + 1e-9) / 1000:.3f}"


_NONE = object()  # (no earlier run: the column shows today's figure alone)


def pair(before, now, show=number) -> str:
    """A cell: now alone, or before → now when a before is given and differs in what it shows."""
    if before is _NONE:
        return show(now)
    a, b = show(before), show(now)
    return b if a == b else f"{a} → {b}"


def _mark(value) -> str:
    return _MARK.get(value, "–")


def _fraction(value) -> str:
    right, of = value or (0, 0)
    return f"{right}/{of}" if of else "–"


def file_rows(results: list[dict], before: dict[str, dict] | None) -> list[str]:
    """The per-file table's lines."""
    lines = ["| file | reference words | word F1 | 5-word runs | second reference: F1, runs | title | date | "
             "languages | goal |",
             "|---|---:|---:|---:|---|:---:|:---:|:---:|:---:|"]
    for r in results:
        old = (before or {}).get(r["file"], {}) if before is not None else None

        def cell(key, show):
            return pair(_NONE if old is None else old.get(key), r.get(key), show)

        words = str(r["ref_words"]) if r.get("ref_words") is not None else r.get("reference", "–")
        second = r.get("second")
        other = f"{second['reader']}: {number(second['f1'])}, {number(second['runs'])}" if second else "–"
        lines.append(f"| {r['file']} | {words} | {cell('f1', number)} | {cell('runs', number)} | {other} | "
                     f"{cell('title', _mark)} | {cell('date', _mark)} | {cell('languages', _mark)} | "
                     f"{cell('goal', _mark)} |")
    return lines


def kind_rows(now: dict, before: dict | None) -> list[str]:
    """The per-kind summary's lines."""
    lines = ["| kind | files | with a reference text | at the goal | mean word F1 | mean 5-word runs | "
             "titles right | dates right | languages right |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for kind in (*KINDS, "all"):
        s, b = now[kind], (before or {}).get(kind) if before is not None else None
        if not s["files"]:
            continue

        def cell(key, show):
            return pair(_NONE if b is None else b.get(key), s[key], show)

        lines.append(f"| {kind} | {s['files']} | {s['scored']} | {cell('goal', str)} | {cell('f1', number)} | "
                     f"{cell('runs', number)} | {cell('titles', _fraction)} | {cell('dates', _fraction)} | "
                     f"{cell('languages', _fraction)} |")
    return lines


def misses(results: list[dict]) -> list[str]:
    """One line per file with a reference text that misses the goal, and why."""
    return [f"- `{r['file']}` (F1 {number(r['f1'])}, runs {number(r.get('runs'))}"
            + (f"; {r['second']['reader']}: F1 {number(r['second']['f1'])}, runs {number(r['second']['runs'])}"
               if r.get("second") else "") + f"): {r['why']}"
            for r in results if r.get("goal") is False]


def second_readings(results: list[dict]) -> list[str]:
    """One line per file scored against a second reference: which, and why."""
    return [f"- `{r['file']}`: {r['second']['reader']}, {r['second']['why']}" for r in results if r.get("second")]


def wrong_metadata(results: list[dict], expected: dict[str, dict]) -> list[str]:
    """One line per file whose title, date or languages are not those expected: what we gave instead."""
    out = []
    for r in results:
        got = r.get("got") or {}
        wrong = []
        want = expected.get(r["file"], {})
        if r.get("title") is False:
            wrong.append(f"title «{got.get('title')}» (expected «{want.get('title')}»)")
        if r.get("date") is False:
            wrong.append(f"date {got.get('date')} (expected {want.get('date')})")
        if r.get("languages") is False:
            wrong.append(f"languages {' '.join(got.get('languages') or []) or 'none'} "
                         f"(expected {' '.join(want.get('languages') or [])})")
        if wrong:
            out.append(f"- `{r['file']}`: " + "; ".join(wrong))
    return out


def markdown(results: list[dict], now: dict, before: dict | None, expected: dict[str, dict],
             meta: dict, command: str) -> str:
    """The section of RESULTS.md."""
    old_files = {r["file"]: r for r in before["results"]} if before else None
    # (the before's figures over the same files: a run of some kinds compares with those kinds alone)
    old_summary = summary([old_files[r["file"]] for r in results if r["file"] in old_files]) if before else None
    if before:
        old = before["meta"]
        side = (f"Each cell reads before → now where the two differ: before is the run stored in "
                f"bench/documents/before.json ({old.get('when', '?')}, the reader of commit "
                f"{old.get('reader', '?')}); now is the reader of commit {meta.get('reader', '?')}. ")
    elif meta.get("saved"):
        side = (f"This run is stored as the before (bench/documents/before.json): the reader of commit "
                f"{meta.get('reader', '?')}; later runs show before → now. ")
    else:
        side = ""
    lines = [SECTION, "",
             f"{len(results)} real files (../shared/benchmarks/documents and bench/documents/files, sources in "
             "bench/documents/README.md), indexed by `python -m indexer` and read back through `search` as the "
             "statement page shows them (the text of its language sections, title, date, languages). "
             "References from independent readers: plain `pdftotext` (Debian's poppler-utils, its reading "
             f"order; here {meta.get('pdftotext') or 'not installed'}), mammoth's HTML of a .docx (body, "
             "footnotes, endnotes), and a web page's article element chosen by eye (an XPath per page in "
             "bench/documents/expected.json, with the title, date and languages expected of every file). "
             "Word F1: words as multisets (NFKC, case-folded, ё as е, soft hyphens out, punctuation dropped); "
             "5-word runs: the share of the reference's distinct 5-word runs found in ours (a set). "
             f"Goal: word F1 ≥ {F1_GOAL} and 5-word runs ≥ {RUNS_GOAL} on every file with a text layer. "
             "A file that the reference reader cannot read either (a password, no text layer) is not scored. "
             "A statement in more than one language is shown in language sections (each language's paragraphs "
             "together): for it, 5-word runs are counted within each section, and the reference is cut into "
             "sections by the indexer's own rule (a paragraph's language; `bench.documents.language_bodies`), "
             "so that the figure measures reading order within each language, not the sections' design; a "
             "statement in one section is compared whole. "
             "Where plain pdftotext reads a page otherwise than a person would (table cells down columns, a "
             "sidebar inside a sentence, two columns across each other, a form's header row down its columns, "
             "the letters of an OCR layer spaced apart, a page's blocks as one paragraph), seen on the rendered "
             "page, the file also has a second reference from a tool (pdftotext -layout, pdftotext region by "
             "region, regions chosen by eye, or pdfminer.six: listed below with why); the goal is met on it, "
             "and both figures are shown. "
             + side, "",
             *kind_rows(now, old_summary), "", *file_rows(results, old_files), ""]
    seconds = second_readings(results)
    if seconds:
        lines += ["Second references (the page looked at; plain pdftotext's reading is not a person's there):", "",
                  *seconds, ""]
    missed = misses(results)
    lines += ["Files below the goal:", "", *(missed or ["- none"]), ""]
    wrong = wrong_metadata(results, expected)
    lines += ["Titles, dates and languages not as expected:", "", *(wrong or ["- none"]), ""]
    lines += [f"Command: `{command}` ({meta.get('when', '')}; reader: the last commit to indexer/ and search/, "
              f"{meta.get('reader', '?')}).", ""]
    return "\n".join(lines)
