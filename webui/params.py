"""Request parameters → a search request, validated once for pages and the API.

Every problem is a ParameterError naming the parameter and what it takes; the
error handler turns it into a 400 (JSON for the API, a page for people).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from search.engine import MAX_PER_PAGE
from search.errors import InvalidInput
from search.results import SORTS, Filters

MAX_QUERY_CHARS = 2000
DEFAULT_PER_PAGE = 20
LANGS = ("en", "ru")


class ParameterError(InvalidInput):
    """A request parameter that cannot be used."""

    def __init__(self, name: str, message: str):
        super().__init__(f"{name}: {message}")
        self.name = name


@dataclass
class SearchRequest:
    q: str = ""
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    raw: bool = False

    def args(self, **changes) -> dict:
        """The request as URL parameters (for links), with some changed."""
        f = self.filters
        args = {
            "q": self.q or None,
            "sort": self.sort if self.sort != "relevance" else None,
            "page": self.page if self.page != 1 else None,
            "per_page": self.per_page if self.per_page != DEFAULT_PER_PAGE else None,
            "raw": "1" if self.raw else None,
            "year": list(f.years),
            "number": list(f.numbers),
            "mentioned_year": list(f.mentioned_years),
            "lang": list(f.langs),
            "date_from": f.date_from.isoformat() if f.date_from else None,
            "date_to": f.date_to.isoformat() if f.date_to else None,
            "number_min": f.number_min,
            "number_max": f.number_max,
        }
        args.update(changes)
        return {k: v for k, v in args.items() if v not in (None, "", [])}


def _integers(args, name: str, lo: int = 0, hi: int = 10**15) -> tuple[int, ...]:
    values = []
    for raw in args.getlist(name):
        values.append(_integer(raw, name, lo, hi))
    return tuple(dict.fromkeys(values))


def _integer(raw: str, name: str, lo: int = 0, hi: int = 10**15) -> int:
    try:
        value = int(raw.strip())
    except (ValueError, AttributeError):
        raise ParameterError(name, f"{raw!r} is not a whole number") from None
    if not lo <= value <= hi:
        raise ParameterError(name, f"must be between {lo} and {hi}")
    return value


def _optional_integer(args, name: str) -> int | None:
    raw = args.get(name, "").strip()
    return _integer(raw, name) if raw else None


def _date(args, name: str) -> dt.date | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ParameterError(name, f"{raw!r} is not a date; write it as YYYY-MM-DD") from None


def parse_search(args) -> SearchRequest:
    """Reads and checks the search parameters of a request."""
    q = args.get("q", "")
    if len(q) > MAX_QUERY_CHARS:
        raise ParameterError("q", f"is {len(q):,} characters long; the limit is {MAX_QUERY_CHARS:,}")
    sort = args.get("sort", "relevance") or "relevance"
    if sort not in SORTS:
        raise ParameterError("sort", f"must be one of {', '.join(SORTS)}")
    page = _integer(args.get("page", "1") or "1", "page", 1, 10**6)
    per_page = _integer(args.get("per_page", str(DEFAULT_PER_PAGE)) or str(DEFAULT_PER_PAGE),
                        "per_page", 1, MAX_PER_PAGE)
    langs = tuple(dict.fromkeys(args.getlist("lang")))
    for lang in langs:
        if lang not in LANGS:
            raise ParameterError("lang", f"{lang!r} is not one of {', '.join(LANGS)}")
    filters = Filters(
        years=_integers(args, "year", 1, 9999),
        numbers=_integers(args, "number"),
        mentioned_years=_integers(args, "mentioned_year", 1, 9999),
        langs=langs,
        date_from=_date(args, "date_from"),
        date_to=_date(args, "date_to"),
        number_min=_optional_integer(args, "number_min"),
        number_max=_optional_integer(args, "number_max"),
    )
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ParameterError("date_from", "is after date_to")
    if (filters.number_min is not None and filters.number_max is not None
            and filters.number_min > filters.number_max):
        raise ParameterError("number_min", "is greater than number_max")
    raw = args.get("raw", "") in ("1", "true", "yes", "on")
    return SearchRequest(q, filters, sort, page, per_page, raw)
