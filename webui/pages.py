"""The pages people see: search, a statement, the query syntax."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for

from search.langdata import LANGUAGE_NAMES, MONTH_NAMES_EN
from webui.params import SearchRequest, parse_search
from webui.views import document_url, load_document, run_search

bp = Blueprint("pages", __name__)


@bp.app_context_processor
def helpers():
    return {
        "language_name": lambda code: LANGUAGE_NAMES.get(code, code),
        "month_name": lambda n: MONTH_NAMES_EN[n - 1] if 1 <= n <= 12 else str(n),
        "document_url": document_url,
    }


@bp.get("/")
def search():
    req = parse_search(request.args)
    result = run_search(req)
    return render_template(
        "search.html", req=req, result=result, links=_Links(req),
        json_url=url_for("api.search", **req.args()),
        csv_url=url_for("api.search_csv", **req.args(page=None, per_page=None)),
    )


@bp.get("/doc/<path:doc_id>")
def document(doc_id):
    req = parse_search(request.args)
    doc, related = load_document(doc_id, req.q, req.raw)
    if doc is None:
        abort(404, description=f"There is no statement {doc_id!r} in the index.")
    return render_template(
        "document.html", doc=doc, req=req, related=related,
        back_url=url_for("pages.search", **req.args()) if request.args else None,
        json_url=url_for("api.document", doc_id=doc.id),
    )


@bp.get("/help")
def help():
    return render_template("help.html")


class _Links:
    """URLs for the search page: toggling a facet value, paging, sorting."""

    FIELDS = {"year": "years", "number": "numbers", "mentioned_year": "mentioned_years",
              "lang": "langs"}

    def __init__(self, req: SearchRequest):
        self.req = req

    def url(self, **changes) -> str:
        return url_for("pages.search", **self.req.args(**changes))

    def toggle(self, facet: str, value) -> str:
        current = list(getattr(self.req.filters, self.FIELDS[facet]))
        values = [v for v in current if v != value] if value in current else current + [value]
        return self.url(**{facet: values, "page": None})

    def clear(self, *names) -> str:
        return self.url(page=None, **{n: None for n in names})

    def page(self, n: int) -> str:
        return self.url(page=n if n > 1 else None)

    def month(self, year: int, month: int) -> str:
        import calendar

        last = calendar.monthrange(year, month)[1]
        return self.url(page=None, date_from=f"{year}-{month:02d}-01",
                        date_to=f"{year}-{month:02d}-{last:02d}")

    def chips(self):
        """(label, url that removes it) for every active filter."""
        f = self.req.filters
        out = [(f"Year {y}", self.toggle("year", y)) for y in f.years]
        out += [(LANGUAGE_NAMES.get(lang, lang), self.toggle("lang", lang)) for lang in f.langs]
        out += [(f"Mentions {n}", self.toggle("number", n)) for n in f.numbers]
        out += [(f"Mentions the year {y}", self.toggle("mentioned_year", y)) for y in f.mentioned_years]
        if f.number_min is not None or f.number_max is not None:
            lo = "" if f.number_min is None else f.number_min
            hi = "" if f.number_max is None else f.number_max
            out.append((f"Numbers {lo}–{hi}", self.clear("number_min", "number_max")))
        if f.date_from or f.date_to:
            lo = f.date_from.isoformat() if f.date_from else "…"
            hi = f.date_to.isoformat() if f.date_to else "…"
            out.append((f"Dated {lo} to {hi}", self.clear("date_from", "date_to")))
        return out


