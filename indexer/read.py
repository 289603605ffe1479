"""A group of files → the statements' texts: loading and hashing its bytes once,
reading each file in its format, records, sidecars, folder defaults, and the
per-statement limit.

Nothing here touches the index.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from indexer.decode import decode_text, normalize
from indexer.formats import read_text_file
from indexer.formats.metadata import checked, extras
from indexer.formats.records import read_sidecar, records
from indexer.scan import SourceGroup
from indexer.summary import Problem
from search import config
from search.errors import ReadError
from search.schema import SCHEMA_VERSION

# Bump when reading or extraction changes what is indexed: every statement
# is then re-indexed by the next incremental run.
READER_VERSION = 4  # 4: PDF spaces PDFium adds inside a word; 3: Ukrainian resolution words
DEFAULT_MAX_STATEMENT_SIZE = int(config.MAX_STATEMENT_MB.default * config.MB)


@dataclass
class Draft:
    """A statement's text as read, before metadata extraction."""

    id: str
    text: str
    name: str  # file name, the date fallback
    lang_hint: str | None = None
    given: dict = field(default_factory=dict)  # metadata from the file itself
    notes: list[str] = field(default_factory=list)  # warnings: the text is indexed anyway


@dataclass
class LoadedGroup:
    group: SourceGroup
    contents: list[bytes]
    sidecar: bytes | None
    hash: str
    defaults: list[bytes] = field(default_factory=list)  # the folders' _collection.json files


def load(group: SourceGroup, max_statement_size: int = DEFAULT_MAX_STATEMENT_SIZE) -> LoadedGroup:
    """Reads a group's bytes once and hashes them (raises ReadError).

    The hash covers the statement limit: a new limit re-reads what it cuts.
    """
    digest = hashlib.sha256(f"v{READER_VERSION}.{SCHEMA_VERSION}.{max_statement_size}".encode())
    contents = []
    for path in group.files:
        data = _read_bytes(path)
        digest.update(path.name.encode() + b"\0" + len(data).to_bytes(8, "big") + data)
        contents.append(data)
    sidecar = _read_bytes(group.sidecar) if group.sidecar else None
    if sidecar is not None:
        digest.update(b"meta\0" + sidecar)
    defaults = [_read_bytes(path) for path in group.defaults]
    for data in defaults:
        digest.update(b"defaults\0" + len(data).to_bytes(8, "big") + data)
    return LoadedGroup(group, contents, sidecar, digest.hexdigest()[:32], defaults)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise ReadError(f"{path.name}: cannot read: {err.strerror}") from err


def limit_text(text: str, limit: int) -> tuple[str, str | None]:
    """The first `limit` bytes (UTF-8) of a text, cut at a word, and a note when cut."""
    if len(text) <= limit // 4:  # a UTF-8 character takes at most four bytes
        return text, None
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text, None
    head = data[:limit].decode("utf-8", "ignore")
    cut = max(head.rfind(" "), head.rfind("\n"))
    head = head[:cut] if cut > len(head) // 2 else head
    return head.rstrip(), (f"indexed the first {limit / config.MB:g} MB of "
                           f"{len(data) / config.MB:.1f} MB of text")


def drafts(loaded: LoadedGroup, max_statement_size: int = DEFAULT_MAX_STATEMENT_SIZE
           ) -> tuple[list[Draft], list[Problem]]:
    """The statements in a loaded group, and per-record problems.

    Raises ReadError when the group as a whole cannot be read.
    """
    group = loaded.group
    sidecar, notes = read_sidecar(loaded.sidecar, group.sidecar.name) if loaded.sidecar else ({}, [])
    read = _record_drafts if group.is_records else _file_draft
    found, problems = read(loaded, sidecar, notes)
    defaults, notes = folder_defaults(loaded)
    if found:
        found[0].notes.extend(notes)
    for draft in found:
        draft.given = {**defaults, **draft.given}
        draft.text, note = limit_text(draft.text, max_statement_size)
        if note:
            draft.notes.append(note)
    return found, problems


def folder_defaults(loaded: LoadedGroup) -> tuple[dict, list[str]]:
    """The metadata a statement inherits from its folders (nearer folders win),
    and warnings: a bad _collection.json is reported and its defaults left out."""
    out, notes = {}, []
    for path, data in zip(loaded.group.defaults, loaded.defaults):
        name = f"{path.parent.name}/{path.name}"
        try:
            found, warnings = read_sidecar(data, name)
        except ReadError as err:
            notes.append(f"{err}: its defaults are not applied")
            continue
        notes.extend(warnings)
        out.update(extras(found))
    return out, notes


def _record_drafts(loaded: LoadedGroup, sidecar: dict, notes: list[str]):
    group = loaded.group
    decoded = decode_text(loaded.contents[0])
    notes = notes + ([decoded.note] if decoded.note else [])
    out, problems, seen = [], [], set()
    suffix = Path(group.key).suffix.lower()
    for item in records(decoded.text, suffix, group.key):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        doc_id = f"{group.key}#{item.id}"
        if doc_id in seen:
            problems.append(Problem(doc_id, "duplicate record id: the first one is kept"))
            continue
        seen.add(doc_id)
        given = {**item.given, **sidecar}
        # The file's own warnings go with its first statement only.
        draft_notes = item.notes + (notes if not out else [])
        out.append(Draft(doc_id, normalize(item.text), Path(group.key).name, given.get("lang"),
                         given, draft_notes))
    if not out and not problems:
        raise ReadError("no records")
    return out, problems


def _file_draft(loaded: LoadedGroup, sidecar: dict, notes: list[str]):
    group = loaded.group
    texts, given = [], {}
    several = len(group.files) > 1
    for path, data, lang in zip(group.files, loaded.contents, group.langs):
        try:
            decoded, found = read_text_file(path.suffix, data)
        except ReadError as err:
            raise ReadError(f"{path.name}: {err}" if several else str(err))
        text = normalize(decoded.text)
        if not text:
            raise ReadError(f"{path.name}: no text" if several else "no text")
        if decoded.note:
            notes.append(f"{path.name}: {decoded.note}" if several else decoded.note)
        texts.append(text)
        found, warnings = checked(found)
        notes.extend(warnings)
        for key, value in found.items():
            given.setdefault(key, value)
        if decoded.untitled:
            given.setdefault("title", Path(group.key).name)
    given.update(sidecar)
    hint = given.get("lang") or group.langs[0]
    name = Path(group.key).name
    return [Draft(group.key, "\n\n".join(texts), name, hint, given, notes)], []

