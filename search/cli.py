"""What every command-line tool shares: turning the project's errors into a
message and an exit status, once; options made from the settings table
(search.config), the search's parameters (search.fields.SEARCH_PARAMS) and an
index's filters (search.registry). The one library module that imports click."""

from __future__ import annotations

import functools

import click

from search.config import Setting
from search.errors import StatementsError
from search.fields import (
    DATE_RANGE, FACET_OPTION, FIELDS, KEYWORD, NAMES_EXACT, NAMES_HELP, NAMES_OPTION, NAMES_PARAM,
    WHOLE, YEAR, Field, Param, ParameterError,
)
from search.registry import BUILT_IN, Registry


class CommandError(click.ClickException):
    """A StatementsError as click shows it: "Error: message", with its exit code."""

    def __init__(self, err: StatementsError):
        super().__init__(str(err))
        self.exit_code = err.exit_code


def reports_errors(command):
    """Decorates a click command so a StatementsError ends it with its message
    and exit code (never a traceback)."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except StatementsError as err:
            raise CommandError(err) from None

    return wrapper


def option(setting: Setting, **overrides):
    """A click option for a setting: its flag, variable, default, help and type."""
    kwargs = dict(envvar=setting.env, default=setting.default, show_default=True,
                  show_envvar=True, help=setting.help, **setting.extra)
    if setting.kind is not str:
        lo, hi = setting.bounds
        kind = click.IntRange if setting.kind is int else click.FloatRange
        kwargs["type"] = kind(lo, hi, **({"min_open": True} if setting.above else {}))
    kwargs.update(overrides)
    return click.option(setting.flag, setting.name, **kwargs)


def param_option(param: Param, *flags: str, **overrides):
    """A click option for one of the search's parameters (search.fields.SEARCH_PARAMS):
    its help, bounds or choices and default, as the API has them."""
    kwargs = dict(help=param.help, default=param.default, show_default=True)
    if param.kind == WHOLE:
        kwargs["type"] = click.IntRange(*param.bounds)
    elif param.choices:
        kwargs["type"] = click.Choice(param.choices)
    kwargs.update(overrides)
    return click.option(*flags, **kwargs)


def filter_options(command):
    """Adds a click option per filter parameter, and --facet NAME=VALUE for the facets
    the index named by --index declares; the command receives them as `filters`.

    Options are read by the same rules as the API's parameters (bounds,
    ranges in order), so a bad one is reported as an InvalidInput.
    """

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        given = {p: kwargs.pop(p) for f in FIELDS for p in f.params}
        if kwargs.pop("no_translate_names", False):
            given[NAMES_PARAM] = NAMES_EXACT
        registry = Registry.for_index(kwargs["index_dir"]) if "index_dir" in kwargs else BUILT_IN
        for raw in kwargs.pop("facet", ()):
            key, sep, value = raw.partition("=")
            if not sep or key.strip() not in registry.by_param or key.strip() in given:
                known = ", ".join(f.name for f in registry.declared) or "none"
                raise ParameterError(FACET_OPTION, f"{raw!r} is not NAME=VALUE of a declared facet "
                                                   f"(this index declares: {known})")
            given.setdefault(key.strip() + "\0", []).append(value)

        def getlist(param):
            value = given.get(param, given.get(param + "\0"))
            return [] if value is None else [value] if isinstance(value, str) else list(value)

        def flag(p):
            if p == NAMES_PARAM:
                return NAMES_OPTION
            f = registry.by_param[p]
            return f.flags(p)[0] if not f.declared else f"{FACET_OPTION} {p}"

        kwargs["filters"] = registry.filters_from(getlist, flag)
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
