"""The filters of one index: the fixed ones of search.fields, then the facets its
corpus declares, and everything that reads them by name.

A `Registry` is made once, when an index is opened (`for_index`, from its
`declared.json`), and never changes; the index holds it and hands it to
whoever reads parameters, options or query text for it (the query parser and
builder, the facet table, the web app, the CLI). Two indexes open in one
process each keep their own. `BUILT_IN` has the fixed filters alone: what a
query is read with when no index is named.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from search import declared as D
from search import schema as S
from search.fields import (
    DATE_RANGE, DECLARED_ATTR, FACET_OPTION, FIELDS, INTEGER, KEYWORD, NAMES_ATTR, NAMES_EXACT,
    NAMES_PARAM, QUERY_FIELDS, RESERVED, Field, ParameterError, exact_names,
)
from search.results import Filters

TOP_DECLARED = 30  # values a declared facet shows
# The sidebar opens with the filters a researcher reaches for first; the corpus's
# own facets (the collection first) follow them, and then the rest, in registry order.
FIRST_GROUPS = ("date", "year", "lang")


def entry(d: D.Declared) -> Field:
    """A declared facet as a registry entry: a filter of every layer, named as the corpus names it."""
    return Field(
        d.name, INTEGER if d.kind == "integer" else KEYWORD, (d.name,), (DECLARED_ATTR,), d.label,
        f"{d.label}: the statement's {d.name} (repeatable: any of them; declared by the corpus).",
        syntax=(d.name,), index_field=S.DECLARED_PREFIX[d.kind] + d.name, columns=(d.name,),
        counted=True, top=TOP_DECLARED, display="list", chip=f"{d.label}: {{}}", declared=True,
    )


@dataclass(frozen=True)
class Group:
    """A facet in the sidebar: its counts (if any) and its range forms."""

    name: str
    label: str
    counted: Field | None
    ranges: tuple[Field, ...]


class Registry:
    """The fixed filters and one corpus's declared facets, with their lookups (read-only)."""

    def __init__(self, declarations=()):
        self.declarations = tuple(declarations)  # as declared.json holds them (search.declared.Declared)
        self.declared = tuple(entry(d) for d in self.declarations if d.name not in RESERVED)
        self.fields = (*FIELDS, *self.declared)  # in the order of the sidebar and of a result's facets
        self.params = tuple(p for f in self.fields for p in f.params)  # every filter's URL parameters
        self.by_param = MappingProxyType({p: f for f in self.fields for p in f.params})
        self.by_syntax = MappingProxyType({f.syntax[0]: f for f in self.fields if f.syntax})
        # Query-syntax field names → the canonical one: the text fields, then the filters' ("num" → "number").
        self.syntax_names = MappingProxyType(
            {**QUERY_FIELDS, **{alias: f.syntax[0] for f in self.fields for alias in f.syntax}})

    @classmethod
    def for_index(cls, index_dir) -> Registry:
        """The registry of the index in `index_dir`: the facets it was built with, the collection first."""
        return cls(D.with_collection(D.read(index_dir) or ()))

    def __repr__(self) -> str:
        return f"Registry({', '.join(f.name for f in self.declared)})"

    # --- the sidebar and the API's description ------------------------------------------

    def groups(self) -> list[Group]:
        """The sidebar's sections: FIRST_GROUPS, the declared facets, then the rest."""
        out: dict[str, list[Field]] = {}
        for f in self.fields:
            out.setdefault(f.group, []).append(f)
        declared = {f.group for f in self.declared}
        rank = {name: (0, FIRST_GROUPS.index(name)) if name in FIRST_GROUPS else (1 if name in declared else 2, n)
                for n, name in enumerate(out)}
        return [
            Group(name, members[0].label, next((f for f in members if f.counted), None),
                  tuple(f for f in members if f.is_range))
            for name, members in sorted(out.items(), key=lambda item: rank[item[0]])
        ]

    def describe(self) -> list[dict]:
        """The filters as the API describes them."""
        return [
            {"name": f.name, "parameters": list(f.params), "type": f.kind, "label": f.label,
             "help": f.help, "repeatable": not f.is_range,
             "query_field": f"{f.syntax[0]}:" if f.syntax else None, "facet": f.group,
             **({"declared": True, "cli": f"{FACET_OPTION} {f.name}=VALUE"} if f.declared else {})}
            for f in self.fields
        ]

    # --- reading and writing filters ------------------------------------------------------

    def filters_from(self, getlist, name=lambda param: param) -> Filters:
        """Filters from raw texts: `getlist(param)` gives a parameter's values.

        Repeated values are alternatives; an empty range end is open. Every
        problem is a ParameterError naming the parameter as `name(param)` gives it.
        """
        values, declared = {}, {}
        for f in self.fields:
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
                       **{NAMES_ATTR: exact_names(getlist(NAMES_PARAM), name(NAMES_PARAM))})

    def filter_args(self, filters: Filters) -> dict:
        """Filters as URL parameters: a list per repeatable one, a text or None per range end."""
        args = {}
        for f in self.fields:
            if f.is_range:
                for param, value in zip(f.params, f.value(filters)):
                    args[param] = None if value is None else f.format(value)
            else:
                args[f.params[0]] = list(f.value(filters))
        args[NAMES_PARAM] = NAMES_EXACT if getattr(filters, NAMES_ATTR) else None
        return args


BUILT_IN = Registry()
