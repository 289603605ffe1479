"""The research views on the web, from their declarations (search.views.VIEWS).

Each view gets a page (`/NAME`, endpoint `NAME.page`), a JSON twin (`/api/NAME`,
`NAME.api`), a CSV when it declares CSV columns (`/api/NAME.csv`, `NAME.csv`;
streamed in an export slot when it has lines) and an entry in `GET /api`. Its
module `webui/NAME.py` gives only the presentation: `page`, `api` and `csv`
functions, and `routes(bp)` for any further route. Parameters are read here, once.
"""

from __future__ import annotations

import importlib

from flask import Blueprint, Flask, url_for

from search.views import VIEWS
from search.views.view import View
from webui.exports import export
from webui.params import PAGING, SearchRequest, parse_search


def register(app: Flask) -> None:
    """A blueprint per view, named after it; a view's module lacking a function it needs is an error."""
    for view in VIEWS:
        app.register_blueprint(blueprint(view, importlib.import_module(f"webui.{view.name}")))


def blueprint(view: View, module) -> Blueprint:
    """The view's routes, with the functions of its web module."""
    bp = Blueprint(view.name, module.__name__)
    bp.add_url_rule(f"/{view.name}", "page", module.page)
    bp.add_url_rule(f"/api/{view.name}", "api", module.api)
    if view.csv_columns:
        csv = module.csv
        bp.add_url_rule(f"/api/{view.name}.csv", "csv", export(csv) if view.lines else csv)
    if hasattr(module, "routes"):
        module.routes(bp)
    return bp


def search_part(view: View, args) -> SearchRequest:
    """The search a view is of: its query, filters and raw, checked as the search
    checks them (the view's own parameters, and a page of statements', left out)."""
    rest = args.copy()
    for name in {*(p.name for p in view.params), *PAGING}:
        rest.pop(name, None)
    return parse_search(rest)


def read(view: View, args) -> tuple[SearchRequest, dict]:
    """(the search, the view's own parameters), checked; a ParameterError names what to change."""
    return search_part(view, args), view.own(args.get)


def own_args(view: View, values: dict) -> dict:
    """The view's own parameters as URL parameters: None where a value is its default."""
    return {p.name: None if values.get(p.name) == p.default else values.get(p.name) for p in view.params}


def endpoints(registry) -> dict:
    """`GET /api`'s entries for the views: an example call of each, and of its CSV; its parameters."""
    out = {}
    for view in VIEWS:
        out[view.name] = url_for(f"{view.name}.api", **dict(view.example or {}), _external=True)
        if view.csv_columns:
            out[f"{view.name}_csv"] = url_for(f"{view.name}.csv", **dict(view.csv_example or view.example or {}),
                                              _external=True)
    for view in VIEWS:
        own = [p.name for p in view.params]
        # (a view comparing queries lists the search's parameters it takes too)
        out[f"{view.name}_parameters"] = ([f"q (repeatable, up to {view.queries})", *own, *registry.params, "raw"]
                                          if view.queries > 1 else own)
    out["views"] = {view.name: {"summary": view.summary, "parameters": [p.describe() for p in view.params]}
                    for view in VIEWS}
    return out
