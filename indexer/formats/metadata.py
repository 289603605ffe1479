"""The metadata a file may give (JSON records, sidecars, front matter, HTML),
checked once: a value of the wrong type is dropped with a warning naming its
field, every value is cleaned of control characters, and an address that is
not http or https (javascript:, a file path) is dropped with a warning.
Any other key (`issuer`, `country`, `speaker`…) is kept as the statement's own
metadata: text, a whole number, or a list of them."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from indexer.decode import clean_field

# Metadata a record or a sidecar may give; anything else is ignored.
META_KEYS = ("title", "date", "number", "lang", "url")
# Fields that may also be written as a JSON integer ("number": 64, "date": 2019).
INTEGER_OK = {"date", "number"}
# Keys that are the record itself, not metadata about it.
RECORD_KEYS = {"text", "id"}
# A further key must be a name a filter can carry (issuer, post_held).
EXTRA_KEY_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
MAX_LIST = 100  # values kept of a list
# A metadata value longer than this is cut (at a word, with a warning): every
# hit, facet, CSV row and feed entry carries it, and a server holds it per worker.
MAX_VALUE_CHARS = 1000
MAX_URL_CHARS = 2000  # (an address is not cut: a longer one is left out)


def kind_of(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def checked(values: dict, source: str = "") -> tuple[dict, list[str]]:
    """(usable metadata, warnings) from the META_KEYS of `values`.

    `source` says where the values come from in the warnings ("the metadata file").
    """
    given, warnings = {}, []
    for key in META_KEYS:
        value = values.get(key)
        if value is None:
            continue
        if isinstance(value, int) and not isinstance(value, bool) and key in INTEGER_OK:
            value = str(value)
        if not isinstance(value, str):
            where = f" in {source}" if source else ""
            warnings.append(f'"{key}"{where} is {kind_of(value)}, not text: ignored')
            continue
        value = clean_field(value)
        where = f" in {source}" if source else ""
        if key == "url" and value and (len(value) > MAX_URL_CHARS or not web_address(value)):
            shown = value if len(value) <= 60 else value[:57] + "..."
            what = (f"longer than {MAX_URL_CHARS:,} characters" if len(value) > MAX_URL_CHARS
                    else "not an http or https address")
            warnings.append(f'"url"{where} is {what} ({shown!r}): ignored')
            continue
        value = _capped(key, value, where, warnings)
        if value:
            given[key] = value
    for key, value in values.items():
        if key in META_KEYS or key in RECORD_KEYS or value is None:
            continue
        where = f" in {source}" if source else ""
        if not isinstance(key, str) or not EXTRA_KEY_RE.fullmatch(key):
            warnings.append(f"the key {clean_field(str(key))[:40]!r}{where} is not a name "
                            "(letters, digits, _): ignored")
            continue
        kept = extra_value(value)
        if kept is None:
            warnings.append(f'"{key}"{where} is {kind_of(value)}, not text, a whole number '
                            "or a list of them: ignored")
            continue
        if isinstance(kept, list):
            kept = [_capped(key, v, where, warnings) if isinstance(v, str) else v for v in kept]
        elif isinstance(kept, str):
            kept = _capped(key, kept, where, warnings)
        if kept not in ("", []):
            given[key] = kept
    return given, warnings


def _capped(key: str, value: str, where: str, warnings: list[str]) -> str:
    """`value` cut to MAX_VALUE_CHARS at a word (a warning says so), or as it is."""
    if len(value) <= MAX_VALUE_CHARS:
        return value
    head = value[:MAX_VALUE_CHARS]
    cut = head.rsplit(" ", 1)[0] if " " in head[MAX_VALUE_CHARS // 2:] else head
    warning = f'"{key}"{where} is longer than {MAX_VALUE_CHARS:,} characters: cut there, at a word'
    if warning not in warnings:
        warnings.append(warning)
    return cut.rstrip(" ,.;:") + "…"


def extra_value(value):
    """A further metadata value, cleaned: text, a whole number, or a list of them; None if not."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return clean_field(value)
    if isinstance(value, list):
        items = [extra_value(v) for v in value[:MAX_LIST]]
        if any(v is None or isinstance(v, list) for v in items):
            return None
        return [v for v in items if v != ""]
    return None


def extras(given: dict) -> dict:
    """The metadata of `given` beyond the fixed keys: what a corpus declares itself."""
    return {k: v for k, v in given.items() if k not in META_KEYS}


def web_address(url: str) -> bool:
    """True for an absolute http or https address, the only kind a statement's page links to."""
    try:
        parts = urlsplit(url)
    except ValueError:  # (a malformed host, "http://[x")
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and " " not in url
