"""How often a topic comes up over time: matching statements per period, as a
count and as a share of all the statements of that period.

Each query runs once on the one matching path (search.exec.matching.find); the
statements it finds are placed in periods from the facet table's date keys,
with numpy, so the cost does not grow with the number of matches. The
filters set the statements a share is taken of: a point's `total` is the
number of statements of its period that the filters (and a split's language
or collection) admit, whatever the query.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field, replace

import numpy as np

from search import schema as S
from search.errors import InvalidInput
from search.fields import CHOICE, ParameterError, Param
from search.lang.table import LANGUAGE_NAMES, LANGUAGES
from search.exec.matching import find
from search.query.parser import parse
from search.results import Filters
from search.views.view import View

PERIODS = ("year", "month", "week", "day")  # coarsest first
AUTO = "auto"
SPLITS = ("language", "collection")
SHOWN = ("share", "count")  # what a chart shows of each period: the share of its statements, or the count
COLLECTION = "collection"  # the declared facet a split by collection reads
MAX_QUERIES = 5  # queries compared on one chart
MAX_SERIES = 5  # collections charted when one query is split by collection (the most matched)
AUTO_POINTS = 60  # "auto" takes the finest period with at most this many points…
PLACED_ENOUGH = 0.9  # …that places at least this share of the dated matches
MAX_POINTS = 2000  # a period asked for may give at most this many points
EPOCH = dt.date(1970, 1, 1)
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass
class Period:
    """One point of the time axis: its key ("2020", "2020-03", "2020-W12",
    "2020-03-16"), a short label, and its first and last day."""

    key: str
    label: str
    start: dt.date
    end: dt.date

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "start": self.start.isoformat(),
                "end": self.end.isoformat()}


@dataclass
class Series:
    """One line (or set of bars) of the chart: a query, or one language or
    collection of a split query; `filters` are those of its search."""

    label: str
    query: str
    filters: Filters
    counts: list[int]  # matching statements per period
    totals: list[int]  # all the statements of each period (the share's denominator)
    matched: int  # every statement found, placed in a period or not
    undated: int  # found, without a date
    imprecise: int  # found, dated less precisely than the period (a year alone, by month)
    split_value: str | None = None  # the language code or collection of a split

    @property
    def shares(self) -> list[float | None]:
        """count / total per period; None where the period has no statements."""
        return [round(c / t, 6) if t else None for c, t in zip(self.counts, self.totals)]

    @property
    def placed(self) -> int:
        return sum(self.counts)

    def as_dict(self, periods: list[Period]) -> dict:
        return {
            "label": self.label, "query": self.query, "value": self.split_value,
            "matched": self.matched, "placed": self.placed, "undated": self.undated,
            "imprecise": self.imprecise,
            "points": [{"period": p.key, "count": c, "total": t, "share": s}
                       for p, c, t, s in zip(periods, self.counts, self.totals, self.shares)],
        }


@dataclass
class Trend:
    queries: list[str]
    split: str | None
    period: str  # the period used (never "auto")
    period_asked: str
    periods: list[Period]
    series: list[Series]
    filters: Filters
    took_ms: float
    omitted: int = 0  # collections left off the chart (beyond MAX_SERIES)
    notices: list[str] = field(default_factory=list)

    @property
    def common_totals(self) -> bool:
        """Every series shares one denominator (queries compared, not a split)."""
        return self.split is None

    def as_dict(self) -> dict:
        return {
            "queries": self.queries, "split": self.split, "period": self.period,
            "period_asked": self.period_asked,
            "from": self.periods[0].start.isoformat() if self.periods else None,
            "to": self.periods[-1].end.isoformat() if self.periods else None,
            "periods": [p.as_dict() for p in self.periods],
            "series": [s.as_dict(self.periods) for s in self.series],
            "omitted": self.omitted, "filters": self.filters.as_dict(),
            "notices": self.notices, "took_ms": round(self.took_ms, 2),
        }


# --- periods as numbers ------------------------------------------------------------------


def period_numbers(datekey: np.ndarray, period: str) -> tuple[np.ndarray, np.ndarray]:
    """Each statement's period as a number (the year; months, weeks or days
    since 1970), and where its date is precise enough to have one."""
    year, month, day = datekey // 10000, datekey // 100 % 100, datekey % 100
    if period == "year":
        return year, year > 0
    if period == "month":
        return year * 12 + month - 1, month > 0
    valid = day > 0
    months = np.where(valid, (year - 1970) * 12 + month - 1, 0)
    days = (months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
            + np.where(valid, day - 1, 0))
    # 1970-01-01 was a Thursday: weeks start on Monday, as ISO weeks do.
    return (days if period == "day" else (days + 3) // 7), valid


def date_number(day: dt.date, period: str) -> int:
    """The period number of one day (as period_numbers)."""
    key = np.array([S.date_key(day.year, day.month, day.day)], dtype=np.int64)
    return int(period_numbers(key, period)[0][0])


def period_of(n: int, period: str) -> Period:
    """The period with number `n`."""
    if period == "year":
        return Period(f"{n:04d}", str(n), dt.date(n, 1, 1), dt.date(n, 12, 31))
    if period == "month":
        year, month = divmod(n, 12)
        start = dt.date(year, month + 1, 1)
        end = (dt.date(year + (month == 11), (month + 1) % 12 + 1, 1) - dt.timedelta(days=1)
               if (year, month) != (9999, 11) else dt.date.max)
        return Period(start.strftime("%Y-%m"), f"{MONTH_ABBR[month]} {year}", start, end)
    if period == "week":
        start = max(dt.date.min, _day(n * 7 - 3))
        end = _day(min(n * 7 + 3, (dt.date.max - EPOCH).days))
        iso = start.isocalendar()
        return Period(f"{iso.year}-W{iso.week:02d}", _day_label(start), start, end)
    day = _day(n)
    return Period(day.isoformat(), _day_label(day), day, day)


def _day(n: int) -> dt.date:
    return EPOCH + dt.timedelta(days=n)


def _day_label(day: dt.date) -> str:
    return f"{day.day} {MONTH_ABBR[day.month - 1]} {day.year}"


# --- the trend ------------------------------------------------------------------------------


def check(queries: list[str], split: str | None, period: str) -> None:
    """Refuses what cannot be charted, naming the parameter and the fix."""
    if len(queries) > MAX_QUERIES:
        raise _error("q", f"{len(queries)} queries given; a chart compares at most {MAX_QUERIES}")
    if split is not None and split not in SPLITS:
        raise _error("split", f"{split!r} is not one of {', '.join(SPLITS)}")
    if split is not None and len(queries) > 1:
        raise _error("split", f"splits one query; {len(queries)} were given (leave out split, "
                              "or give one q)")
    if period not in (AUTO, *PERIODS):
        raise _error("period", f"{period!r} is not one of {', '.join((AUTO, *PERIODS))}")


def _error(name: str, message: str) -> InvalidInput:
    return ParameterError(name, message)


@dataclass(frozen=True)
class TrendRequest:
    queries: tuple[str, ...] | list[str] = ()  # up to MAX_QUERIES compared, or one split
    filters: Filters | None = None
    split: str | None = None  # None, "language" or "collection"
    period: str = AUTO
    raw: bool = False


def trend(snap, req: TrendRequest) -> Trend:
    """The trend of a request's queries (or of one query split by language or
    collection) over one snapshot."""
    started = time.perf_counter()
    queries = list(dict.fromkeys(req.queries)) or [""]
    split, period = req.split, req.period
    check(queries, split, period)
    filters = Filters() if req.filters is None else req.filters  # (one with only exact_names is falsy)
    parsed = [parse(q, raw=req.raw, registry=snap.registry) for q in queries]
    table = snap.table
    universe = find(snap, parse("", registry=snap.registry), filters, scored=False).final
    notices = []
    found = []
    for q, p in zip(queries, parsed):
        match = find(snap, p, filters, scored=False)
        prefix = f"«{q}»: " if len(queries) > 1 else ""
        notices += [prefix + n for n in p.notices]
        found.append(match.final)
    plan, omitted = _plan(table, queries, found, universe, filters, split)
    used = period if period != AUTO else _auto_period(table.datekey, plan, filters)
    lo, hi = _span(table.datekey, plan, universe, filters, used)
    if hi - lo + 1 > MAX_POINTS:  # the date filter's far ends: the chart spans the dates found
        lo, hi = _span(table.datekey, plan, universe, Filters(), used)
        if hi - lo + 1 <= MAX_POINTS:
            notices.append(f"the dates asked for span more than {MAX_POINTS:,} {used}s: "
                           "the chart shows those of the statements")
    if hi - lo + 1 > MAX_POINTS:
        longer = " choose a longer period or" if used != PERIODS[0] else ""
        raise _error("period", f"by {used} the chart would have {hi - lo + 1:,} points; the "
                               f"limit is {MAX_POINTS:,}:{longer} narrow the dates "
                               "(date_from, date_to)")
    numbers, valid = period_numbers(table.datekey, used)
    size = max(0, hi - lo + 1)

    def per_period(mask):
        at = numbers[mask & valid] - lo
        at = at[(at >= 0) & (at < size)]
        return np.bincount(at, minlength=size).tolist()

    series = []
    for label, q, series_filters, value, mask, base in plan:
        counts = per_period(mask)
        undated = int((mask & (table.datekey == 0)).sum())
        matched = int(mask.sum())
        series.append(Series(label, q, series_filters, counts, per_period(base), matched,
                             undated, matched - undated - sum(counts), value))
    return Trend(queries, split, used, period, [period_of(n, used) for n in range(lo, hi + 1)],
                 series, filters, (time.perf_counter() - started) * 1000, omitted, notices)


def _plan(table, queries, found, universe, filters: Filters, split):
    """The series to chart: (label, query, filters, split value, matches, all statements)
    each, and how many collections were left out."""
    if split is None:
        return [(q or "All statements", q, filters, None, m, universe)
                for q, m in zip(queries, found)], 0
    q, match = queries[0], found[0]
    if split == "language":
        out = []
        for n, lang in enumerate(LANGUAGES):
            has = ((table.lang >> n) & 1) == 1
            if (filters.langs and lang not in filters.langs) or not (universe & has).any():
                continue
            out.append((LANGUAGE_NAMES.get(lang, lang), q, replace(filters, langs=(lang,)), lang,
                        match & has, universe & has))
        return out, 0
    column = table.column(COLLECTION)
    values, counts = column.counts(match)
    order = np.lexsort((values, -counts))
    chosen = [values[i].item() for i in order]
    out = []
    for value in chosen[:MAX_SERIES]:
        has = column.docs_with_any([value])
        declared = dict(filters.declared)
        declared[COLLECTION] = (value,)
        out.append((value, q, replace(filters, declared=tuple(declared.items())), value,
                    match & has, universe & has))
    return out, max(0, len(chosen) - MAX_SERIES)


def _auto_period(datekey: np.ndarray, plan, filters: Filters) -> str:
    """The finest period whose chart has a readable number of points and that
    places nearly all of the dated matches (UN speeches are dated by year alone)."""
    matches = np.zeros(len(datekey), dtype=bool)
    for *_, mask, _base in plan:
        matches |= mask
    if not matches.any():
        for *_, base in plan:
            matches |= base
    dated = int((matches & (datekey > 0)).sum())
    for period in reversed(PERIODS):
        numbers, valid = period_numbers(datekey, period)
        placed = matches & valid
        if not placed.any() or placed.sum() < PLACED_ENOUGH * dated:
            continue
        lo, hi = _bounds(numbers[placed], filters, period)
        if hi - lo + 1 <= AUTO_POINTS:
            return period
    return PERIODS[0]


def _span(datekey, plan, universe, filters: Filters, period: str) -> tuple[int, int]:
    """The first and last period number shown: the matches' dates, widened to
    the date filter's ends; the statements' when nothing matches."""
    numbers, valid = period_numbers(datekey, period)
    matches = np.zeros(len(datekey), dtype=bool)
    for *_, mask, _base in plan:
        matches |= mask
    placed = numbers[matches & valid]
    if not len(placed):
        placed = numbers[universe & valid]
    return _bounds(placed, filters, period)


def _bounds(numbers: np.ndarray, filters: Filters, period: str) -> tuple[int, int]:
    """(first, last) over `numbers` and the date filter's ends; (0, -1) when there is neither."""
    lo = int(numbers.min()) if len(numbers) else None
    hi = int(numbers.max()) if len(numbers) else None
    if filters.date_from is not None:
        lo = date_number(filters.date_from, period)
        hi = hi if hi is not None else lo
    if filters.date_to is not None:
        hi = date_number(filters.date_to, period)
        lo = lo if lo is not None else hi
    if lo is None:
        return 0, -1
    return lo, max(lo, hi)


CSV_COLUMNS = ("series", "query", "split_value", "period", "start", "end", "count", "total", "share")

VIEW = View(
    "trend", "Matching statements per period, as counts and shares, for up to five queries "
    "or one split by language or collection.",
    TrendRequest, Trend, trend,
    params=(
        Param("split", CHOICE, None, "Split one query's line by language or collection.",
              choices=SPLITS),
        Param("period", CHOICE, AUTO, "year, month, week or day; auto: the finest that keeps the "
              "chart readable.", choices=(AUTO, *PERIODS)),
        Param("view", CHOICE, None, "What the chart shows: share (of all the period's statements) "
              "or count (default: share when words are searched for).", choices=SHOWN),
    ),
    csv_columns=CSV_COLUMNS, queries=MAX_QUERIES,
    example={"q": ["выборы", "referendum"]},
    csv_example={"q": "выборы", "split": "language", "period": "month"},
)
