"""Resolutions over time: the UN resolutions a search's statements cite, most
cited first, with the citing statements per year.

A resolution's count is of statements, not mentions: a statement citing
S/RES/822 (1993) three times counts once (its symbols are read once each at
index time, search.lang.resolutions, and kept in a column). Statements are placed
by their year, so a statement known only by its year counts in that year;
undated statements count in a column of their own. The years shown are those
of every statement the search finds (zeros included), so each row lines up
with the others and with the statements found per year.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from search import schema as S
from search.fields import WHOLE, Param, ParameterError
from search.exec.matching import find
from search.query.parser import parse
from search.lang.resolutions import GENERAL_ASSEMBLY, SECURITY_COUNCIL, sort_key
from search.results import Filters
from search.views.view import View
from search.exec.distinct import distinct

DEFAULT_LIMIT = 50  # resolutions shown
MAX_LIMIT = 1000
MAX_YEARS = 200  # years a table may span (a column each)
ORGANS = {SECURITY_COUNCIL: "Security Council", GENERAL_ASSEMBLY: "General Assembly"}


def label(symbol: str) -> str:
    """A symbol as people read it: "S/RES/822 (1993)" → "Security Council resolution 822 (1993)"."""
    for prefix, organ in ORGANS.items():
        if symbol.startswith(prefix):
            return f"{organ} resolution {symbol[len(prefix):]}"
    return symbol


@dataclass
class Cited:
    """One resolution: the statements citing it, in all and per year."""

    symbol: str  # as the cites facet and filter store it
    label: str
    statements: int  # citing statements (each counted once, however often it cites it)
    first: int | None  # the first and last year it is cited in (None: only undated statements)
    last: int | None
    per_year: list[int]  # citing statements in each year of Resolutions.years
    undated: int  # citing statements without a date

    def as_dict(self) -> dict:
        return {"symbol": self.symbol, "label": self.label, "statements": self.statements,
                "first": self.first, "last": self.last, "per_year": self.per_year,
                "undated": self.undated}


@dataclass
class Resolutions:
    query: str
    parsed: str
    filters: Filters
    matched: int  # statements the search finds
    citing: int  # of them, those citing at least one resolution
    total: int  # distinct resolutions they cite
    limit: int | None
    years: list[int]  # the years of the statements found, first to last
    matched_per_year: list[int]  # statements found per year (each resolution's denominator)
    matched_undated: int
    resolutions: list[Cited]  # the `limit` most cited
    took_ms: float
    notices: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "query": self.query, "parsed": self.parsed, "filters": self.filters.as_dict(),
            "matched": self.matched, "citing": self.citing, "total": self.total,
            "shown": len(self.resolutions), "limit": self.limit, "years": self.years,
            "matched_per_year": self.matched_per_year, "matched_undated": self.matched_undated,
            "resolutions": [r.as_dict() for r in self.resolutions],
            "notices": self.notices, "took_ms": round(self.took_ms, 2),
        }


@dataclass(frozen=True)
class ResolutionsRequest:
    query: str = ""
    filters: Filters | None = None
    raw: bool = False
    limit: int | None = DEFAULT_LIMIT  # resolutions listed (None: every one, for the CSV)


def resolutions(snap, req: ResolutionsRequest) -> Resolutions:
    """The resolutions cited by the statements a search finds, most cited first."""
    started = time.perf_counter()
    if req.limit is not None and not 1 <= req.limit <= MAX_LIMIT:
        raise ParameterError("limit", f"must be between 1 and {MAX_LIMIT:,}")
    filters = Filters() if req.filters is None else req.filters
    parsed = parse(req.query, raw=req.raw, registry=snap.registry)
    found = find(snap, parsed, filters, scored=False).final
    table = snap.table
    year = table.year
    dated = found & (year > 0)
    lo, hi = (int(year[dated].min()), int(year[dated].max())) if dated.any() else (0, -1)
    if hi - lo + 1 > MAX_YEARS:
        raise ParameterError("q", f"the statements found span {hi - lo + 1:,} years; a table shows at "
                                  f"most {MAX_YEARS}: narrow the dates (date_from, date_to)")
    size = hi - lo + 1
    column = table.column(S.RESOLUTIONS_COL)
    # Each (statement, resolution) once: a statement is counted, not its mentions.
    keep = found[column.doc]
    pairs = np.unique(np.stack([column.doc[keep], column.ids[keep]]), axis=1) if keep.any() else None
    docs, ids = (pairs[0], pairs[1]) if pairs is not None else (np.zeros(0, np.int64),) * 2
    counts = np.bincount(ids, minlength=len(column.values))
    cited = np.flatnonzero(counts)
    order = sorted(cited.tolist(), key=lambda i: (-int(counts[i]), sort_key(str(column.values[i]))))
    shown = order if req.limit is None else order[:req.limit]
    years_of = year[docs]
    placed = years_of > 0
    n = len(column.values)
    per_year = np.bincount(ids[placed] * size + years_of[placed] - lo, minlength=n * size).reshape(n, size)
    undated = np.bincount(ids[~placed], minlength=n)
    rows = []
    for i in shown:
        symbol, in_years = str(column.values[i]), np.flatnonzero(per_year[i])
        rows.append(Cited(
            symbol=symbol, label=label(symbol), statements=int(counts[i]),
            first=lo + int(in_years[0]) if len(in_years) else None,
            last=lo + int(in_years[-1]) if len(in_years) else None,
            per_year=per_year[i].tolist(), undated=int(undated[i])))
    matched = int(found.sum())
    return Resolutions(
        query=req.query, parsed=str(parsed), filters=filters, matched=matched,
        citing=len(distinct(docs)), total=len(cited), limit=req.limit, years=list(range(lo, hi + 1)),
        matched_per_year=np.bincount(year[dated] - lo, minlength=size).tolist() if size else [],
        matched_undated=int((found & (year == 0)).sum()), resolutions=rows,
        took_ms=(time.perf_counter() - started) * 1000, notices=list(parsed.notices))


CSV_COLUMNS = ("symbol", "label", "statements", "first", "last", "undated")  # then one per year

VIEW = View(
    "resolutions", "The UN resolutions cited by the statements a search finds, most cited first, "
    "with the citing statements per year.",
    ResolutionsRequest, Resolutions, resolutions,
    params=(Param("limit", WHOLE, DEFAULT_LIMIT, "Resolutions listed, most cited first (the CSV "
                  "lists every one).", bounds=(1, MAX_LIMIT)),),
    csv_columns=CSV_COLUMNS,
    example={"q": "Azerbaijan"},
)
