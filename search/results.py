"""What the search library returns: plain dataclasses, never Whoosh objects.

Every class has `as_dict()`, the shape of the JSON API.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field


@dataclass
class Snippet:
    """A fragment of a statement with the matches marked (escaped HTML)."""

    lang: str
    html: str


@dataclass
class Hit:
    id: str
    title: str
    title_html: str  # the title, escaped, with matches marked
    date: str | None  # ISO date, or a year alone when only the year is known
    number: str | None  # the statement's own number, e.g. "064/20"
    languages: list[str]
    score: float | None  # None when not sorted by relevance
    snippets: list[Snippet] = field(default_factory=list)
    resolutions: list[str] = field(default_factory=list)  # UN resolutions cited: "S/RES/822 (1993)"
    source_url: str | None = None  # the original on the web (http/https); the API's `url` is our page
    metadata: dict = field(default_factory=dict)  # what else the corpus gives: {"issuer": "…"}

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class FacetValue:
    value: object
    count: int
    selected: bool = False
    children: list[FacetValue] = field(default_factory=list)  # months of a year
    names: dict = field(default_factory=dict)  # the value's names by language (an entity's)

    def as_dict(self) -> dict:
        out = {"value": self.value, "count": self.count, "selected": self.selected}
        if self.names:
            out["names"] = self.names
        if self.children:
            out["months"] = [c.as_dict() for c in self.children]
        return out


@dataclass
class Filters:
    """Narrowing outside the query text, as the sidebar and the API give it.

    Values within one facet are alternatives (any of); facets combine with AND.
    `search.fields` declares, for each attribute, its parameters, syntax and checks.
    """

    years: tuple[int, ...] = ()
    numbers: tuple[int, ...] = ()
    mentioned_years: tuple[int, ...] = ()
    langs: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    number_min: int | None = None
    number_max: int | None = None
    cites: tuple[str, ...] = ()  # UN resolutions, as symbols: "S/RES/822 (1993)"
    mentions: tuple[str, ...] = ()  # countries and organisations named, by id: "AZ", "org:NATO"
    declared: tuple[tuple[str, tuple], ...] = ()  # the corpus's declared facets: (name, values)
    exact_names: bool = False  # names find only the language typed (not a filter: a search option)

    def __bool__(self) -> bool:
        return any(getattr(self, f) not in ((), None) for f in self.__dataclass_fields__
                   if f != "exact_names")

    def as_dict(self) -> dict:
        out = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if value in ((), None) or value is False:
                continue
            if name == "declared":  # each declared facet by its own name
                out.update((facet, list(values)) for facet, values in value)
                continue
            out[name] = value.isoformat() if isinstance(value, dt.date) else value
        return out


SORTS = ("relevance", "-date", "date")  # relevance, newest first, oldest first


@dataclass
class Corrected:
    """A query searched as respelt, because as typed it found almost nothing."""

    query: str  # what was searched: the query with its misspelt words corrected
    original: str  # what was typed

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class SearchResult:
    query: str
    parsed: str  # the query as understood, for "show parsed query"
    total: int
    page: int
    per_page: int
    sort: str
    took_ms: float
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    filters: Filters
    suggestion: str | None = None  # a respelling that finds more (the one searched, when `corrected`)
    notices: list[str] = field(default_factory=list)
    corrected: Corrected | None = None  # set when the hits are those of a respelt query

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def as_dict(self) -> dict:
        return {
            "query": self.query,
            "parsed": self.parsed,
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "pages": self.pages,
            "sort": self.sort,
            "took_ms": round(self.took_ms, 2),
            "hits": [h.as_dict() for h in self.hits],
            "facets": {k: [v.as_dict() for v in vs] for k, vs in self.facets.items()},
            "filters": self.filters.as_dict(),
            "suggestion": self.suggestion,
            "notices": self.notices,
            "corrected": self.corrected.as_dict() if self.corrected else None,
        }


@dataclass
class Section:
    """One language's text of a statement, as paragraphs of escaped HTML."""

    lang: str
    text: str
    paragraphs_html: list[str]


@dataclass
class Document:
    id: str
    title: str
    title_html: str
    date: str | None
    number: str | None
    languages: list[str]
    numbers: list[int]
    mentioned_years: list[int]
    sources: list[str]
    sections: list[Section]
    resolutions: list[str] = field(default_factory=list)  # UN resolutions cited: "S/RES/822 (1993)"
    source_url: str | None = None  # the original on the web (http/https), as the corpus gives it
    metadata: dict = field(default_factory=dict)  # what else the corpus gives: {"issuer": "…"}

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date,
            "number": self.number,
            "languages": self.languages,
            "numbers": self.numbers,
            "mentioned_years": self.mentioned_years,
            "sources": self.sources,
            "resolutions": self.resolutions,
            "source_url": self.source_url,
            "metadata": self.metadata,
            "sections": [{"lang": s.lang, "text": s.text} for s in self.sections],
        }


@dataclass
class IndexStatus:
    """What an open index holds, and whether it opens fast (see search.exec.segment_files)."""

    statements: int
    segments: int
    slow_segments: int  # segments without good arrays files: their columns are read value by value
    advice: str | None = None  # what makes it open fast, when it does not

    def as_dict(self) -> dict:
        return asdict(self)
