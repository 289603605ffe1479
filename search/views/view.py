"""What a research view declares: its name, request and result, how a snapshot
computes it, its own parameters and its CSV columns.

The library method (`SearchIndex.<name>`), the web page (`/<name>`), its JSON
twin (`/api/<name>`), its CSV (`/api/<name>.csv`), the list of `GET /api` and
the reading of its parameters all follow from one `View` (see search.views).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields

from search.fields import Param


@dataclass(frozen=True)
class View:
    """One research view of a search, declared once."""

    name: str  # the library method, the page /NAME, /api/NAME and /api/NAME.csv
    summary: str  # one line: what it shows (the library method's docstring)
    request: type  # a frozen dataclass: the query, filters and raw, then the view's own fields
    result: type  # a dataclass with as_dict(): the JSON twin's body
    compute: Callable  # compute(snapshot, request) -> result
    params: tuple[Param, ...] = ()  # its parameters beyond the search's q, raw and filters
    csv_columns: tuple[str, ...] = ()  # its CSV export's header (none: no export)
    lines: Callable | None = None  # lines(snapshot, request) -> Iterator: every row, for a streamed export
    example: Mapping | None = None  # the parameters of /api's example call
    csv_example: Mapping | None = None  # the parameters of /api's example export
    bounds: Callable[[str, dict], tuple[int, int] | None] | None = None  # a bound set by other parameters
    queries: int = 1  # queries it takes (q repeated): more than one are compared

    def own(self, get: Callable[[str], str | None]) -> dict:
        """The view's own parameters from their texts (`get(name)`), checked; a
        ParameterError names the first that cannot be used."""
        values: dict = {}
        for p in self.params:
            values[p.name] = p.read(get(p.name), self.bounds(p.name, values) if self.bounds else None)
        return values

    def make(self, *args, **kwargs):
        """A request from a request or the request's fields (the library method's arguments)."""
        if len(args) == 1 and not kwargs and isinstance(args[0], self.request):
            return args[0]
        return self.request(*args, **kwargs)

    @property
    def request_fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self.request))


def run(view: View, snapshots, request):
    """The view's result for `request`, from one snapshot of `snapshots`."""
    return snapshots.retrying(lambda snap: view.compute(snap, request))


def every_line(view: View, snapshots, request) -> Iterator:
    """Every line of the view's export, all from the commit it started on."""
    state, snap = snapshots.retrying(lambda s: view.lines(s, request), detach=True)
    try:
        yield from state
    finally:
        snapshots.release(snap)
