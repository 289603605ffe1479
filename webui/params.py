"""Request parameters → a search request, validated once for pages and the API.

Every problem is a ParameterError naming the parameter and what it takes; the
error handler turns it into a 400 (JSON for the API, a page for people). The
filter parameters are those of the app's index (its registry, `search.registry`):
the fixed filters and the facets its corpus declares.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from search.engine import MAX_PER_PAGE
from search.fields import AUTOCORRECT_PARAM, SUGGEST_PARAM, ParameterError
from search.query_parser import MAX_QUERY_CHARS
from search.registry import BUILT_IN, Registry
from search.results import SORTS, Filters
from webui.index_holder import get_registry

__all__ = ["AUTOCORRECT", "SUGGEST", "ParameterError", "SearchRequest", "parse_search"]

DEFAULT_PER_PAGE = 20
# `autocorrect=0` searches the query exactly as typed (the "Search instead for" link).
AUTOCORRECT = AUTOCORRECT_PARAM
# `suggest=0` leaves out the "did you mean" of a search that finds little.
SUGGEST = SUGGEST_PARAM
_OFF = ("0", "false", "no", "off")
_ON = ("", "1", "true", "yes", "on")


@dataclass
class SearchRequest:
    q: str = ""
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    raw: bool = False
    autocorrect: bool = True
    suggest: bool = True
    registry: Registry = field(default=BUILT_IN, repr=False, compare=False)  # whose filters these are

    def args(self, **changes) -> dict:
        """The request as URL parameters (for links), with some changed."""
        args = {
            "q": self.q or None,
            "sort": self.sort if self.sort != "relevance" else None,
            "page": self.page if self.page != 1 else None,
            "per_page": self.per_page if self.per_page != DEFAULT_PER_PAGE else None,
            "raw": "1" if self.raw else None,
            AUTOCORRECT: None if self.autocorrect else "0",
            SUGGEST: None if self.suggest else "0",
            **self.registry.filter_args(self.filters),
        }
        args.update(changes)
        return {k: v for k, v in args.items() if v not in (None, "", [])}


def _integer(raw: str, name: str, lo: int, hi: int) -> int:
    try:
        value = int(raw.strip())
    except (ValueError, AttributeError):
        raise ParameterError(name, f"{raw!r} is not a whole number") from None
    if not lo <= value <= hi:
        raise ParameterError(name, f"must be between {lo} and {hi}")
    return value


def parse_search(args) -> SearchRequest:
    """Reads and checks the search parameters of a request."""
    q = args.get("q", "")
    check_query_length(q)
    sort = args.get("sort", "relevance") or "relevance"
    if sort not in SORTS:
        raise ParameterError("sort", f"must be one of {', '.join(SORTS)}")
    page = _integer(args.get("page", "1") or "1", "page", 1, 10**6)
    per_page = _integer(args.get("per_page", str(DEFAULT_PER_PAGE)) or str(DEFAULT_PER_PAGE),
                        "per_page", 1, MAX_PER_PAGE)
    registry = get_registry()
    filters = registry.filters_from(args.getlist)
    raw = args.get("raw", "") in ("1", "true", "yes", "on")
    autocorrect = switch(args, AUTOCORRECT, "correct misspelt words", "search exactly as typed")
    suggest = switch(args, SUGGEST, "offer a respelling when little is found", "offer none")
    return SearchRequest(q, filters, sort, page, per_page, raw, autocorrect, suggest, registry)


def switch(args, name: str, on: str, off: str) -> bool:
    """An on/off parameter, on unless given as 0 (or false, no, off)."""
    value = args.get(name, "").strip().lower()
    if value not in _OFF + _ON:
        raise ParameterError(name, f"{value!r} is neither 1 ({on}) nor 0 ({off})")
    return value not in _OFF


def check_query_length(q: str) -> None:
    """A 400 naming `q` for a query longer than the library takes."""
    if len(q) > MAX_QUERY_CHARS:
        raise ParameterError("q", f"is {len(q):,} characters long; the limit is {MAX_QUERY_CHARS:,}")
