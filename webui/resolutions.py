"""Resolutions over time on the web: the page, its JSON twin and its CSV (routes
and parameters from search.views.resolutions.VIEW, by webui.views).

Each resolution links to the search for the statements citing it (the query
with `cites:"SYMBOL"` added, the filters kept), and each year's count to that
search in that year; a statement's page links each citation here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from flask import jsonify, render_template, request, url_for

from search.views import resolutions as R
from webui import views
from webui.csvexport import cell, csv_response
from webui.index_holder import get_index, search_turn
from webui.params import SearchRequest

VIEW = R.VIEW


def _run(args, every: bool = False):
    req, own = views.read(VIEW, args)
    with search_turn():
        result = get_index().resolutions(req.q, req.filters, raw=req.raw,
                                         limit=None if every else own["limit"])
    return req, own, result


def citing(q: str, symbol: str) -> str:
    """The query narrowed to the statements citing one resolution."""
    cites = f'cites:"{symbol}"'
    return f"({q}) {cites}" if q.strip() else cites


def links(req: SearchRequest, external: bool = False):
    """(search_url(symbol), year_url(symbol, year)): the statements citing a resolution,
    with the search's filters, in all and in one year (within the date filter's ends)."""
    lo, hi = req.filters.date_from or dt.date.min, req.filters.date_to or dt.date.max

    def search(symbol: str, filters=None) -> str:
        filters = filters or req.filters
        if req.raw:  # (Whoosh's own syntax has no cites:, so the filter narrows instead)
            narrowed = SearchRequest(q=req.q, filters=replace(filters, cites=(*filters.cites, symbol)),
                                     raw=True, autocorrect=False, registry=req.registry)
        else:
            narrowed = SearchRequest(q=citing(req.q, symbol), filters=filters, autocorrect=False,
                                     registry=req.registry)
        return url_for("pages.search", **narrowed.args(), _external=external)

    def year(symbol: str, y: int) -> str:
        return search(symbol, replace(req.filters, date_from=max(lo, dt.date(y, 1, 1)),
                                      date_to=min(hi, dt.date(y, 12, 31))))

    return search, year


def page():
    req, own, result = _run(request.args)
    base = req.view_args()
    search_url, year_url = links(req)
    return render_template(
        "resolutions.html", req=req, result=result, max_limit=R.MAX_LIMIT,
        search_url=search_url, year_url=year_url,
        peak=max([max(r.per_year, default=0) for r in result.resolutions], default=0),
        json_url=url_for("resolutions.api", **base, **views.own_args(VIEW, own)),
        csv_url=url_for("resolutions.csv", **base),
        statements_url=url_for("pages.search", **base),
        more_url=(url_for("resolutions.page", **base, limit=min(R.MAX_LIMIT, own["limit"] * 2))
                  if result.total > len(result.resolutions) and own["limit"] < R.MAX_LIMIT else None),
    )


def api():
    req, own, result = _run(request.args)
    body = result.as_dict()
    base = req.view_args()
    search_url, year_url = links(req, external=True)
    for row in body["resolutions"]:
        row["search_url"] = search_url(row["symbol"])
        row["year_urls"] = [year_url(row["symbol"], y) for y in body["years"]]
    body["links"] = {"html": url_for("resolutions.page", **base, **views.own_args(VIEW, own), _external=True),
                     "csv": url_for("resolutions.csv", **base, _external=True)}
    return jsonify(body)


def csv():
    """One row per resolution (every one cited, whatever `limit` says), one column per year."""
    req, _, result = _run(request.args, every=True)
    search_url, _ = links(req, external=True)
    columns = (*VIEW.csv_columns, *(str(y) for y in result.years), "url")

    def row(r: R.Cited) -> list:
        return [cell(r.symbol), cell(r.label), r.statements, "" if r.first is None else r.first,
                "" if r.last is None else r.last, r.undated, *r.per_year, search_url(r.symbol)]

    return csv_response(columns, result.resolutions, row, "resolutions.csv")
