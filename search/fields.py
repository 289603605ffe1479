"""The facets and filters, declared once.

Each `Field` says what a filter is called in every layer: its facet, its URL
parameters, the `Filters` attributes they fill, its query-syntax field, its
type and bounds, its label and its help. The API's parameters and links, the
search page's sidebar, the options of `python -m search`, the query syntax's
fields, the facet masks and counts and the filter table of docs/query-syntax.md all read `FIELDS`;
a test checks each entry against the API, the CLI and docs/query-syntax.md.

A new keyword facet over a column of its own is one entry (kind KEYWORD,
its column, its label) plus the code that writes and loads that column. The
facets a corpus declares enter at start-up (`declare`, from search.declared)
and are listed by `every()` after the fixed ones.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass

import click

from search import gazetteer, resolutions
from search import schema as S
from search.errors import InvalidInput
from search.langdata import LANGUAGES
from search.results import Filters

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
DECLARED: list[Field] = []  # the corpus's own facets, after the fixed ones (see declare)
DECLARED_ATTR = "declared"  # the Filters attribute their values fill, as (name, values) pairs
FACET_OPTION = "--facet"  # the CLI's option for them: --facet NAME=VALUE

# The switch for names across languages (search.gazetteer): on unless the URL
# says names=exact (the CLI: --no-translate-names); Filters.exact_names holds it.
NAMES_PARAM = "names"
# autocorrect=0: search exactly as typed, without correcting misspelt words (search/suggest.py).
AUTOCORRECT_PARAM = "autocorrect"
# suggest=0: no "did you mean" for a search that finds little (a script that only counts needs none).
SUGGEST_PARAM = "suggest"
NAMES_EXACT = "exact"
NAMES_ACROSS = "across"
NAMES_ATTR = "exact_names"
NAMES_OPTION = "--no-translate-names"
NAMES_HELP = ("Names of countries and organisations find only the language typed "
              "(by default they find their names in the other language too).")

PARAMS = [p for f in FIELDS for p in f.params]  # every filter's URL parameters (declared ones too)
FACETS = tuple(f.name for f in FIELDS if f.counted)  # the fixed facets with counts
BY_PARAM = {p: f for f in FIELDS for p in f.params}
BY_SYNTAX = {f.syntax[0]: f for f in FIELDS if f.syntax}  # canonical query-syntax name → filter
SYNTAX_ALIASES = {alias: f.syntax[0] for f in FIELDS for alias in f.syntax}  # "num" → "number"
# The parameters of the pages and research views themselves (trend, concordance,
# key terms, the statement page): a facet of that name would lose its filter there.
VIEW_PARAMS = ("split", "period", "view", "size", "width", "unit", "sample", "limit", "part", "bom")
# Names a declared facet cannot take: the fixed filters', the search's and the views' own.
RESERVED = frozenset({*PARAMS, *SYNTAX_ALIASES, *(a for f in FIELDS for a in f.attrs), *VIEW_PARAMS,
                      "q", "page", "per_page", "sort", "raw", NAMES_PARAM, AUTOCORRECT_PARAM, SUGGEST_PARAM,
                      "title", "no", "docno", "id", "text", "url", "date", "number", "lang", "facet"})


def every() -> tuple[Field, ...]:
    """The fixed entries, then the declared ones."""
    return (*FIELDS, *DECLARED)


def declare(entries) -> None:
    """Makes `entries` the declared facets, replacing those declared before (the
    lookups are updated in place, so every module that imported them sees them)."""
    from search import query_lexer  # (it reads the registry's syntax names)

    for f in DECLARED:
        PARAMS.remove(f.params[0])
        BY_PARAM.pop(f.params[0], None)
        BY_SYNTAX.pop(f.syntax[0], None)
        SYNTAX_ALIASES.pop(f.syntax[0], None)
        query_lexer.FIELD_ALIASES.pop(f.syntax[0], None)
    DECLARED[:] = [f for f in entries if f.name not in RESERVED]
    for f in DECLARED:
        PARAMS.append(f.params[0])
        BY_PARAM[f.params[0]] = f
        BY_SYNTAX[f.syntax[0]] = f
        SYNTAX_ALIASES[f.syntax[0]] = f.syntax[0]
        query_lexer.FIELD_ALIASES[f.syntax[0]] = f.syntax[0]


@dataclass(frozen=True)
class Group:
    """A facet in the sidebar: its counts (if any) and its range forms."""

    name: str
    label: str
    counted: Field | None
    ranges: tuple[Field, ...]


# The sidebar opens with the filters a researcher reaches for first; the corpus's
# own facets (the collection first) follow them, and then the rest, in registry order.
FIRST_GROUPS = ("date", "year", "lang")


def groups() -> list[Group]:
    """The sidebar's sections: FIRST_GROUPS, the declared facets, then the rest."""
    out: dict[str, list[Field]] = {}
    for f in every():
        out.setdefault(f.group, []).append(f)
    declared = {f.group for f in DECLARED}
    rank = {name: (0, FIRST_GROUPS.index(name)) if name in FIRST_GROUPS else (1 if name in declared else 2, n)
            for n, name in enumerate(out)}
    return [
        Group(name, members[0].label, next((f for f in members if f.counted), None),
              tuple(f for f in members if f.is_range))
        for name, members in sorted(out.items(), key=lambda item: rank[item[0]])
    ]


# --- reading and writing filters --------------------------------------------------------


def filters_from(getlist, name=lambda param: param) -> Filters:
    """Filters from raw texts: `getlist(param)` gives a parameter's values.

    Repeated values are alternatives; an empty range end is open. Every
    problem is a ParameterError naming the parameter as `name(param)` gives it.
    """
    values, declared = {}, {}
    for f in every():
        for param, attr in zip(f.params, f.attrs):
            raws = getlist(param)
            if f.declared:
                chosen = tuple(dict.fromkeys(f.parse(param, r, name(param)) for r in raws))
                if chosen:
                    declared[f.name] = chosen
            elif f.is_range:
                raw = raws[0].strip() if raws else ""  # as args.get: the first
                values[attr] = f.parse(param, raw, name(param)) if raw else None
            else:
                values[attr] = tuple(dict.fromkeys(f.parse(param, r, name(param)) for r in raws))
        if f.is_range:
            lo, hi = (values[a] for a in f.attrs)
            if lo is not None and hi is not None and lo > hi:
                later = "is after" if f.kind == DATE_RANGE else "is greater than"
                raise ParameterError(name(f.params[0]), f"{later} {name(f.params[1])}")
    return Filters(**values, declared=tuple(declared.items()),
                   **{NAMES_ATTR: _exact_names(getlist(NAMES_PARAM), name(NAMES_PARAM))})


def _exact_names(raws, name: str) -> bool:
    """The names switch from its parameter's values: names=exact turns translation off."""
    raw = raws[0].strip() if raws else ""
    if raw not in ("", NAMES_EXACT, NAMES_ACROSS):
        raise ParameterError(name, f"{raw!r} is not {NAMES_EXACT} or {NAMES_ACROSS}")
    return raw == NAMES_EXACT


def filter_args(filters: Filters) -> dict:
    """Filters as URL parameters: a list per repeatable one, a text or None per range end."""
    args = {}
    for f in every():
        if f.is_range:
            for param, value in zip(f.params, f.value(filters)):
                args[param] = None if value is None else f.format(value)
        else:
            args[f.params[0]] = list(f.value(filters))
    args[NAMES_PARAM] = NAMES_EXACT if getattr(filters, NAMES_ATTR) else None
    return args


def filter_options(command):
    """Adds a click option per filter parameter; the command receives them as `filters`.

    Options are read by the same rules as the API's parameters (bounds,
    ranges in order), so a bad one is reported as an InvalidInput.
    """

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        given = {p: kwargs.pop(p) for f in FIELDS for p in f.params}
        if kwargs.pop("no_translate_names", False):
            given[NAMES_PARAM] = NAMES_EXACT
        if "index_dir" in kwargs:  # the declared facets are those of the index searched
            from search.declared import register
            register(kwargs["index_dir"])
        for raw in kwargs.pop("facet", ()):
            key, sep, value = raw.partition("=")
            if not sep or key.strip() not in BY_PARAM or key.strip() in given:
                known = ", ".join(f.name for f in DECLARED) or "none"
                raise ParameterError(FACET_OPTION, f"{raw!r} is not NAME=VALUE of a declared facet "
                                                   f"(this index declares: {known})")
            given.setdefault(key.strip() + "\0", []).append(value)

        def getlist(param):
            value = given.get(param, given.get(param + "\0"))
            return [] if value is None else [value] if isinstance(value, str) else list(value)

        def flag(p):
            if p == NAMES_PARAM:
                return NAMES_OPTION
            return BY_PARAM[p].flags(p)[0] if not BY_PARAM[p].declared else f"{FACET_OPTION} {p}"

        kwargs["filters"] = filters_from(getlist, flag)
        return command(*args, **kwargs)

    wrapper = click.option(FACET_OPTION, "facet", multiple=True, metavar="NAME=VALUE",
                           help="A facet the corpus declares (repeatable), e.g. issuer=…")(wrapper)
    wrapper = click.option(NAMES_OPTION, "no_translate_names", is_flag=True, help=NAMES_HELP)(wrapper)
    for f in reversed(FIELDS):
        for param in reversed(f.params):
            wrapper = click.option(*f.flags(param), param, **_option_kwargs(f, param))(wrapper)
    return wrapper


def _option_kwargs(f: Field, param: str) -> dict:
    help = f.param_help[f.params.index(param)] if f.param_help else f.help
    kwargs = {"help": help, "multiple": not f.is_range}
    if f.choices:
        kwargs["type"] = click.Choice(f.choices)
    else:
        kwargs["metavar"] = {DATE_RANGE: "YYYY-MM-DD", YEAR: "YEAR", KEYWORD: "VALUE"}.get(f.kind, "N")
    return kwargs


def describe() -> list[dict]:
    """The filters as the API describes them."""
    return [
        {"name": f.name, "parameters": list(f.params), "type": f.kind, "label": f.label,
         "help": f.help, "repeatable": not f.is_range,
         "query_field": f"{f.syntax[0]}:" if f.syntax else None, "facet": f.group,
         **({"declared": True, "cli": f"{FACET_OPTION} {f.name}=VALUE"} if f.declared else {})}
        for f in every()
    ]
