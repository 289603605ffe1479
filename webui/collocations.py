"""Collocations on the web: the page, its JSON twin and its CSV (routes and parameters
from search.views.collocations.VIEW, by webui.views); each collocate links to the
concordance of the lines it stands near."""

from __future__ import annotations

from flask import jsonify, render_template, request, url_for

from search.lang.table import LANGUAGE_NAMES
from search.views import collocations as C
from webui import views
from webui.csvexport import cell, csv_response
from webui.index_holder import get_index, search_turn

VIEW = C.VIEW


def _collocations(args):
    req, own = views.read(VIEW, args)
    with search_turn():
        result = get_index().collocations(req.q, req.filters, raw=req.raw, **own)
    return req, own, result


def _near_url(req, result, lang: str, term: str, endpoint: str = "concordance.page", **kw) -> str:
    """The concordance of the lines with `term` in their window (in that language)."""
    base = req.view_args()
    if not req.filters.langs:
        base["lang"] = lang
    return url_for(endpoint, **base, near=term, window=result.window, **kw)


def page():
    req, own, result = _collocations(request.args)
    base = req.view_args()
    return render_template(
        "collocations.html", req=req, result=result, own=own, language_names=LANGUAGE_NAMES,
        measures=C.MEASURES, max_window=C.MAX_WINDOW, max_limit=C.MAX_LIMIT, max_sample=C.MAX_SAMPLE,
        near_url=lambda lang, term: _near_url(req, result, lang, term),
        json_url=url_for("collocations.api", **base, **views.own_args(VIEW, own)),
        csv_url=url_for("collocations.csv", **base, **views.own_args(VIEW, own)),
        search_url=url_for("pages.search", **base),
        concordance_url=url_for("concordance.page", **base),
    )


def api():
    req, own, result = _collocations(request.args)
    body = result.as_dict()
    base = req.view_args()
    for lang in body["languages"]:
        for c in lang["collocates"]:
            c["concordance_url"] = _near_url(req, result, lang["lang"], c["term"], "concordance.api",
                                             _external=True)
    body["links"] = {
        "html": url_for("collocations.page", **base, **views.own_args(VIEW, own), _external=True),
        "csv": url_for("collocations.csv", **base, **views.own_args(VIEW, own), _external=True),
    }
    return jsonify(body)


def csv():
    """One row per language and collocate."""
    req, _, result = _collocations(request.args)
    rows = [(lang.lang, c) for lang in result.languages for c in lang.collocates]

    def row(item):
        lang, c = item
        return [lang, cell(c.term), cell(c.word), c.observed, c.expected, c.corpus_count, c.lines,
                c.ll, c.mi, c.t, _near_url(req, result, lang, c.term, "concordance.api", _external=True)]

    return csv_response(VIEW.csv_columns, rows, row, "collocations.csv")
