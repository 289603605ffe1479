"""The concordance on the web: the page, its JSON twin and the CSV of every line
(routes and parameters from search.views.concordance.VIEW, by webui.views).

It takes the search's query and filters, so a link from the search page keeps them.
"""

from __future__ import annotations

import itertools
from urllib.parse import quote

from flask import jsonify, render_template, request, url_for

from search.lang.table import LANGUAGE_NAMES
from search.views import concordance as C
from webui import views
from webui.csvexport import cell, csv_response
from webui.index_holder import get_index, search_turn
from webui.params import SearchRequest
from webui.searching import document_url

VIEW = C.VIEW
SORT_LABELS = {"-date": "newest first", "date": "oldest first", "left": "word to the left",
               "right": "word to the right"}


def parse_concordance(args) -> tuple[SearchRequest, C.ConcordanceRequest]:
    """Reads and checks a concordance request; ParameterError names what to change."""
    req, own = views.read(VIEW, args)
    return req, C.ConcordanceRequest(req.q, req.filters, raw=req.raw, **own)


def _conc_args(req: SearchRequest, creq: C.ConcordanceRequest, **changes) -> dict:
    """A concordance request as URL parameters, with some changed (None drops one)."""
    args = req.view_args()
    args.update(views.own_args(VIEW, {"sort": creq.sort, "unit": creq.unit, "page": creq.page,
                                      "per_page": creq.per_page, "near": creq.near,
                                      "window": creq.window}))
    args["width"] = creq.width if creq.width != C.DEFAULT_WIDTH[creq.unit] else None
    args.update(changes)
    return {k: v for k, v in args.items() if v not in (None, "", [])}


def line_url(line, q: str, external: bool = False) -> str:
    """The statement's page, scrolled to the match (a text fragment browsers follow)."""
    url = document_url(line.id, q, external=external)
    before = " ".join(line.left.split()[-3:])
    after = " ".join(line.right.split()[:3])
    fragment = ",".join(x for x in (before and _fragment_text(before) + "-",
                                    _fragment_text(line.match.strip()),
                                    after and "-" + _fragment_text(after)) if x)
    return f"{url}#:~:text={fragment}" if line.match.strip() else url


def _fragment_text(text: str) -> str:
    return quote(text, safe="")


def _line_dict(line, q: str) -> dict:
    out = line.as_dict()
    out["url"] = line_url(line, q, external=True)
    return out


def _shown(req: SearchRequest, result) -> C.ConcordanceRequest:
    """The request as answered (its width filled in)."""
    return C.ConcordanceRequest(req.q, req.filters, result.sort, result.width, result.unit,
                                result.page, result.per_page, req.raw, result.near, result.window)


def page():
    req, creq = parse_concordance(request.args)
    with search_turn():
        result = get_index().concordance(creq)
    shown = _shown(req, result)
    return render_template(
        "concordance.html", req=req, creq=shown, result=result, sorts=SORT_LABELS,
        url=lambda **changes: url_for("concordance.page", **_conc_args(req, shown, **changes)),
        line_url=lambda line: line_url(line, req.q), language_names=LANGUAGE_NAMES,
        json_url=url_for("concordance.api", **_conc_args(req, shown)),
        csv_url=url_for("concordance.csv", **_conc_args(req, shown, page=None, per_page=None)),
        search_url=url_for("pages.search", **req.view_args()),
        keyterms_url=url_for("keyterms.page", **req.view_args()),
        collocations_url=url_for("collocations.page", **req.view_args(),
                                 window=shown.window if shown.near else None),
    )


def api():
    req, creq = parse_concordance(request.args)
    with search_turn():
        result = get_index().concordance(creq)
    body = result.as_dict()
    body["lines"] = [_line_dict(line, req.q) for line in result.lines]
    shown = _shown(req, result)
    body["links"] = {
        "html": url_for("concordance.page", **_conc_args(req, shown), _external=True),
        "csv": url_for("concordance.csv", **_conc_args(req, shown, page=None, per_page=None),
                       _external=True),
    }
    if result.page < result.pages:
        body["links"]["next"] = url_for("concordance.api",
                                        **_conc_args(req, shown, page=result.page + 1), _external=True)
    return jsonify(body)


def csv():
    """Every line of the concordance (not one page), streamed as CSV."""
    req, creq = parse_concordance(request.args)
    lines = get_index().concordance_lines(creq)
    with search_turn():  # finding and sorting the lines; they are written as they are sent
        first = next(lines, None)

    rows = itertools.chain([first] if first else [], lines)
    return csv_response(VIEW.csv_columns, rows, lambda line: _row(line, req.q), "concordance.csv")


def _row(line, q: str) -> list:
    aligned = line.aligned
    return [cell(line.id), cell(line.title), line.date or "", line.lang,
            cell(line.left), cell(line.match), cell(line.right), line.start, line.end,
            aligned.lang if aligned else "", cell(aligned.text) if aligned else "",
            line_url(line, q, external=True)]
