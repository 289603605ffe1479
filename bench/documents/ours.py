"""What a user gets from our reader: the files indexed by `python -m indexer`, each
statement's text, title, date and languages read back through `search` as the
statement page shows them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import ROOT

# The indexer's report of a file it could not index, or indexed with a warning.
_REPORTED = re.compile(r"^(failed|warning): (.*)$")


def index_files(files: list[Path], work: Path) -> tuple[dict[str, str], dict[str, str], float]:
    """A fresh index of copies of `files` under `work`: (failures by name, warnings by name, seconds)."""
    corpus, index = work / "corpus", work / "index"
    for folder in (corpus, index):
        if folder.exists():
            shutil.rmtree(folder)
    corpus.mkdir(parents=True)
    for path in files:
        shutil.copyfile(path, corpus / path.name)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "indexer", "--corpus", str(corpus), "--index", str(index)],
                          cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    failed, warned = reported(done.stdout + "\n" + done.stderr, [p.name for p in files])
    if done.returncode not in (0, 1) or not index.exists():
        raise RuntimeError(f"indexing failed (exit status {done.returncode}): "
                           f"{done.stderr.strip() or done.stdout.strip()}")
    return failed, warned, seconds


def reported(output: str, names: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The indexer's output → (reason by file for the files of `names` it failed, warnings by file)."""
    failed: dict[str, str] = {}
    warned: dict[str, str] = {}
    longest_first = sorted(names, key=len, reverse=True)  # (a name may hold ": ")
    for line in output.splitlines():
        m = _REPORTED.match(line.strip())
        name = m and next((n for n in longest_first if m.group(2).startswith(n + ": ")), None)
        if name:
            into = failed if m.group(1) == "failed" else warned
            reason = m.group(2)[len(name) + 2:]
            into[name] = f"{into[name]}; {reason}" if name in into else reason
    return failed, warned


def read_back(index: Path, names: list[str]) -> dict[str, dict | None]:
    """Per file name: the statement as `search` gives it (text, title, date, languages), None if not indexed."""
    from search.engine import SearchIndex

    out: dict[str, dict | None] = {}
    with SearchIndex(index) as ix:
        for name in names:
            doc = ix.document(name)
            if doc is None:
                out[name] = None
                continue
            out[name] = {
                "text": "\n\n".join(section.text for section in doc.sections),
                "sections": [section.text for section in doc.sections],
                "title": doc.title or None,
                "date": doc.date or None,
                "languages": list(doc.languages),
            }
    return out


def read_ours(files: list[Path], work: Path) -> tuple[dict[str, dict], float]:
    """Per file name: what we read (None fields and an `error` when the indexer refused it), and the seconds."""
    failed, warned, seconds = index_files(files, work)
    found = read_back(work / "index", [p.name for p in files])
    out = {}
    for path in files:
        got = found.get(path.name) or {"text": "", "title": None, "date": None, "languages": []}
        if path.name in failed:
            got["error"] = failed[path.name]
        elif found.get(path.name) is None:
            got["error"] = "not in the index"
        if path.name in warned:
            got["warning"] = warned[path.name]
        out[path.name] = got
    return out, seconds
