"""The facets and filters, declared once.

Each `Field` says what a filter is called in every layer: its facet, its URL
parameters, the `Filters` attributes they fill, its query-syntax field, its
type and bounds, its label and its help. The API's parameters and links, the
search page's sidebar, the options of `python -m search`, the query syntax's
fields, the facet masks and counts and the filter table of docs/query-syntax.md all read `FIELDS`;
a test checks each entry against the API, the CLI and docs/query-syntax.md.

A new keyword facet over a column of its own is one entry (kind KEYWORD,
its column, its label) plus the code that writes and loads that column. The
facets a corpus declares follow the fixed ones in the registry of the index
that declares them (search.registry), never here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType

from search.lang import gazetteer, resolutions
from search import schema as S
from search.errors import InvalidInput
from search.lang.table import LANGUAGES
from search.results import SORTS, Filters

# Kinds of filter: what values they take and how they match.
KEYWORD = "keyword"  # any of some words (a language, an issuer)
LANGUAGE = "language"  # any of the languages
INTEGER = "integer"  # any of some whole numbers
YEAR = "year"  # any of some years
INTEGER_RANGE = "integer range"  # whole numbers from … to …
DATE_RANGE = "date range"  # dates from … to …
RANGES = (INTEGER_RANGE, DATE_RANGE)
INTEGERS = (INTEGER, YEAR, INTEGER_RANGE)

MAX_INTEGER = 10**15  # the largest number a statement is taken to mention
YEARS = (1, 9999)


class ParameterError(InvalidInput):
    """A request parameter or option that cannot be used, by name."""

    def __init__(self, name: str, message: str):
        super().__init__(f"{name}: {message}")
        self.name = name


@dataclass(frozen=True)
class Field:
    """One facet or filter, as every layer names it."""

    name: str  # the filter's name; for a counted facet, its key in SearchResult.facets
    kind: str  # one of the kinds above
    params: tuple[str, ...]  # URL parameters: one (repeatable) for values, (low, high) for a range
    attrs: tuple[str, ...]  # the Filters attributes they fill, in the same order
    label: str  # the sidebar's heading
    help: str  # one line, for the CLI, /api and docs/query-syntax.md
    param_help: tuple[str, ...] = ()  # a range's help per end (low, high), for the CLI
    syntax: tuple[str, ...] = ()  # query-syntax field names, the canonical one first
    index_field: str | None = None  # the indexed field a syntax filter (year:…) queries
    columns: tuple[str, ...] = ()  # FacetTable columns a filter's mask reads (a match in any)
    bounds: tuple[int, int] | None = None  # the lowest and highest whole number taken
    choices: tuple[str, ...] = ()  # the values taken, when they are a closed list
    facet: str | None = None  # the facet this filter narrows with, when not its own
    counted: bool = False  # the facet has value counts
    top: int | None = None  # counted values shown (None: all)
    display: str = "columns"  # how the sidebar lists the counts: histogram, list, columns
    chip: str = "{}"  # an active filter as the page shows it; a range fills two {}
    cli_aliases: tuple[str, ...] = ()  # further CLI flags, one per parameter
    canonical: Callable[[str], str | None] | None = None  # a keyword value's one spelling (None: refused)
    takes: str = ""  # what a keyword value looks like, said when one is refused
    declared: bool = False  # declared by the corpus: its values are in Filters.declared by name
    value_names: Callable[[str], dict] | None = None  # a value's names by language (an entity's)

    @property
    def group(self) -> str:
        """The facet whose mask (and counts) this filter belongs to."""
        return self.facet or self.name

    @property
    def is_range(self) -> bool:
        return self.kind in RANGES

    @property
    def takes_dates(self) -> bool:
        return self.kind == DATE_RANGE

    def flags(self, param: str) -> tuple[str, ...]:
        """The CLI flags of a parameter: --param, then any alias."""
        n = self.params.index(param)
        alias = self.cli_aliases[n:n + 1]
        return (_flag(param), *alias)

    def value(self, filters: Filters) -> tuple:
        """The filter's value in `filters`: the values chosen, or (low, high)."""
        if self.is_range:
            return tuple(getattr(filters, a) for a in self.attrs)
        if self.declared:
            return dict(filters.declared).get(self.name, ())
        return getattr(filters, self.attrs[0])

    def active(self, filters: Filters) -> bool:
        value = self.value(filters)
        return any(v is not None for v in value) if self.is_range else bool(value)

    def parse(self, param: str, raw: str, name: str | None = None):
        """One parameter's text as a value; a ParameterError (named `name`) says why not."""
        name = name or param
        raw = raw.strip()
        if self.kind in INTEGERS:
            try:
                value = int(raw)
            except ValueError:
                raise ParameterError(name, f"{raw!r} is not a whole number") from None
            lo, hi = self.bounds or (0, MAX_INTEGER)
            if not lo <= value <= hi:
                raise ParameterError(name, f"must be between {lo} and {hi}")
            return value
        if self.kind == DATE_RANGE:
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                raise ParameterError(name, f"{raw!r} is not a date; write it as YYYY-MM-DD") from None
        if self.choices and raw not in self.choices:
            raise ParameterError(name, f"{raw!r} is not one of {', '.join(self.choices)}")
        if self.canonical is not None:
            value = self.canonical(raw)
            if value is None:
                raise ParameterError(name, f"{raw!r} is not {self.takes}")
            return value
        return raw

    def format(self, value) -> str:
        """A value as a URL parameter."""
        return value.isoformat() if isinstance(value, dt.date) else str(value)


def _flag(param: str) -> str:
    return "--" + param.replace("_", "-")


TOP_NUMBERS = 20
TOP_MENTIONED_YEARS = 30
TOP_RESOLUTIONS = 20
TOP_MENTIONS = 30

YEAR_FIELD = Field(
    "year", YEAR, ("year",), ("years",), "Year", "The statement's year (repeatable: any of them).",
    syntax=("year",), index_field=S.YEAR, columns=("year",), bounds=YEARS,
    counted=True, display="histogram", chip="Year {}",
)
LANG_FIELD = Field(
    "lang", LANGUAGE, ("lang",), ("langs",), "Language",
    "Statements with a text in this language (repeatable).",
    syntax=("lang", "language"), index_field=S.LANG, columns=("lang",), choices=LANGUAGES,
    counted=True, display="list",
)
NUMBER_FIELD = Field(
    "number", INTEGER, ("number",), ("numbers",), "Numbers mentioned",
    "A number the statement mentions (repeatable: any of them).",
    syntax=("number", "num"), index_field=S.NUMBERS, columns=("numbers", "mentioned"),
    bounds=(0, MAX_INTEGER), counted=True, top=TOP_NUMBERS, chip="Mentions {}",
)
NUMBER_RANGE_FIELD = Field(
    "number_range", INTEGER_RANGE, ("number_min", "number_max"), ("number_min", "number_max"),
    "Numbers mentioned", "Mentions a number in a range (either end may be left open).",
    param_help=("Mentions a number at least this.", "Mentions a number at most this."),
    columns=("numbers", "mentioned"), bounds=(0, MAX_INTEGER), facet="number",
    chip="Numbers {}–{}",
)
MENTIONED_YEAR_FIELD = Field(
    "mentioned_year", YEAR, ("mentioned_year",), ("mentioned_years",), "Years mentioned",
    "A year the statement mentions (repeatable: any of them).",
    syntax=("mentioned",), index_field=S.MENTIONED_YEARS, columns=("mentioned",),
    bounds=YEARS, counted=True, top=TOP_MENTIONED_YEARS, chip="Mentions the year {}",
)
CITES_FIELD = Field(
    "cites", KEYWORD, ("cites",), ("cites",), "Resolutions cited",
    "A UN resolution the statement cites, by its symbol (repeatable: any of them).",
    syntax=("cites", "cited"), index_field=S.RESOLUTIONS, columns=(S.RESOLUTIONS_COL,),
    counted=True, top=TOP_RESOLUTIONS, display="list", chip="Cites {}",
    canonical=resolutions.canonical, takes=f"a UN resolution; write it as {resolutions.EXAMPLES}",
)
MENTIONS_FIELD = Field(
    "mentions", KEYWORD, ("mentions",), ("mentions",), "Countries and organisations mentioned",
    "A country or organisation the statement names, in either language, by its code "
    "(AZ, org:NATO) or a name (repeatable: any of them).",
    syntax=("mentions",), index_field=S.MENTIONS, columns=(S.MENTIONS_COL,),
    counted=True, top=TOP_MENTIONS, display="list", chip="Mentions {}",
    canonical=gazetteer.canonical, value_names=gazetteer.names,
    takes="a country's code (AZ), an organisation's (org:NATO) or a name the gazetteer knows (Azerbaijan, НАТО)",
)
DATE_FIELD = Field(
    "date", DATE_RANGE, ("date_from", "date_to"), ("date_from", "date_to"), "Date",
    "Dated in a range (YYYY-MM-DD; a statement known only by its year counts when the range covers that year).",
    param_help=("Dated on or after this day.", "Dated on or before this day."),
    syntax=("date",), columns=("datekey",), chip="Dated {} to {}", cli_aliases=("--from", "--to"),
)

# In the order of the sidebar and of the facets in a result.
FIELDS = (YEAR_FIELD, LANG_FIELD, NUMBER_FIELD, NUMBER_RANGE_FIELD, MENTIONED_YEAR_FIELD, CITES_FIELD,
          MENTIONS_FIELD, DATE_FIELD)
DECLARED_ATTR = "declared"  # the Filters attribute a declared facet's values fill, as (name, values) pairs
FACET_OPTION = "--facet"  # the CLI's option for them: --facet NAME=VALUE

# --- the parameters that are not filters: the search's own, and each research view's ----

TEXT = "text"  # any text (up to max_chars)
WHOLE = "whole number"  # a whole number within bounds
CHOICE = "choice"  # one of some words
SWITCH = "switch"  # on or off: 1, true, yes, on / 0, false, no, off
SWITCH_ON = ("1", "true", "yes", "on")
SWITCH_OFF = ("0", "false", "no", "off")


@dataclass(frozen=True)
class Param:
    """A parameter beside the filters, as the API, the pages, /api and the CLI name it."""

    name: str  # the URL parameter
    kind: str  # TEXT, WHOLE, CHOICE or SWITCH
    default: object
    help: str  # one line, for the CLI and /api
    bounds: tuple[int, int] | None = None  # a whole number's lowest and highest
    choices: tuple[str, ...] = ()
    max_chars: int | None = None  # a text's longest
    on_off: tuple[str, str] | None = None  # a switch's meaning on and off (None: any other text is off)

    def read(self, raw: str | None, bounds: tuple[int, int] | None = None):
        """A value from the parameter's text (None or empty: the default); a
        ParameterError naming it says why not. `bounds` replaces the declared ones
        (a bound that depends on another parameter)."""
        raw = "" if raw is None else raw
        if self.kind == TEXT:
            if self.max_chars is not None and len(raw) > self.max_chars:
                raise ParameterError(self.name, f"is {len(raw):,} characters long; the limit is "
                                                f"{self.max_chars:,}")
            return raw or self.default
        raw = raw.strip()
        if self.kind == SWITCH:
            raw = raw.lower()
            if raw in SWITCH_ON:
                return True
            if raw in SWITCH_OFF:
                return False
            if raw and self.on_off:
                on, off = self.on_off
                raise ParameterError(self.name, f"{raw!r} is neither 1 ({on}) nor 0 ({off})")
            return self.default if not raw else False
        if not raw:
            return self.default
        if self.kind == WHOLE:
            try:
                value = int(raw)
            except ValueError:
                raise ParameterError(self.name, f"{raw!r} is not a whole number") from None
            lo, hi = bounds or self.bounds
            if not lo <= value <= hi:
                raise ParameterError(self.name, f"must be between {lo:,} and {hi:,}")
            return value
        if raw not in self.choices:
            raise ParameterError(self.name, f"{raw!r} is not one of {', '.join(self.choices)}")
        return raw

    def describe(self) -> dict:
        """The parameter as /api describes it."""
        out = {"name": self.name, "type": self.kind, "help": self.help, "default": self.default}
        if self.bounds:
            out["bounds"] = list(self.bounds)
        if self.choices:
            out["choices"] = list(self.choices)
        return out


MAX_QUERY_CHARS = 2000  # a longer query is refused (parsing stays cheap)
MAX_PER_PAGE = 100  # statements a page of results may show
MAX_PAGE = 10**6
DEFAULT_PER_PAGE = 20  # statements a page shows (the library's `search` shows 10)

# The search's own parameters: the pages, the API and `python -m search` read them here.
QUERY = Param("q", TEXT, "", "The query (docs/query-syntax.md).", max_chars=MAX_QUERY_CHARS)
PAGE = Param("page", WHOLE, 1, "The page of results, from 1 (a page holds per_page results; "
             "--limit on the command line).", bounds=(1, MAX_PAGE))
PER_PAGE = Param("per_page", WHOLE, DEFAULT_PER_PAGE, "Results a page shows.",
                 bounds=(1, MAX_PER_PAGE))
SORT = Param("sort", CHOICE, "relevance", "relevance, -date (newest first) or date (oldest first).",
             choices=SORTS)
RAW = Param("raw", SWITCH, False, "Read the query in Whoosh's own query syntax.")
AUTOCORRECT = Param("autocorrect", SWITCH, True, "Correct misspelt words (0: search exactly as typed).",
                    on_off=("correct misspelt words", "search exactly as typed"))
SUGGEST = Param("suggest", SWITCH, True, "Offer a respelling when little is found (0: offer none).",
                on_off=("offer a respelling when little is found", "offer none"))
SEARCH_PARAMS = (QUERY, PAGE, PER_PAGE, SORT, RAW, AUTOCORRECT, SUGGEST)

# The switch for names across languages (search.lang.gazetteer): on unless the URL
# says names=exact (the CLI: --no-translate-names); Filters.exact_names holds it.
NAMES_PARAM = "names"
# autocorrect=0: search exactly as typed, without correcting misspelt words (search/exec/suggest.py).
AUTOCORRECT_PARAM = AUTOCORRECT.name
# suggest=0: no "did you mean" for a search that finds little (a script that only counts needs none).
SUGGEST_PARAM = SUGGEST.name
NAMES_EXACT = "exact"
NAMES_ACROSS = "across"
NAMES_ATTR = "exact_names"
NAMES_OPTION = "--no-translate-names"
NAMES_HELP = ("Names of countries and organisations find only the language typed "
              "(by default they find their names in the other language too).")

# The query syntax's own fields beyond the filters': the title, a statement's number.
QUERY_FIELDS = MappingProxyType({"title": "title", "no": "no", "docno": "no"})
# The parameters of the pages and research views themselves (trend, concordance,
# key terms, the statement page): a facet of that name would lose its filter there.
VIEW_PARAMS = ("split", "period", "view", "size", "width", "unit", "sample", "limit", "part", "bom",
               "measure", "min_freq", "near", "window", "a_q", "b_q", "values", "order", "within")
# Names a declared facet cannot take: the fixed filters', the search's and the views' own.
RESERVED = frozenset({*(p for f in FIELDS for p in f.params), *(a for f in FIELDS for a in f.syntax),
                      *(a for f in FIELDS for a in f.attrs), *QUERY_FIELDS, *VIEW_PARAMS,
                      *(p.name for p in SEARCH_PARAMS), NAMES_PARAM,
                      "title", "no", "docno", "id", "text", "url", "date", "number", "lang", "facet"})


def exact_names(raws, name: str) -> bool:
    """The names switch from its parameter's values: names=exact turns translation off."""
    raw = raws[0].strip() if raws else ""
    if raw not in ("", NAMES_EXACT, NAMES_ACROSS):
        raise ParameterError(name, f"{raw!r} is not {NAMES_EXACT} or {NAMES_ACROSS}")
    return raw == NAMES_EXACT
