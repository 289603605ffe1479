"""Compare on the web: the page, its JSON twin and its CSV of key terms (routes
from search.views.compare.VIEW, by webui.views).

A set is `a_q` with the filters prefixed `a_` (and `b_q`, `b_`), over the
filters both share, unprefixed; or `q` split by a facet (`split`, `values`);
or `q` alone, against the rest of the corpus.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from flask import jsonify, render_template, request, url_for

from search.fields import ParameterError
from search.views import compare as C
from search.views.trend import Series, Trend, period_of
from webui import chart, views
from webui.csvexport import cell, csv_response
from webui.index_holder import get_index, search_turn
from webui.keyterms import add_to_query
from webui.params import SearchRequest

VIEW = C.VIEW
PREFIXED = ("a_", "b_")


def _run(args):
    req, own = views.read(VIEW, args)
    sides = [req.registry.filters_from(lambda p, x=x: args.getlist(x + p), name=lambda p, x=x: x + p)
             for x in PREFIXED]
    values = tuple(v.strip() for v in own["values"].split(",")) if own["values"] else ()
    if own["split"] and (own["a_q"] or own["b_q"] or any(sides)):
        raise ParameterError("split", "splits one query q; leave out a_q, b_q and the a_ and b_ filters")
    if values and not own["split"]:
        raise ParameterError("values", "are the values of a split: give split too")
    queries = [own["a_q"] or req.q] + ([own["b_q"]] if own["b_q"] or any(sides) else [])
    creq = C.CompareRequest(queries, req.filters, req.raw, sides[0] or None, sides[1] or None,
                            own["split"], values, own["sample"], own["limit"])
    with search_turn():
        result = get_index().compare(creq)
    return req, own, result


def _search(req: SearchRequest, q: str, filters, **changes) -> dict:
    return SearchRequest(q=q, filters=filters, raw=req.raw, autocorrect=False, registry=req.registry).args(**changes)


def term_url(req, side: C.Side, word: str, external: bool = False) -> str:
    """The concordance of a side's set with the term added (the rest: the term under the shared filters)."""
    return url_for("concordance.page", **_search(req, add_to_query(side.query, word), side.filters),
                   _external=external)


def side_url(req, side: C.Side, external: bool = False) -> str:
    return url_for("pages.search", **_search(req, side.query, side.filters), _external=external)


def as_trend(result: C.Comparison) -> Trend:
    """The two sets per year as the trend's chart draws them: shares of each year's statements."""
    periods = [period_of(y, "year") for y in result.years]
    series = [Series(s.label, s.query, s.filters, s.per_year, s.year_totals, s.statements, 0, 0)
              for s in result.sides]
    return Trend([s.query for s in result.sides], None, "year", "year", periods, series, result.filters, 0)


def year_link(req, result: C.Comparison, external: bool = False):
    def link(s: int, p: int) -> str:
        side, y = result.sides[s], result.years[p]
        filters = replace(side.filters, date_from=dt.date(y, 1, 1), date_to=dt.date(y, 12, 31))
        return url_for("pages.search", **_search(req, side.query, filters), _external=external)
    return link


def page():
    req, own, result = _run(request.args)
    trend = as_trend(result)
    label = "Statements per year, as a share of the year's statements: " + " · ".join(s.label for s in result.sides)
    args = {**request.args.to_dict(flat=False)}
    return render_template(
        "compare.html", req=req, own=own, result=result, label=label,
        svg_wide=chart.render(trend, "share", "wide", year_link(req, result), label=label) if result.years else "",
        svg_narrow=chart.render(trend, "share", "narrow", year_link(req, result), label=label) if result.years else "",
        term_url=lambda side, word: term_url(req, side, word), side_url=lambda side: side_url(req, side),
        share_text=chart.share_text, max_sample=C.MAX_SAMPLE, max_limit=C.MAX_LIMIT,
        json_url=url_for("compare.api", **args), csv_url=url_for("compare.csv", **args),
    )


def api():
    req, _, result = _run(request.args)
    body = result.as_dict()
    args = {**request.args.to_dict(flat=False)}
    link = year_link(req, result, external=True)
    for n, (side, out) in enumerate(zip(result.sides, body["sides"])):
        out["search_url"] = side_url(req, side, external=True)
        out["year_urls"] = [link(n, p) for p in range(len(result.years))]
        for lang, terms in out["terms"].items():
            for t in terms:
                t["concordance_url"] = term_url(req, side, t["word"], external=True)
    body["links"] = {"html": url_for("compare.page", **args, _external=True),
                     "csv": url_for("compare.csv", **args, _external=True)}
    return jsonify(body)


def csv():
    """One row per key term, of both sides and every language."""
    req, _, result = _run(request.args)
    rows = [(side, other, lang, t) for side, other in (result.sides, result.sides[::-1])
            for lang, terms in side.terms.items() for t in terms]

    def row(item) -> list:
        side, other, lang, t = item
        return [side.name, cell(side.label), lang, cell(t.word), cell(t.term), t.count, t.other,
                side.tokens.get(lang, 0), other.tokens.get(lang, 0), t.ll, t.log_ratio]

    return csv_response(VIEW.csv_columns, rows, row, "compare.csv")
