"""The stored-field contract: the index fields the indexer writes for one
statement (field names and types are declared in `search.schema`, which the
search reads them by)."""

from __future__ import annotations

from indexer.extract import extract, parse_date
from indexer.read import Draft, LoadedGroup
from indexer.summary import Problem
from search import schema as S


def statement_fields(draft: Draft, loaded: LoadedGroup, group_hash: str):
    """The index fields of one statement, and warnings about it (its metadata, its reading)."""
    meta = extract(draft.text, draft.name, draft.lang_hint)
    warnings = [Problem(draft.id, note) for note in draft.notes]
    given = draft.given
    if given.get("title"):
        meta.title = " ".join(str(given["title"]).split())
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
    fields = {
        S.ID: draft.id,
        S.GROUP: loaded.group.key,
        S.HASH: group_hash,
        S.SOURCES: [p.name for p in loaded.group.files],
        S.TITLE: meta.title,
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
    }
    for lang, text in bodies.items():
        fields[S.BODY[lang]] = text
    if meta.year:
        fields[S.YEAR] = meta.year
    if meta.docno:
        fields[S.DOCNO] = meta.docno
    if meta.resolutions:
        fields[S.RESOLUTIONS] = meta.resolutions
    if given.get("url"):
        fields[S.URL] = given["url"]
    return fields, warnings


def _join_sections(sections) -> dict[str, str]:
    bodies: dict[str, list[str]] = {}
    for lang, text in sections:
        bodies.setdefault(lang, []).append(text)
    return {lang: "\n\n".join(texts) for lang, texts in bodies.items()}
