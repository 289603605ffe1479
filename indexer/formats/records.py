"""JSON and JSON Lines: one statement per record; metadata files (`NAME.meta.json`)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from indexer.decode import decode, unlinkable
from indexer.formats.metadata import checked, kind_of
from indexer.summary import Problem
from search.errors import ReadError

# Brackets a JSON value may nest; statements need two or three. Deeper values
# would exhaust Python's stack in the JSON parser.
MAX_NESTING = 64
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


@dataclass
class Record:
    """One record of a records file, as read."""

    id: str
    text: str
    given: dict
    notes: list[str] = field(default_factory=list)  # warnings about the record


def _too_deep(text: str) -> int | None:
    """Where (a character offset) `text` nests brackets deeper than MAX_NESTING, or None."""
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return None
    depth = 0
    for m in _JSON_TOKENS.finditer(text):
        token = m.group()
        if token in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return m.start()
        elif token in "]}":
            depth -= 1
    return None


def parse_json(text: str):
    """A JSON value; raises ValueError saying where it is invalid or nested too deep."""
    deep = _too_deep(text)
    if deep is not None:
        line = text.count("\n", 0, deep) + 1
        raise ValueError(f"nested deeper than {MAX_NESTING} levels at line {line}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        # ("Unterminated string starting at" names its place itself: not "at at line")
        where = "" if err.msg.endswith(" at") else " at"
        raise ValueError(f"invalid JSON: {err.msg}{where} line {err.lineno}, column {err.colno}") from None
    except RecursionError:  # belt and braces: _too_deep should have caught it
        raise ValueError(f"nested deeper than {MAX_NESTING} levels") from None


def records(text: str, suffix: str, rel: str):
    """Each record of a JSON or JSON Lines file's text: a Record, or a Problem for
    one that cannot be read. Raises ReadError when the file as a whole cannot be."""
    if suffix == ".json":
        try:
            value = parse_json(text)
        except ValueError as err:
            raise ReadError(str(err)) from None
        items = value if isinstance(value, list) else [value]
        for n, item in enumerate(items, 1):
            yield _record(item, f"record {n}", str(n), rel)
        return
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            item = parse_json(line)
        except ValueError as err:
            yield Problem(f"{rel}:{n}", str(err).replace(" at line 1,", " at").replace(" at line 1", ""))
            continue
        yield _record(item, f"line {n}", str(n), rel)


def _record(item, where: str, fallback_id: str, rel: str):
    if not isinstance(item, dict):
        return Problem(f"{rel} {where}", "not a JSON object")
    body = item.get("text")
    if not isinstance(body, str) or not body.strip():
        return Problem(f"{rel} {where}", 'no "text" (a non-empty string) in the record')
    given, notes = checked(item)
    notes = [f"{where}: {n}" for n in notes]
    rec_id = item.get("id")
    if rec_id is None or (isinstance(rec_id, str) and not rec_id.strip()):
        rec_id = fallback_id
    elif isinstance(rec_id, bool) or not isinstance(rec_id, (str, int)):
        notes.append(f'{where}: "id" is {kind_of(rec_id)}, not text or an integer: '
                     f"the record is number {fallback_id}")
        rec_id = fallback_id
    else:
        rec_id = str(rec_id).strip()
        reason = unlinkable(rec_id)
        if reason:
            notes.append(f'{where}: "id" cannot be used ({reason}): the record is number {fallback_id}')
            rec_id = fallback_id
    return Record(rec_id, body, given, notes)


def read_sidecar(data: bytes, name: str) -> tuple[dict, list[str]]:
    """(metadata, warnings) of a `NAME.meta.json` file; raises ReadError."""
    try:
        value = parse_json(decode(data))
    except (ValueError, ReadError) as err:
        raise ReadError(f"{name}: invalid metadata file: {err}") from None
    if not isinstance(value, dict):
        raise ReadError(f"{name}: invalid metadata file: expected a JSON object")
    return checked(value, name)
