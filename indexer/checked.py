"""The indexer reads every segment through once, when it first meets it, and
remembers it by its files' sizes and times, as it remembers the segments it
writes itself: a later run re-reads only the segments whose files changed
since, so a run that changes nothing stays cheap however large the index. A
file whose size changed is damage (segments never change once written); one
whose time alone changed (a copied index) is read through again."""

from __future__ import annotations

import json
import os
from pathlib import Path

from search.integrity import CHECKED_FILE as CHECKED_NAME, check_index_thoroughly, check_sizes, recorded


def _fingerprints(index_dir: Path, segments) -> dict[str, list]:
    """{segment id: sorted [file name, size, mtime]} of each segment's files."""
    files: dict[str, list] = {segment.segment_id(): [] for segment in segments}
    with os.scandir(index_dir) as entries:
        for entry in entries:
            segid = entry.name.split(".", 1)[0]
            if segid in files and entry.is_file():
                st = entry.stat()
                files[segid].append([entry.name, st.st_size, st.st_mtime_ns])
    return {segid: sorted(found) for segid, found in files.items()}


def check_whole(ix, index_dir: Path) -> None:
    """Raises IndexUnusable when `ix` is damaged; reads through each segment it has
    not read before, then remembers them all (best effort: a read-only index
    is simply read through again next time)."""
    check_sizes(index_dir, ix)  # (a file cut where its own checks cannot see it)
    segments = ix._segments()
    now = _fingerprints(index_dir, segments)
    before = recorded(index_dir)
    key = ix.indexname
    known = before.get(key, {})
    trusted = {segid for segid, files in now.items() if known.get(segid) == files}
    check_index_thoroughly(ix, trusted)
    if known != now:
        _write(index_dir, {**before, key: now})


def remember(ix, index_dir: Path) -> None:
    """After a run's commits: its segments are whole as written (best effort)."""
    before = recorded(index_dir)
    now = _fingerprints(index_dir, ix._segments())
    if before.get(ix.indexname) != now:
        _write(index_dir, {**before, ix.indexname: now})


def _write(index_dir: Path, record: dict) -> None:
    tmp = index_dir / f"{CHECKED_NAME}.tmp"
    try:
        tmp.write_text(json.dumps(record), encoding="utf-8")
        os.replace(tmp, index_dir / CHECKED_NAME)
    except OSError:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
