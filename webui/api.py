"""The JSON API and CSV export: the machine-readable twins of the pages."""

from __future__ import annotations

import itertools

from flask import Blueprint, Response, jsonify, request, url_for

from search.errors import IndexUnusable
from search.fields import NAMES_PARAM, SEARCH_PARAMS
from search.exec.snapshots import commit_time
from webui import feeds, parts, views
from webui.csvexport import cell, csv_response, jsonl_response
from webui.exports import export
from webui.params import parse_search
from webui.index_holder import get_index, get_registry, search_turn
from webui.searching import document_url, load_document, run_search

bp = Blueprint("api", __name__, url_prefix="/api")

CSV_COLUMNS = ("id", "title", "date", "number", "languages", "score", "url", "source_url")


@bp.get("")
def endpoints():
    """What the API offers, with an example of each call."""
    registry = get_registry()  # (the filters of the index this app serves)
    return jsonify({
        "search": url_for("api.search", q="выборы", year=2020, _external=True),
        "search_csv": url_for("api.search_csv", q="resolution", number=822, _external=True),
        "search_jsonl": url_for("api.search_jsonl", q="resolution", number=822, _external=True),
        "search_atom": url_for("api.search_atom", q="выборы", _external=True),
        **views.endpoints(registry),  # (the research views: search.views.VIEWS)
        "document": url_for("api.document", doc_id="seed/000_2961365e15364d64.txt", _external=True),
        "parameters": [*(p.name for p in SEARCH_PARAMS), *registry.params, NAMES_PARAM],
        "search_parameters": [p.describe() for p in SEARCH_PARAMS],
        "filters": registry.describe(),
        "index": _status(),
    })


def _status() -> dict | None:
    """The index's statements, segments and whether it opens fast (None while there is none)."""
    try:
        return get_index().status().as_dict()
    except IndexUnusable:
        return None


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
        "jsonl": url_for("api.search_jsonl", **req.args(page=None, per_page=None), _external=True),
        "atom": feeds.feed_url(req, external=True),
    }
    if result.page < result.pages:
        body["links"]["next"] = url_for("api.search", **req.args(page=req.page + 1), _external=True)
    return jsonify(body)


@bp.get("/search.csv")
@export
def search_csv():
    """Every matching statement (not one page), streamed as CSV, a column for
    each facet the corpus declares."""
    req, hits = _every_hit()
    names = [d.name for d in get_index().declared]
    return csv_response((*CSV_COLUMNS, *names), hits, lambda hit: _row(hit, req.q, names),
                        "statements.csv")


@bp.get("/search.jsonl")
@export
def search_jsonl():
    """Every matching statement (not one page), streamed as JSON Lines: each a hit
    of /api/search without snippets."""
    req, hits = _every_hit()

    def as_dict(hit) -> dict:
        out = hit.as_dict()
        del out["snippets"], out["title_html"]
        out["url"] = document_url(hit.id, req.q, external=True)
        return out

    return jsonl_response(hits, as_dict, "statements.jsonl")


def _every_hit():
    """The request and every hit of its search, the search already run (its
    errors are a 400, not a broken stream); the hits are read as they are sent."""
    req = parse_search(request.args)
    hits = get_index().hits(req.q, req.filters, req.sort, raw=req.raw, autocorrect=req.autocorrect)
    with search_turn():
        first = next(hits, None)
    return req, itertools.chain([first] if first else [], hits)


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


def _row(hit, q, declared=()) -> list:
    return [cell(hit.id), cell(hit.title), hit.date or "", cell(hit.number or ""),
            " ".join(hit.languages), "" if hit.score is None else hit.score,
            document_url(hit.id, q, external=True), hit.source_url or "",
            *(_value(hit.metadata.get(name)) for name in declared)]


def _value(value) -> str:
    """A metadata value in one cell: a list's values joined by "; "."""
    if value is None:
        return ""
    return cell("; ".join(map(str, value)) if isinstance(value, list) else str(value))


@bp.get("/documents/<path:doc_id>")
def document(doc_id):
    doc, related = load_document(doc_id)
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
