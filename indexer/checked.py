"""The indexer reads every segment through once, when it first meets it, and
remembers it by its files' sizes, times and checksums (CRC-32), as it
remembers the segments it writes itself: a later run re-reads only the
segments whose files changed since, so a run that changes nothing stays cheap
however large the index. A file whose size or checksum changed is damage
(segments never change once written: a same-size overwrite would otherwise
read as other values); one whose time alone changed (a copied index) is read
through again."""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path

from search.exec.integrity import CHECKED_FILE as CHECKED_NAME, check_index_thoroughly, check_sizes, damaged, recorded
from search.exec.segment_files import SUFFIX as ARRAYS_SUFFIX

CHUNK = 1 << 20


def _fingerprints(index_dir: Path, segments, known: dict) -> dict[str, list]:
    """{segment id: sorted [file name, size, mtime, CRC-32]} of each segment's files; a
    checksum is computed only for a file whose name, size or time `known` does not hold."""
    files: dict[str, list] = {segment.segment_id(): [] for segment in segments}
    before = {entry[0]: entry for recorded_files in known.values() if isinstance(recorded_files, list)
              for entry in recorded_files if isinstance(entry, list) and len(entry) == 4}
    with os.scandir(index_dir) as entries:
        for entry in entries:
            segid = entry.name.split(".", 1)[0]
            # (a segment's arrays file is derived, checked when read, and written again when not good)
            if segid in files and entry.is_file() and not entry.name.endswith(ARRAYS_SUFFIX):
                st = entry.stat()
                old = before.get(entry.name)
                same = old is not None and old[1:3] == [st.st_size, st.st_mtime_ns]
                crc = old[3] if same else _crc(Path(entry.path))
                files[segid].append([entry.name, st.st_size, st.st_mtime_ns, crc])
    return {segid: sorted(found) for segid, found in files.items()}


def _crc(path: Path) -> int:
    crc = 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            crc = zlib.crc32(chunk, crc)
    return crc


def _check_checksums(index_dir: Path, now: dict, known: dict) -> None:
    """Raises IndexUnusable when a file holds other bytes than the indexer recorded."""
    before = {entry[0]: entry[3] for files in known.values() if isinstance(files, list)
              for entry in files if isinstance(entry, list) and len(entry) == 4}
    for files in now.values():
        for name, _, _, crc in files:
            if name in before and before[name] != crc:
                raise damaged(index_dir, f"{name} holds other bytes than were written (its checksum differs)")


def check_whole(ix, index_dir: Path) -> None:
    """Raises IndexUnusable when `ix` is damaged; reads through each segment it has
    not read before, then remembers them all (best effort: a read-only index
    is simply read through again next time)."""
    check_sizes(index_dir, ix)  # (a file cut where its own checks cannot see it)
    segments = ix._segments()
    before = recorded(index_dir)
    key = ix.indexname
    known = before.get(key, {})
    if not isinstance(known, dict):
        known = {}
    now = _fingerprints(index_dir, segments, known)
    _check_checksums(index_dir, now, known)
    trusted = {segid for segid, files in now.items() if known.get(segid) == files}
    check_index_thoroughly(ix, trusted)
    if known != now:
        _write(index_dir, {**before, key: now})


def remember(ix, index_dir: Path) -> None:
    """After a run's commits: its segments are whole as written (best effort)."""
    before = recorded(index_dir)
    known = before.get(ix.indexname, {})
    now = _fingerprints(index_dir, ix._segments(), known if isinstance(known, dict) else {})
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
