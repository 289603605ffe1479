"""The JSON API and CSV export: the machine-readable twins of the pages."""

from __future__ import annotations

import itertools

from flask import Blueprint, Response, abort, jsonify, request, url_for

from search import fields
from search.snapshots import commit_time
from webui import feeds, parts
from webui.csvexport import csv_response, cell
from webui.exports import export
from webui.params import AUTOCORRECT, SUGGEST, parse_search
from webui.index_holder import get_index, search_turn
from webui.searching import document_url, load_document, run_search

bp = Blueprint("api", __name__, url_prefix="/api")

CSV_COLUMNS = ("id", "title", "date", "number", "languages", "score", "url", "source_url")


@bp.get("")
def endpoints():
    """What the API offers, with an example of each call."""
    from webui import research  # (which imports this module)

    return jsonify({
        "search": url_for("api.search", q="выборы", year=2020, _external=True),
        "search_csv": url_for("api.search_csv", q="resolution", number=822, _external=True),
        "search_atom": url_for("api.search_atom", q="выборы", _external=True),
        "trend": url_for("trend.api", q=["выборы", "referendum"], _external=True),
        "trend_csv": url_for("trend.api_csv", q="выборы", split="language", period="month", _external=True),
        "trend_parameters": ["q (repeatable, up to 5)", "split", "period", "view", *fields.PARAMS, "raw"],
        "concordance": url_for("research.concordance_api", q="выборы", sort="left", _external=True),
        "concordance_csv": url_for("research.concordance_csv", q="elections", _external=True),
        "keyterms": url_for("research.keyterms_api", q="выборы", _external=True),
        "document": url_for("api.document", doc_id="seed/000_2961365e15364d64.txt", _external=True),
        "parameters": ["q", "page", "per_page", "sort", *fields.PARAMS, "raw", fields.NAMES_PARAM, AUTOCORRECT, SUGGEST],
        # The research views take the search's parameters and these of their own.
        "concordance_parameters": list(research.CONCORDANCE_PARAMS),
        "keyterms_parameters": list(research.KEYTERMS_PARAMS),
        "filters": fields.describe(),
    })


@bp.get("/search")
def search():
    req = parse_search(request.args)
    result = run_search(req)
    body = result.as_dict()
    for hit in body["hits"]:
        hit["url"] = document_url(hit["id"], req.q, external=True)
    body["links"] = {
        "html": url_for("pages.search", **req.args(), _external=True),
        "csv": url_for("api.search_csv", **req.args(page=None, per_page=None), _external=True),
        "atom": feeds.feed_url(req, external=True),
    }
    if result.page < result.pages:
        body["links"]["next"] = url_for("api.search", **req.args(page=req.page + 1), _external=True)
    return jsonify(body)


@bp.get("/search.csv")
@export
def search_csv():
    """Every matching statement (not one page), streamed as CSV."""
    req = parse_search(request.args)
    hits = get_index().hits(req.q, req.filters, req.sort, raw=req.raw, autocorrect=req.autocorrect)
    with search_turn():  # the search itself; the rows are read as they are sent
        first = next(hits, None)  # run the query now, so its errors are a 400, not a broken stream

    rows = itertools.chain([first] if first else [], hits)
    return csv_response(CSV_COLUMNS, rows, lambda hit: _row(hit, req.q), "statements.csv")


@bp.get("/search.atom")
def search_atom():
    """The search's newest statements as an Atom feed (paging and order are the feed's own)."""
    req = parse_search(request.args)
    index = get_index()
    with search_turn():
        result = index.search(req.q, filters=req.filters, sort=feeds.FEED_SORT,
                              per_page=feeds.FEED_SIZE, facets=False, raw=req.raw,
                              autocorrect=req.autocorrect)
        committed = commit_time(index.index_dir)
    response = Response(feeds.build(req, result, committed),
                        content_type=f"{feeds.ATOM_TYPE}; charset=utf-8")
    response.add_etag()
    return response.make_conditional(request)


@bp.app_context_processor
def feed_links():
    return {"feed_url": feeds.feed_url}


def _row(hit, q) -> list:
    return [cell(hit.id), cell(hit.title), hit.date or "", cell(hit.number or ""),
            " ".join(hit.languages), "" if hit.score is None else hit.score,
            document_url(hit.id, q, external=True), hit.source_url or ""]


@bp.get("/documents/<path:doc_id>")
def document(doc_id):
    doc, related = load_document(doc_id)
    if doc is None:
        abort(404, description=f"there is no statement {doc_id!r}")
    shown = parts.page(doc, request.args.get("part"))
    body = doc.as_dict()
    body["sections"] = [{"lang": s.lang, "text": s.text} for s in shown.sections]
    body["part"], body["parts"] = shown.part, shown.parts

    def part_url(n: int, view: str) -> str:
        return url_for(view, doc_id=doc.id, part=n if n > 1 else None, _external=True)

    body["url"] = document_url(doc.id, external=True)
    body["links"] = {"html": part_url(shown.part, "pages.document")}
    if shown.part > 1:
        body["links"]["previous"] = part_url(shown.part - 1, "api.document")
    if shown.part < shown.parts:
        body["links"]["next"] = part_url(shown.part + 1, "api.document")
    body["related"] = [
        {"id": h.id, "title": h.title, "date": h.date, "url": document_url(h.id, external=True)}
        for h in related
    ]
    return jsonify(body)
