"""The stored-field contract: the index fields the indexer writes for one
statement (field names and types are declared in `search.schema`, which the
search reads them by)."""

from __future__ import annotations

import re

from indexer.extract import extract, parse_date
from indexer.reuse import reuse_columns
from indexer.formats.metadata import extras
from indexer.read import Draft, LoadedGroup
from indexer.summary import Problem
from search import schema as S
from search.lang.gazetteer import mentions
from search.views.formterms import column_value
from search.exec.texts import encode

_WHOLE_RE = re.compile(r"-?[0-9]+")  # (ASCII digits: int() refuses «²», which isdigit() allows)


def statement_fields(draft: Draft, loaded: LoadedGroup, group_hash: str, declared=()):
    """The index fields of one statement, and warnings about it (its metadata, its reading);
    `declared` are the corpus's facets (search.declared.Declared), filled from its metadata."""
    meta = extract(draft.text, draft.name, draft.lang_hint)
    warnings = [Problem(draft.id, note) for note in draft.notes]
    given = draft.given
    if given.get("title"):
        meta.title = " ".join(str(given["title"]).split())
        meta.title_is_text = False
    if given.get("number"):
        meta.docno = str(given["number"]).strip()
    if given.get("date"):
        try:
            meta.date, meta.year = parse_date(given["date"])
        except ValueError as err:
            warnings.append(Problem(draft.id, f"{err}; the date found in the text is used"))
    date = meta.date
    month = date.month if date else None
    bodies = _join_sections(meta.sections)
    named = mentions(meta.title, *bodies.values(), langs=(None, *bodies))  # each entity once per statement
    fields = {
        S.ID: draft.id,
        S.GROUP: loaded.group.key,
        S.HASH: group_hash,
        S.SOURCES: [p.name for p in loaded.group.files],
        # A title that is the text's own opening words is shown but not indexed
        # as a title: its words would count twice, at the title's boost.
        S.TITLE: "" if meta.title_is_text else meta.title,
        "_stored_" + S.TITLE: meta.title,
        S.DATE: date.isoformat() if date else (str(meta.year) if meta.year else None),
        S.DATEKEY: S.date_key(meta.year, month, date.day if date else None),
        S.NUMBERS: meta.numbers,
        S.MENTIONED_YEARS: meta.mentioned_years,
        S.LANG: " ".join(bodies),
        S.YEAR_COL: meta.year or 0,
        S.MONTH_COL: month or 0,
        S.LANG_COL: S.lang_mask(bodies),
        # The number facet shows numbers other than years; years have their own.
        S.NUMBERS_COL: S.pack_ints(set(meta.numbers) - set(meta.mentioned_years)),
        S.MENTIONED_YEARS_COL: S.pack_ints(meta.mentioned_years),
        S.RESOLUTIONS_COL: S.pack_strings(meta.resolutions),
        S.MENTIONS_COL: S.pack_strings(named),
    }
    for lang, text in bodies.items():
        fields[S.BODY[lang]] = text
    for lang in S.TEXT:  # (every statement has each column, empty for a language it lacks)
        fields[S.TEXT[lang]] = encode(bodies.get(lang))
        fields[S.FORM_TERMS[lang]] = column_value(bodies[lang], lang) if bodies.get(lang) else b""
    fields.update(reuse_columns(bodies))
    if meta.year:
        fields[S.YEAR] = meta.year
    if meta.docno:
        fields[S.DOCNO] = meta.docno
    if meta.resolutions:
        fields[S.RESOLUTIONS] = meta.resolutions
    if named:
        fields[S.MENTIONS] = named
    if given.get("url"):
        fields[S.URL] = given["url"]
    metadata = extras(given)
    if "/" in draft.id and "collection" not in metadata:  # the top folder, unless declared
        metadata["collection"] = draft.id.split("/", 1)[0]
    if metadata:
        fields[S.METADATA] = metadata
    packed = []
    for facet in declared:
        values, note = facet_values(facet, metadata.get(facet.name))
        if note:
            warnings.append(Problem(draft.id, note))
        if values:
            fields[S.DECLARED_PREFIX[facet.kind] + facet.name] = values
            packed += [f"{facet.name}{S.DECLARED_SEP}{v}" for v in values]
    fields[S.DECLARED_COL] = S.pack_strings(packed)
    return fields, warnings


def facet_values(facet, value) -> tuple[list, str | None]:
    """A declared facet's values from a metadata value, and a warning about what was left out."""
    if value is None:
        return [], None
    values = value if isinstance(value, list) else [value]
    note = None
    if len(values) > 1 and not facet.multi:
        note = f'"{facet.name}" has {len(values)} values, but its facet takes one: the first is used'
        values = values[:1]
    if facet.kind == "integer":
        kept = [n for n in map(_whole_number, values) if n is not None]
        if len(kept) < len(values):
            note = (f'"{facet.name}" is an integer facet: values that are not whole numbers '
                    f"from {S.FACET_INT_MIN:,} to {S.FACET_INT_MAX:,} are left out")
        return kept, note
    return [v for v in (str(v) for v in values) if v and S.DECLARED_SEP not in v], note


def _whole_number(value) -> int | None:
    """An integer facet's value as the index stores it (a signed 64-bit number), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _WHOLE_RE.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if S.FACET_INT_MIN <= number <= S.FACET_INT_MAX else None


def _join_sections(sections) -> dict[str, str]:
    bodies: dict[str, list[str]] = {}
    for lang, text in sections:
        bodies.setdefault(lang, []).append(text)
    return {lang: "\n\n".join(texts) for lang, texts in bodies.items()}
