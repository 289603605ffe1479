"""Statements as the other engines index them, read exactly as our indexer reads them.

The files are read with `indexer.read` and their metadata extracted with
`indexer.extract` through `indexer.fields.statement_fields`, so every engine
indexes the same text, titles, dates and numbers; only analysis, storage,
ranking and highlighting differ.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from indexer.fields import statement_fields
from indexer.read import drafts, load
from indexer.scan import scan
from search import schema as S


@dataclass
class Document:
    id: str
    title: str
    body: str  # every language section, in the order written
    date: str  # ISO date, a year alone, or ""
    datekey: int  # search.schema.date_key: YYYYMMDD, YYYY0000 when only the year is known
    year: int
    month: int
    langs: list[str]
    numbers: list[int]  # numbers mentioned that are not years
    years: list[int]  # years mentioned


def read_documents(corpus: Path) -> Iterator[Document]:
    """Every statement of the corpus; unreadable files are left out, as the indexer does."""
    found = scan(Path(corpus))
    for key in sorted(found.groups):
        try:
            loaded = load(found.groups[key])
            statements, _ = drafts(loaded)
        except Exception:  # the indexer reports these; a benchmark just skips them
            continue
        for draft in statements:
            fields, _ = statement_fields(draft, loaded, loaded.hash)
            langs = fields[S.LANG].split()
            years = list(fields[S.MENTIONED_YEARS])
            yield Document(
                id=fields[S.ID],
                title=fields[S.TITLE] or "",
                body="\n\n".join(fields[S.BODY[lang]] for lang in langs),
                date=fields[S.DATE] or "",
                datekey=fields[S.DATEKEY],
                year=fields[S.YEAR_COL],
                month=fields[S.MONTH_COL],
                langs=langs,
                numbers=sorted(set(fields[S.NUMBERS]) - set(years)),
                years=years,
            )


def year_key_range(query) -> tuple[int, int]:
    """Date-key bounds of a query's year filter, statements known only by year included."""
    return S.date_key(query.year_from), S.date_key(query.year_to, 12, 31)
