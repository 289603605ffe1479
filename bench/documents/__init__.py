"""Real documents read as a user gets them, scored against independent readers.

`python -m bench.documents` indexes the real files of
../shared/benchmarks/documents and bench/documents/files with `python -m
indexer`, reads each statement back through `search` (its text, title, date
and languages), and compares them with pdftotext (PDF), mammoth (Word) and
each page's article element (web pages), and with the title, date and
languages declared by eye in bench/documents/expected.json.

A statement in more than one language is shown in language sections (each
language's paragraphs together, in the order the languages first appear):
for such a statement 5-word runs are counted within each section, and the
reference is cut into sections by the same rule (`language_bodies`), so that
the figure measures the reading order inside each language, not the
sections' design. A statement in one section is compared whole.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench import BENCH_DIR, ROOT
from bench.documents import metrics as M

HERE = BENCH_DIR / "documents"
SHARED_FILES = ROOT.parent / "shared" / "benchmarks" / "documents" / "files"
OWN_FILES = HERE / "files"
EXPECTED = HERE / "expected.json"
BEFORE = HERE / "before.json"
KINDS = ("pdf", "docx", "html")
F1_GOAL, RUNS_GOAL = 0.98, 0.95


def load_table(path: Path = EXPECTED) -> list[dict]:
    """The declared files, each with its `path` and `kind` (pdf, docx or html) filled in."""
    rows = json.loads(path.read_text(encoding="utf-8"))["files"]
    for row in rows:
        folder = SHARED_FILES if row["where"] == "shared" else OWN_FILES
        row["path"] = folder / row["file"]
        row["kind"] = row["file"].split("_", 1)[0]
    return sorted(rows, key=lambda r: (KINDS.index(r["kind"]), r["file"].lower()))


def language_bodies(text: str) -> list[str]:
    """A text as a statement shows it: its paragraphs' language sections (indexer.extract.language_sections,
    the indexer's own rule) with each language's sections joined, in the order the languages first appear."""
    from indexer.extract import language_sections

    bodies: dict[str, list[str]] = {}
    for lang, part in language_sections(text):
        bodies.setdefault(lang, []).append(part)
    return ["\n\n".join(parts) for parts in bodies.values()]


def sectioned(text: str, sections: list[str] | None = None) -> list[list[str]]:
    """The words of each language section of a text (given, or found by `language_bodies`), empty ones left out."""
    found = [M.words(part) for part in (sections if sections is not None else language_bodies(text))]
    return [words for words in found if words] or [[]]


def score(row: dict, reference: str | None, ours: dict, no_reference: str | None = None,
          second: str | None = None) -> dict:
    """One file's figures: words recovered, 5-word runs, title, date, languages, and why it misses the goal.
    With a `second` reference (declared, with why, where a person would not read as the first reader
    does), its figures are kept beside the first's and the goal is met on them."""
    result = {"file": row["file"], "kind": row["kind"], "note": row.get("note", "")}
    if reference is not None and not M.words(reference):
        reference, no_reference = None, "the reference reader finds no words (no text layer)"
    if reference is None:
        result.update(reference=no_reference or "no reference", f1=None, runs=None, goal=None,
                      title=None, date=None, languages=None, error=ours.get("error"))
        return result
    theirs, mine = M.words(reference), M.words(ours.get("text", ""))
    # (reading order within each language section: ours as the statement shows them, the reference cut alike)
    my_runs = sectioned(ours.get("text", ""), ours.get("sections"))
    cut = len(my_runs) > 1
    their_runs = sectioned(reference) if cut else [theirs]
    f1, share = M.word_f1(mine, theirs), M.run_share(my_runs, their_runs)
    result.update(
        ref_words=len(theirs), our_words=len(mine), f1=f1, runs=share,
        goal=M.meets_goal(f1, share, F1_GOAL, RUNS_GOAL),
        title=M.title_match(row.get("title"), ours.get("title")),
        date=M.date_match(row.get("date"), ours.get("date")),
        languages=M.languages_match(row.get("languages", []), ours.get("languages", [])),
        got={"title": ours.get("title"), "date": ours.get("date"), "languages": ours.get("languages", [])},
    )
    if second is not None:
        other = M.words(second)
        other_runs = sectioned(second) if cut else [other]
        f1_2, share_2 = M.word_f1(mine, other), M.run_share(my_runs, other_runs)
        spec = row["second"]
        reader = spec["reader"] + (f" (word_margin {spec['word_margin']})" if "word_margin" in spec else "")
        result["second"] = {"reader": reader, "why": spec.get("why", ""),
                            "f1": f1_2, "runs": share_2}
        result["goal"] = M.meets_goal(f1_2, share_2, F1_GOAL, RUNS_GOAL)
        their_runs = other_runs
    if ours.get("error"):
        result["error"] = ours["error"]
    if result["goal"] is False:
        result["why"] = why(result, my_runs, their_runs) + (f"; {row['below']}" if row.get("below") else "")
    return result


def why(result: dict, mine: list[list[str]], theirs: list[list[str]]) -> str:
    """What keeps a file from the goal: the reader's refusal, or the counts and the first reference run we lack."""
    if result.get("error"):
        return f"not indexed: {result['error']}"
    missing = M.first_missing_run(mine, theirs)
    parts = [f"{result['our_words']} words read of {result['ref_words']}"]
    if missing:
        parts.append(f"first 5-word run not found: «{missing}»")
    return "; ".join(parts)


def summary(results: list[dict]) -> dict[str, dict]:
    """Per kind (and for all): files, files with a reference text, files at the goal, mean F1 and runs,
    titles, dates and languages right of those scored."""
    out = {}
    for kind in (*KINDS, "all"):
        rows = [r for r in results if kind in ("all", r["kind"])]
        scored = [r for r in rows if r.get("f1") is not None]
        titled = [r for r in scored if r.get("title") is not None]
        out[kind] = {
            "files": len(rows), "scored": len(scored),
            "goal": sum(1 for r in scored if r.get("goal")),
            "f1": M.mean(r["f1"] for r in scored), "runs": M.mean(r.get("runs") for r in scored),
            "titles": (sum(1 for r in titled if r["title"]), len(titled)),
            "dates": (sum(1 for r in scored if r.get("date")), len(scored)),
            "languages": (sum(1 for r in scored if r.get("languages")), len(scored)),
        }
    return out
