"""The trend view: `/trend` (the page), `/api/trend` (its JSON twin),
`/api/trend.csv` and `/trend.svg` (the chart alone, which the search page shows small).

The parameters are the search's (`q`, repeated for up to five queries; `raw`;
every filter of the index's registry) and the trend's own: `split`, `period`, `view`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from flask import Response, jsonify, render_template, request, url_for

from search.fields import ParameterError
from search.registry import BUILT_IN, Registry
from search.results import Filters
from search.views.trend import AUTO, PERIODS, SPLITS, VIEW, Trend, check
from webui import chart, views
from webui.csvexport import cell, csv_response
from webui.index_holder import get_index, search_turn
from webui.labels import value_label
from webui.params import SearchRequest, check_query_length

SVG_TYPE = "image/svg+xml"


@dataclass
class TrendRequest:
    queries: list[str] = field(default_factory=list)
    filters: Filters = field(default_factory=Filters)
    split: str | None = None
    period: str = AUTO
    view: str = "share"
    raw: bool = False
    registry: Registry = field(default=BUILT_IN, repr=False, compare=False)  # whose filters these are

    @property
    def q(self) -> str:
        """The first query (the header's search box offers it)."""
        return self.queries[0] if self.queries else ""

    @property
    def default_view(self) -> str:
        """Shares, as publication volume varies; counts when nothing is searched for
        (every share of all statements would be 100%)."""
        return "share" if any(q.strip() for q in self.queries) else "count"

    def args(self, **changes) -> dict:
        """The request as URL parameters (for links), with some changed."""
        args = {
            "q": list(self.queries),
            "split": self.split,
            "period": self.period if self.period != AUTO else None,
            "view": self.view if self.view != self.default_view else None,
            "raw": "1" if self.raw else None,
            **self.registry.filter_args(self.filters),
        }
        args.update(changes)
        return {k: v for k, v in args.items() if v not in (None, "", [])}

    def search_args(self, query: str, filters: Filters) -> dict:
        """The parameters of the search for one query under some filters."""
        # As the trend counts it: the words as typed (the trend corrects no spelling).
        return SearchRequest(q=query, filters=filters, raw=self.raw, autocorrect=False,
                             registry=self.registry).args()


def parse_trend(args) -> TrendRequest:
    """Reads and checks the trend parameters; ParameterErrors as the search's."""
    queries = list(dict.fromkeys(q for q in args.getlist("q") if q.strip()))
    for q in queries:
        check_query_length(q)
    own = VIEW.own(args.get)
    check(queries, own["split"], own["period"])
    base = views.search_part(VIEW, args)  # the filters and raw, read as the search reads them
    req = TrendRequest(queries, base.filters, own["split"], own["period"], raw=base.raw,
                       registry=base.registry)
    req.view = own["view"] or req.default_view
    return req


def trend_args(req: SearchRequest) -> dict:
    """A search's query and filters, as its views (trend, concordance, key terms) take them."""
    return req.args(page=None, per_page=None, sort=None)


def run_trend(req: TrendRequest) -> Trend:
    index = get_index()
    with search_turn():
        return index.trend(req.queries, req.filters, req.split, req.period, raw=req.raw)


def point_links(req: TrendRequest, trend: Trend, external: bool = False):
    """link(series, period): the search for one series' statements of one period
    (its dates within the date filter's)."""
    lo, hi = req.filters.date_from or dt.date.min, req.filters.date_to or dt.date.max

    def link(s: int, p: int) -> str:
        series, period = trend.series[s], trend.periods[p]
        filters = replace(series.filters, date_from=max(lo, period.start), date_to=min(hi, period.end))
        return url_for("pages.search", **req.search_args(series.query, filters), _external=external)

    return link


def chart_label(trend: Trend, view: str) -> str:
    """What the chart shows, in a line (its accessible name, the image's alt text)."""
    what = "share of all statements" if view == "share" else "number of statements"
    names = ", ".join(f"«{s.label}»" if trend.split is None else s.label for s in trend.series)
    return f"Matching statements by {trend.period} ({what}): {names or 'nothing matches'}"


def page():
    req = parse_trend(request.args)
    trend = run_trend(req)
    link = point_links(req, trend)
    label = chart_label(trend, req.view)
    return render_template(
        "trend.html", req=req, trend=trend, link=link, share_text=chart.share_text, swatch=chart.swatch, bars=chart.uses_bars(trend),
        svg_wide=chart.render(trend, req.view, "wide", link, label=label),
        svg_narrow=chart.render(trend, req.view, "narrow", link, label=label),
        label=label, chips=_chips(req), views=chart.VIEWS, periods=(AUTO, *PERIODS), splits=SPLITS,
        url=lambda **changes: url_for("trend.page", **req.args(**changes)),
        search_url=lambda s: url_for("pages.search", **req.search_args(s.query, s.filters)),
        json_url=url_for("trend.api", **req.args()),
        csv_url=url_for("trend.csv", **req.args()),
    )


def routes(bp) -> None:
    """The trend's route beyond a view's own: the chart alone."""
    bp.add_url_rule("/trend.svg", "svg", svg)


def svg():
    """The chart alone (`size`: wide, narrow or small), for an <img>."""
    size = request.args.get("size") or "wide"
    if size not in chart.SIZES:
        raise ParameterError("size", f"{size!r} is not one of {', '.join(chart.SIZES)}")
    req = parse_trend(request.args)
    trend = run_trend(req)
    body = chart.render(trend, req.view, size, point_links(req, trend), standalone=True,
                        label=chart_label(trend, req.view))
    return Response('<?xml version="1.0" encoding="utf-8"?>\n' + body,
                    content_type=f"{SVG_TYPE}; charset=utf-8")


def api():
    req = parse_trend(request.args)
    trend = run_trend(req)
    body = trend.as_dict()
    body["view"] = req.view
    link = point_links(req, trend, external=True)
    for s, series in enumerate(body["series"]):
        series["url"] = url_for("pages.search", **req.search_args(trend.series[s].query,
                                                                    trend.series[s].filters),
                                _external=True)
        for p, point in enumerate(series["points"]):
            point["url"] = link(s, p)
    body["links"] = {
        "html": url_for("trend.page", **req.args(), _external=True),
        "csv": url_for("trend.csv", **req.args(), _external=True),
        "svg": url_for("trend.svg", **req.args(), _external=True),
    }
    return jsonify(body)


def csv():
    """One row per series and period (a long table, as R and pandas read it)."""
    req = parse_trend(request.args)
    trend = run_trend(req)

    def row(point):
        series, p, period = point
        share = series.shares[p]
        return [cell(series.label), cell(series.query), cell(series.split_value or ""),
                period.key, period.start.isoformat(), period.end.isoformat(),
                series.counts[p], series.totals[p], "" if share is None else share]

    points = [(s, p, period) for s in trend.series for p, period in enumerate(trend.periods)]
    return csv_response(VIEW.csv_columns, points, row, "trend.csv")


def _chips(req: TrendRequest) -> list[tuple[str, str]]:
    """(label, url of the trend without it) for every active filter."""
    out = []
    for f in req.registry.fields:
        if not f.active(req.filters):
            continue
        if f.is_range:
            ends = ["…" if v is None else f.format(v) for v in f.value(req.filters)]
            out.append((f.chip.format(*ends), url_for("trend.page", **req.args(**{p: None for p in f.params}))))
            continue
        values = list(f.value(req.filters))
        for v in values:
            rest = [x for x in values if x != v]
            out.append((f.chip.format(value_label(f, v)), url_for("trend.page", **req.args(**{f.params[0]: rest or None}))))
    return out
