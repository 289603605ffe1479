"""Key terms on the web: the page and its JSON twin (routes and parameters from
search.views.keyterms.VIEW, by webui.views).

It takes the search's query and filters, so a link from the search page keeps them.
"""

from __future__ import annotations

from flask import jsonify, render_template, request, url_for

from search.lang.table import LANGUAGE_NAMES
from search.views import keyterms as K
from webui import views
from webui.index_holder import get_index, search_turn

VIEW = K.VIEW


def _keyterms(args):
    req, own = views.read(VIEW, args)
    with search_turn():
        result = get_index().keyterms(req.q, req.filters, raw=req.raw, **own)
    return req, own, result


def add_to_query(q: str, word: str) -> str:
    """The query with a key term added (all words must match)."""
    return f"{q} {word}".strip() if q.strip() else word


def page():
    req, own, result = _keyterms(request.args)
    base = req.view_args()
    return render_template(
        "keyterms.html", req=req, result=result, language_names=LANGUAGE_NAMES, sample=own["sample"],
        max_sample=K.MAX_SAMPLE, max_limit=K.MAX_LIMIT,
        add_url=lambda word: url_for("pages.search", **{**base, "q": add_to_query(req.q, word)}),
        json_url=url_for("keyterms.api", **base, **views.own_args(VIEW, own)),
        search_url=url_for("pages.search", **base),
        concordance_url=url_for("concordance.page", **base),
    )


def api():
    req, _, result = _keyterms(request.args)
    body = result.as_dict()
    base = req.view_args()
    for lang in body["languages"]:
        for term in lang["terms"]:
            term["search_url"] = url_for("api.search", **{**base, "q": add_to_query(req.q, term["word"])},
                                         _external=True)
    body["links"] = {"html": url_for("keyterms.page", **base, _external=True)}
    return jsonify(body)
