"""The research views of a search: its concordance and its key terms, each a page
with a JSON twin (and, for the concordance, a CSV of every line).

They take the search's own parameters (webui.params, the filters of the index's
registry), so a link from the search page keeps the query and filters.
"""

from __future__ import annotations

import itertools
from urllib.parse import quote

from flask import Blueprint, jsonify, render_template, request, url_for

from search import concordance as C
from search import keyterms as K
from search.fields import ParameterError
from search.langdata import LANGUAGE_NAMES
from webui.csvexport import cell, csv_response
from webui.exports import export
from webui.index_holder import get_index, search_turn
from webui.params import SearchRequest, parse_search
from webui.searching import document_url

bp = Blueprint("research", __name__)

CSV_COLUMNS = ("id", "title", "date", "lang", "left", "match", "right", "start", "end",
               "aligned_lang", "aligned", "url")
SORT_LABELS = {"-date": "newest first", "date": "oldest first", "left": "word to the left",
               "right": "word to the right"}
# The views' parameters beyond the search's (`sort` and `per_page` mean their own here).
CONCORDANCE_PARAMS = ("sort", "width", "unit", "page", "per_page")
KEYTERMS_PARAMS = ("sample", "limit")
OWN_PARAMS = ("sort", "per_page", "width", "unit", *KEYTERMS_PARAMS)


def _search_part(args) -> SearchRequest:
    """The search a view is of: its query and filters, checked as search checks them."""
    rest = args.copy()
    for name in OWN_PARAMS:
        rest.pop(name, None)
    return parse_search(rest)


def _whole(args, name: str, default: int | None, lo: int, hi: int) -> int | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ParameterError(name, f"{raw!r} is not a whole number") from None
    if not lo <= value <= hi:
        raise ParameterError(name, f"must be between {lo:,} and {hi:,}")
    return value


def _choice(args, name: str, choices, default: str) -> str:
    value = args.get(name) or default
    if value not in choices:
        raise ParameterError(name, f"must be one of {', '.join(choices)}")
    return value


def parse_concordance(args) -> tuple[SearchRequest, C.ConcordanceRequest]:
    """Reads and checks a concordance request; ParameterError names what to change."""
    req = _search_part(args)
    sort = _choice(args, "sort", C.SORTS, "-date")
    unit = _choice(args, "unit", C.UNITS, "words")
    width = _whole(args, "width", None, 1, C.MAX_WIDTH[unit])
    per_page = _whole(args, "per_page", C.DEFAULT_PER_PAGE, 1, C.MAX_PER_PAGE)
    return req, C.ConcordanceRequest(req.q, req.filters, sort, width, unit, req.page, per_page,
                                     req.raw)


def _conc_args(req: SearchRequest, creq: C.ConcordanceRequest, **changes) -> dict:
    """A concordance request as URL parameters, with some changed (None drops one)."""
    args = req.args(sort=None, page=None, per_page=None)
    args.update({
        "sort": creq.sort if creq.sort != "-date" else None,
        "width": creq.width if creq.width != C.DEFAULT_WIDTH[creq.unit] else None,
        "unit": creq.unit if creq.unit != "words" else None,
        "per_page": creq.per_page if creq.per_page != C.DEFAULT_PER_PAGE else None,
        "page": creq.page if creq.page != 1 else None,
    })
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


@bp.get("/concordance")
def concordance_page():
    req, creq = parse_concordance(request.args)
    with search_turn():
        result = get_index().concordance(creq)
    shown = C.ConcordanceRequest(req.q, req.filters, result.sort, result.width, result.unit,
                                 result.page, result.per_page, req.raw)
    return render_template(
        "concordance.html", req=req, creq=shown, result=result, sorts=SORT_LABELS,
        url=lambda **changes: url_for("research.concordance_page", **_conc_args(req, shown, **changes)),
        line_url=lambda line: line_url(line, req.q), language_names=LANGUAGE_NAMES,
        json_url=url_for("research.concordance_api", **_conc_args(req, shown)),
        csv_url=url_for("research.concordance_csv", **_conc_args(req, shown, page=None, per_page=None)),
        search_url=url_for("pages.search", **req.args(sort=None, page=None, per_page=None)),
        keyterms_url=url_for("research.keyterms_page", **req.args(sort=None, page=None, per_page=None)),
    )


@bp.get("/api/concordance")
def concordance_api():
    req, creq = parse_concordance(request.args)
    with search_turn():
        result = get_index().concordance(creq)
    body = result.as_dict()
    body["lines"] = [_line_dict(line, req.q) for line in result.lines]
    shown = C.ConcordanceRequest(req.q, req.filters, result.sort, result.width, result.unit,
                                 result.page, result.per_page, req.raw)
    body["links"] = {
        "html": url_for("research.concordance_page", **_conc_args(req, shown), _external=True),
        "csv": url_for("research.concordance_csv", **_conc_args(req, shown, page=None, per_page=None),
                       _external=True),
    }
    if result.page < result.pages:
        body["links"]["next"] = url_for("research.concordance_api",
                                        **_conc_args(req, shown, page=result.page + 1), _external=True)
    return jsonify(body)


@bp.get("/api/concordance.csv")
@export
def concordance_csv():
    """Every line of the concordance (not one page), streamed as CSV."""
    req, creq = parse_concordance(request.args)
    lines = get_index().concordance_lines(creq)
    with search_turn():  # finding and sorting the lines; they are written as they are sent
        first = next(lines, None)

    rows = itertools.chain([first] if first else [], lines)
    return csv_response(CSV_COLUMNS, rows, lambda line: _row(line, req.q), "concordance.csv")


def _row(line, q: str) -> list:
    aligned = line.aligned
    return [cell(line.id), cell(line.title), line.date or "", line.lang,
            cell(line.left), cell(line.match), cell(line.right), line.start, line.end,
            aligned.lang if aligned else "", cell(aligned.text) if aligned else "",
            line_url(line, q, external=True)]


# --- key terms -----------------------------------------------------------------------------


def parse_keyterms(args) -> tuple[SearchRequest, int, int]:
    req = _search_part(args)
    sample = _whole(args, "sample", K.DEFAULT_SAMPLE, 1, K.MAX_SAMPLE)
    limit = _whole(args, "limit", K.DEFAULT_LIMIT, 1, K.MAX_LIMIT)
    return req, sample, limit


def _keyterms(args):
    req, sample, limit = parse_keyterms(args)
    with search_turn():
        result = get_index().keyterms(req.q, req.filters, raw=req.raw, sample=sample, limit=limit)
    return req, sample, result


def add_to_query(q: str, word: str) -> str:
    """The query with a key term added (all words must match)."""
    return f"{q} {word}".strip() if q.strip() else word


@bp.get("/keyterms")
def keyterms_page():
    req, sample, result = _keyterms(request.args)
    own = {"sample": sample if sample != K.DEFAULT_SAMPLE else None,
           "limit": result.limit if result.limit != K.DEFAULT_LIMIT else None}
    base = req.args(sort=None, page=None, per_page=None)
    return render_template(
        "keyterms.html", req=req, result=result, language_names=LANGUAGE_NAMES, sample=sample,
        max_sample=K.MAX_SAMPLE, max_limit=K.MAX_LIMIT,
        add_url=lambda word: url_for("pages.search", **{**base, "q": add_to_query(req.q, word)}),
        json_url=url_for("research.keyterms_api", **base, **own),
        search_url=url_for("pages.search", **base),
        concordance_url=url_for("research.concordance_page", **base),
    )


@bp.get("/api/keyterms")
def keyterms_api():
    req, _, result = _keyterms(request.args)
    body = result.as_dict()
    base = req.args(sort=None, page=None, per_page=None)
    for lang in body["languages"]:
        for term in lang["terms"]:
            term["search_url"] = url_for("api.search", **{**base, "q": add_to_query(req.q, term["word"])},
                                         _external=True)
    body["links"] = {"html": url_for("research.keyterms_page", **base, _external=True)}
    return jsonify(body)
