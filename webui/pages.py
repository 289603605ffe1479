"""The pages people see: search, a statement, the query syntax."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, render_template, request, url_for

from search.errors import StatementsError
from search.fields import DATE_FIELD
from search.lang.table import LANGUAGE_NAMES, MONTH_NAMES_EN
from webui import parts
from webui.index_holder import get_index, search_turn
from webui.labels import value_label
from webui.params import AUTOCORRECT, SearchRequest, parse_search
from webui.searching import document_url, load_document, run_search
from webui.trend import trend_args

bp = Blueprint("pages", __name__)


@bp.app_context_processor
def helpers():
    return {
        "language_name": lambda code: LANGUAGE_NAMES.get(code, code),
        "languages_named": _listed(list(LANGUAGE_NAMES.values()), "and"),
        "languages_or": _listed(list(LANGUAGE_NAMES.values()), "or"),
        "month_name": lambda n: MONTH_NAMES_EN[n - 1] if 1 <= n <= 12 else str(n),
        "document_url": document_url,
        "credits": _credits,
    }


def _listed(names: list[str], joiner: str) -> str:
    """"English, Russian and Ukrainian": the table's languages in a sentence."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {joiner} {names[-1]}"


def _credits() -> str | None:
    """The corpus's credits line (statements.toml's `credits`), or None without an index."""
    try:
        return get_index().credits
    except StatementsError:
        return None


@bp.get("/")
def search():
    req = parse_search(request.args)
    result = run_search(req)
    # The views of this search (trend, concordance, key terms) take the query it ran.
    ran = replace(req, q=result.corrected.query) if result.corrected else req
    return render_template(
        "search.html", req=req, result=result, links=_Links(req),
        view_args=trend_args(ran),
        facet_groups=req.registry.groups(), value_label=value_label, autocorrect_param=AUTOCORRECT,
        json_url=url_for("api.search", **req.args()),
        csv_url=url_for("api.search_csv", **req.args(page=None, per_page=None)),
        trend_url=url_for("trend.page", **trend_args(ran)),
        trend_svg=url_for("trend.svg", **trend_args(ran), size="small"),
    )


@bp.get("/doc/<path:doc_id>")
def document(doc_id):
    req = parse_search(request.args)
    doc, related = load_document(doc_id, req.q, req.raw)
    shown = parts.page(doc, request.args.get("part"))
    with search_turn():
        reuse = get_index().reuse_of(doc.id)
    args = req.args()
    years = set(doc.mentioned_years)
    return render_template(
        "document.html", doc=doc, req=req, related=related, shown=shown, reuse=reuse,
        numbers=[n for n in doc.numbers if n not in years], listed=parts.LISTED_VALUES,
        facet_names={f.name for f in req.registry.declared},
        part_url=lambda n: url_for("pages.document", doc_id=doc.id, **args, part=n if n > 1 else None),
        back_url=url_for("pages.search", **args) if args else None,
        json_url=url_for("api.document", doc_id=doc.id, part=shown.part if shown.parts > 1 else None),
        reuse_json_url=url_for("reuse.statement", doc_id=doc.id),
    )


@bp.get("/help")
def help():
    return render_template("help.html")


class _Links:
    """URLs for the search page: toggling a facet value, paging, sorting."""

    def __init__(self, req: SearchRequest):
        self.req = req

    def url(self, **changes) -> str:
        return url_for("pages.search", **self.req.args(**changes))

    def toggle(self, facet: str, value) -> str:
        """The search with a value of a facet (named as its parameter) chosen or not."""
        current = list(self.req.registry.by_param[facet].value(self.req.filters))
        values = [v for v in current if v != value] if value in current else current + [value]
        return self.url(**{facet: values, "page": None})

    def clear(self, *params) -> str:
        """The search without these filter parameters (without any, when none are named)."""
        return self.url(page=None, **{p: None for p in params or self.req.registry.params})

    def respelt(self, q: str) -> str:
        """The search for another spelling of the query, corrected as usual."""
        return self.url(q=q, page=None, **{AUTOCORRECT: None})

    def as_typed(self, original: str) -> str:
        """The search for the query exactly as typed, without correcting it."""
        return self.url(q=original, page=None, **{AUTOCORRECT: "0"})

    def page(self, n: int) -> str:
        return self.url(page=n if n > 1 else None)

    def month(self, year: int, month: int) -> str:
        import calendar

        last = calendar.monthrange(year, month)[1]
        date_from, date_to = DATE_FIELD.params
        return self.url(page=None, **{date_from: f"{year}-{month:02d}-01",
                                      date_to: f"{year}-{month:02d}-{last:02d}"})

    def chips(self):
        """(label, url that removes it) for every active filter."""
        filters = self.req.filters
        out = []
        for f in self.req.registry.fields:
            if not f.active(filters):
                continue
            if f.is_range:
                ends = ["…" if v is None else f.format(v) for v in f.value(filters)]
                out.append((f.chip.format(*ends), self.clear(*f.params)))
            else:
                out += [(f.chip.format(value_label(f, v)), self.toggle(f.params[0], v))
                        for v in f.value(filters)]
        return out
