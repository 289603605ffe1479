"""The query mix: the same logical queries for every engine, as the UI asks them.

A query is a small tree (words, phrases, AND, OR, NOT) plus optional date and
number filters; each engine renders it in its own syntax. Every search asks
for 10 hits with snippets and the facets the sidebar shows (year and month,
language, numbers, years mentioned) over all matching statements.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: object


@dataclass(frozen=True)
class Query:
    """A named logical query. Date filters are whole years, so every engine
    can express them the same way (statements known only by year included)."""

    name: str
    root: object
    year_from: int | None = None
    year_to: int | None = None
    number: int | None = None  # mentioned anywhere, a year included

    @property
    def date_from(self) -> dt.date | None:
        return dt.date(self.year_from, 1, 1) if self.year_from else None

    @property
    def date_to(self) -> dt.date | None:
        return dt.date(self.year_to, 12, 31) if self.year_to else None


MIX = (
    Query("en word", Word("occupation")),
    Query("ru word", Word("выборы")),
    Query("en common word", Word("international")),
    Query("ru common word", Word("россия")),
    Query("en inflected", Word("negotiating")),
    Query("ru inflected", Word("резолюции")),
    Query("ru inflected 2", Word("выборов")),
    Query("en phrase", Phrase("occupied territories")),
    Query("en phrase 2", Phrase("climate change")),
    Query("ru phrase", Phrase("Совет Безопасности")),
    Query("boolean en", And((Word("climate"), Or((Word("security"), Word("peace"))),
                             Not(Word("war"))))),
    Query("boolean en+ru", Or((Word("elections"), Word("выборы")))),
    Query("boolean ru", And((Word("президент"), Not(Word("Москва"))))),
    Query("date filter en", Word("security"), year_from=2019, year_to=2020),
    Query("date filter ru", Word("правительство"), year_from=2020, year_to=2020),
    Query("number filter en", Word("resolution"), number=822),
    Query("number filter ru", Word("резолюция"), number=2254),
)


def render(node, *, word, phrase, and_, or_, not_) -> str:
    """Renders a query tree with one function per node kind (an engine's syntax)."""
    def walk(n):
        if isinstance(n, Word):
            return word(n.text)
        if isinstance(n, Phrase):
            return phrase(n.text)
        if isinstance(n, And):
            return and_([walk(i) for i in n.items if not isinstance(i, Not)],
                        [walk(i.item) for i in n.items if isinstance(i, Not)])
        if isinstance(n, Or):
            return or_([walk(i) for i in n.items])
        if isinstance(n, Not):
            return not_(walk(n.item))
        raise TypeError(f"not a query node: {n!r}")

    return walk(node)


def by_name(names) -> tuple[Query, ...]:
    wanted = set(names)
    return tuple(q for q in MIX if q.name in wanted)
