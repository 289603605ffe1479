"""Request parameters → a search request, validated once for pages and the API.

Every problem is a ParameterError naming the parameter and what it takes; the
error handler turns it into a 400 (JSON for the API, a page for people). The
filter parameters are those of the app's index (its registry, `search.registry`):
the fixed filters and the facets its corpus declares.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from search import fields as F
from search.fields import ParameterError
from search.registry import BUILT_IN, Registry
from search.results import Filters
from webui.index_holder import get_registry

__all__ = ["AUTOCORRECT", "SUGGEST", "ParameterError", "SearchRequest", "parse_search"]

DEFAULT_PER_PAGE = F.PER_PAGE.default
# `autocorrect=0` searches the query exactly as typed (the "Search instead for" link).
AUTOCORRECT = F.AUTOCORRECT.name
# `suggest=0` leaves out the "did you mean" of a search that finds little.
SUGGEST = F.SUGGEST.name
# The parameters that shape a page of statements, which a research view (its own
# result) does without: search.views declares the views' own.
PAGING = (F.PAGE.name, F.PER_PAGE.name, F.SORT.name)


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

    def view_args(self) -> dict:
        """The search's query and filters without its order and paging: what a
        research view of the search (and the links between views) keeps."""
        return self.args(sort=None, page=None, per_page=None)


def parse_search(args) -> SearchRequest:
    """Reads and checks the search parameters of a request (search.fields.SEARCH_PARAMS
    and the filters of the app's index)."""
    given = {p.name: p.read(args.get(p.name)) for p in F.SEARCH_PARAMS}
    registry = get_registry()
    return SearchRequest(given.pop("q"), registry.filters_from(args.getlist), **given, registry=registry)


def switch(args, name: str, on: str, off: str) -> bool:
    """An on/off parameter, on unless given as 0 (or false, no, off)."""
    return F.Param(name, F.SWITCH, True, on, on_off=(on, off)).read(args.get(name))


def check_query_length(q: str) -> None:
    """A 400 naming `q` for a query longer than the library takes."""
    F.QUERY.read(q)
