"""Searching for a request: the helpers the page and API blueprints share."""

from __future__ import annotations

from flask import url_for

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


def load_document(doc_id: str, query: str = "", raw: bool = False
                  ) -> tuple[Document | None, list[Hit]]:
    """A statement (its matches marked when `query` is given) and its related
    statements; (None, []) when there is no such statement."""
    index = get_index()
    with search_turn():
        doc = index.document(doc_id, query=query, raw=raw)
        return doc, index.related(doc.id) if doc else []


def document_url(doc_id: str, q: str = "", external: bool = False) -> str:
    """Where a statement is shown; with the query, so its matches are marked."""
    return url_for("pages.document", doc_id=doc_id, q=q or None, _external=external)
