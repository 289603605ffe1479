"""A statement's index fields as a row of the analysed corpus (search/analysed.py),
and back: the row carries its analysis, so the index is written from it without
analysing again (`fields_of(row_of(fields))` writes the same index as `fields`).
"""

from __future__ import annotations

import json

from search import schema as S
from search.analysed import AnalysedText, analyse, postings_of
from search.lang.table import LANGUAGES
from search.exec.texts import encode

_DECLARED = tuple(S.DECLARED_PREFIX.items())  # (kind, field-name prefix)


def row_of(fields: dict, schema) -> dict:
    """The analysed-corpus row of one statement's index fields (indexer/fields.py's);
    its title and bodies are analysed here, by the schema's own analysers."""
    title = fields[S.TITLE]
    langs = fields[S.LANG].split()
    metadata = fields.get(S.METADATA) or {}
    facets = {}
    for name, values in fields.items():
        for _kind, prefix in _DECLARED:
            if name.startswith(prefix):
                facets[name[len(prefix):]] = sorted(values)
    row = {
        "id": fields[S.ID], "group": fields[S.GROUP], "hash": fields[S.HASH],
        "sources": list(fields[S.SOURCES]), "title": fields["_stored_" + S.TITLE],
        "title_indexed": bool(title),
        "title_tokens": analyse(schema, S.TITLE, title) if title else [],
        "date": fields[S.DATE], "datekey": fields[S.DATEKEY], "docno": fields.get(S.DOCNO),
        "langs": langs, "url": fields.get(S.URL), "collection": metadata.get("collection"),
        "metadata": json.dumps(metadata, ensure_ascii=False) if metadata else None,
        "facets": json.dumps(facets, ensure_ascii=False, sort_keys=True) if facets else None,
        "numbers": list(fields[S.NUMBERS]), "mentioned_years": list(fields[S.MENTIONED_YEARS]),
        "resolutions": list(fields.get(S.RESOLUTIONS, ())),
        "mentions": list(fields.get(S.MENTIONS, ())),
    }
    for lang in LANGUAGES:
        text = fields.get(S.BODY[lang])
        row[f"text_{lang}"] = text
        row[f"tokens_{lang}"] = analyse(schema, S.BODY[lang], text) if text else []
        row[f"form_terms_{lang}"] = fields[S.FORM_TERMS[lang]]
        row[f"reuse_{lang}"] = fields[S.REUSE[lang]]
    return row


def fields_of(row: dict) -> dict:
    """The index fields of an analysed-corpus row: its title and bodies carry
    their tokens' postings, which the analysers take as they are."""
    date, langs = row["date"], row["langs"]
    year, month = _year_month(date)
    numbers, mentioned = row["numbers"], row["mentioned_years"]
    fields = {
        S.ID: row["id"], S.GROUP: row["group"], S.HASH: row["hash"], S.SOURCES: row["sources"],
        S.TITLE: (AnalysedText(row["title"], postings_of(row["title_tokens"]))
                  if row["title_indexed"] else ""),
        "_stored_" + S.TITLE: row["title"],
        S.DATE: date, S.DATEKEY: row["datekey"], S.NUMBERS: numbers,
        S.MENTIONED_YEARS: mentioned, S.LANG: " ".join(langs),
        S.YEAR_COL: year, S.MONTH_COL: month, S.LANG_COL: S.lang_mask(langs),
        S.NUMBERS_COL: S.pack_ints(set(numbers) - set(mentioned)),
        S.MENTIONED_YEARS_COL: S.pack_ints(mentioned),
        S.RESOLUTIONS_COL: S.pack_strings(row["resolutions"]),
        S.MENTIONS_COL: S.pack_strings(row["mentions"]),
    }
    for lang in langs:
        fields[S.BODY[lang]] = AnalysedText(row[f"text_{lang}"], postings_of(row[f"tokens_{lang}"]))
    for lang in LANGUAGES:
        fields[S.TEXT[lang]] = encode(row[f"text_{lang}"])
        fields[S.FORM_TERMS[lang]] = row[f"form_terms_{lang}"]
        fields[S.REUSE[lang]] = row[f"reuse_{lang}"]
    if year:
        fields[S.YEAR] = year
    for key, name in ((S.DOCNO, "docno"), (S.RESOLUTIONS, "resolutions"), (S.MENTIONS, "mentions"),
                      (S.URL, "url")):
        if row[name]:
            fields[key] = row[name]
    if row["metadata"]:
        fields[S.METADATA] = json.loads(row["metadata"])
    packed = []
    for name, values in json.loads(row["facets"] or "{}").items():
        kind = "integer" if all(isinstance(v, int) for v in values) else "keyword"
        fields[S.DECLARED_PREFIX[kind] + name] = values
        packed += [f"{name}{S.DECLARED_SEP}{v}" for v in values]
    fields[S.DECLARED_COL] = S.pack_strings(packed)
    return fields


def _year_month(date: str | None) -> tuple[int, int]:
    """(year, month) of a stored date: ISO, a year alone, or none (0 for unknown)."""
    if not date:
        return 0, 0
    return int(date[:4]) if len(date) == 4 else int(date[:-6]), 0 if len(date) == 4 else int(date[-5:-3])
