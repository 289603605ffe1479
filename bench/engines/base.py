"""The interface every engine adapter implements, and what a search returns."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.queries import Query

HITS = 10  # results per page, as the UI asks
TOP_NUMBERS = 20  # facet values shown, as search.exec.facets shows them
TOP_YEARS = 30


@dataclass
class Outcome:
    """What one search produced: enough to check the engines did the same work."""

    total: int  # matching statements
    hits: int
    snippets: int  # hits that came with a snippet
    facet_values: int

    def as_dict(self) -> dict:
        return asdict(self)


class Session(ABC):
    """An index opened for searching."""

    @abstractmethod
    def search(self, query: Query) -> Outcome:
        """Runs the query: 10 ranked hits with snippets, and facet counts over all matches."""

    def close(self) -> None:
        pass


class Engine(ABC):
    """Builds an index of a corpus and opens it for searching."""

    name: str
    description: str
    modules: tuple[str, ...] = ()  # optional imports it needs
    incremental = False  # whether `build(..., rebuild=False)` updates in place

    @abstractmethod
    def build(self, corpus: Path, index: Path, procs: int = 1, rebuild: bool = True) -> int:
        """Indexes the corpus into `index`; returns how many statements it holds."""

    @abstractmethod
    def open(self, index: Path) -> Session:
        ...
