"""Text reuse on the web: the page of a search's statements sharing passages,
its JSON twin and CSV (routes and parameters from search.views.reuse.VIEW, by
webui.views), and a statement's "Also said in" as JSON
(`/api/documents/<id>/reuse`; its page shows the same list)."""

from __future__ import annotations

from flask import abort, jsonify, render_template, request, url_for

from search.lang.table import LANGUAGE_NAMES
from search.views import reuse as R
from webui import views
from webui.csvexport import cell, csv_response
from webui.index_holder import get_index, search_turn
from webui.searching import document_url

VIEW = R.VIEW


def _run(args, every: bool = False):
    req, own = views.read(VIEW, args)
    with search_turn():
        result = get_index().reuse(req.q, req.filters, raw=req.raw, limit=None if every else own["limit"],
                                   order=own["order"], within=own["within"])
    return req, own, result


def page():
    req, own, result = _run(request.args)
    base = req.view_args()
    return render_template(
        "reuse.html", req=req, own=own, result=result, max_limit=R.MAX_LIMIT, orders=R.ORDERS,
        within=R.WITHIN, language_names=LANGUAGE_NAMES, doc_url=lambda doc_id: url_for("pages.document", doc_id=doc_id),
        json_url=url_for("reuse.api", **base, **views.own_args(VIEW, own)),
        csv_url=url_for("reuse.csv", **base, **views.own_args(VIEW, {**own, "limit": R.DEFAULT_LIMIT})),
        statements_url=url_for("pages.search", **base),
        more_url=(url_for("reuse.page", **base, **views.own_args(VIEW, {**own, "limit": min(R.MAX_LIMIT, own["limit"] * 2)}))
                  if result.total_pairs > len(result.pairs) and own["limit"] < R.MAX_LIMIT else None),
    )


def api():
    req, own, result = _run(request.args)
    body = result.as_dict()
    base = req.view_args()
    for row in body["statements"]:
        row["url"] = document_url(row["id"], external=True)
    for pair in body["pairs"]:
        for side in ("earlier", "later"):
            pair[side]["url"] = document_url(pair[side]["id"], external=True)
    body["links"] = {"html": url_for("reuse.page", **base, **views.own_args(VIEW, own), _external=True),
                     "csv": url_for("reuse.csv", **base, **views.own_args(VIEW, {**own, "limit": R.DEFAULT_LIMIT}),
                                    _external=True)}
    return jsonify(body)


def csv():
    """One row per passage of every pair (whatever `limit` says), the earlier statement first."""
    _, _, result = _run(request.args, every=True)
    rows = [(pair, p) for pair in result.pairs for p in pair.passages]

    def row(item) -> list:
        pair, p = item
        return [cell(pair.earlier.id), cell(pair.earlier.date or ""), cell(pair.later.id),
                cell(pair.later.date or ""), p.lang, p.words, cell(p.earlier.text), cell(p.later.text),
                cell(pair.earlier.title), cell(pair.later.title)]

    return csv_response(VIEW.csv_columns, rows, row, "reuse.csv")


def statement_api(doc_id: str):
    """A statement's "Also said in": the statements sharing passages with it, earliest first."""
    with search_turn():
        found = get_index().reuse_of(doc_id)
    if found is None:
        abort(404, description=f"there is no statement {doc_id!r}")
    body = found.as_dict()
    for other in body["others"]:
        other["url"] = document_url(other["id"], external=True)
    body["links"] = {"html": url_for("pages.document", doc_id=doc_id, _external=True) + "#reuse",
                     "statement": url_for("api.document", doc_id=doc_id, _external=True)}
    return jsonify(body)


def routes(bp) -> None:
    bp.add_url_rule("/api/documents/<path:doc_id>/reuse", "statement", statement_api)
