"""The metadata a file may give (JSON records, sidecars, front matter, HTML),
checked once: a value of the wrong type is dropped with a warning naming its
field, and every value is cleaned of control characters."""

from __future__ import annotations

from indexer.decode import clean_field

# Metadata a record or a sidecar may give; anything else is ignored.
META_KEYS = ("title", "date", "number", "lang")
# Fields that may also be written as a JSON integer ("number": 64, "date": 2019).
INTEGER_OK = {"date", "number"}


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
        if value:
            given[key] = value
    return given, warnings
