"""Searching for a request: the helpers the page and API blueprints share."""

from __future__ import annotations

from flask import abort, url_for

from search.results import Document, Hit, SearchResult
from webui.params import SearchRequest
from webui.index_holder import get_index, search_turn


def run_search(req: SearchRequest) -> SearchResult:
    index = get_index()
    with search_turn():
        return index.search(
            req.q, filters=req.filters, sort=req.sort, page=req.page, per_page=req.per_page,
            raw=req.raw, autocorrect=req.autocorrect, suggest=req.suggest,
        )


def load_document(doc_id: str, query: str = "", raw: bool = False) -> tuple[Document, list[Hit]]:
    """A statement (its matches marked when `query` is given) and its related
    statements; a 404, worded once for the page and its JSON twin, when there is no such statement."""
    index = get_index()
    with search_turn():
        doc = index.document(doc_id, query=query, raw=raw)
        related = index.related(doc.id) if doc else []
    if doc is None:
        abort(404, description=f"There is no statement {doc_id!r} in the index.")
    return doc, related


def document_url(doc_id: str, q: str = "", external: bool = False) -> str:
    """Where a statement is shown; with the query, so its matches are marked."""
    return url_for("pages.document", doc_id=doc_id, q=q or None, _external=external)
