"""Our engine: `indexer.build.update_index` and `search.engine.SearchIndex`."""

from __future__ import annotations

from pathlib import Path

from bench.engines.base import HITS, Engine, Outcome, Session
from bench.queries import Query, render


def query_text(query: Query) -> str:
    """The query in our query language."""
    return render(
        query.root,
        word=lambda w: w,
        phrase=lambda p: f'"{p}"',
        and_=lambda pos, neg: " ".join(pos + [f"NOT {n}" for n in neg]),
        or_=lambda items: "(" + " OR ".join(items) + ")",
        not_=lambda item: f"NOT {item}",
    )


# The other engines search only the words typed: ours does the same work here,
# without names read across languages, misspelt words corrected or respellings
# offered (what names and corrections cost: bench/cross_language.py, bench/typos.py).
SAME_WORK = {"autocorrect": False, "suggest": False}
SAME_WORK_PARAMS = {"names": "exact", "autocorrect": "0", "suggest": "0"}  # the same, as API parameters


def query_filters(query: Query):
    from search.results import Filters

    return Filters(
        date_from=query.date_from,
        date_to=query.date_to,
        numbers=(query.number,) if query.number is not None else (),
        exact_names=True,
    )


class OursSession(Session):
    def __init__(self, index: Path):
        from search.engine import SearchIndex

        self.index = SearchIndex(index)

    def search(self, query: Query) -> Outcome:
        result = self.index.search(query_text(query), filters=query_filters(query),
                                   per_page=HITS, facets=True, with_snippets=True, **SAME_WORK)
        return Outcome(
            total=result.total,
            hits=len(result.hits),
            snippets=sum(1 for h in result.hits if h.snippets),
            facet_values=sum(len(v) for v in result.facets.values()),
        )

    def close(self) -> None:
        self.index.close()


class Ours(Engine):
    name = "ours"
    description = "our indexer and search library (pymorphy3 lemmas, Snowball stems, numpy facets)"
    incremental = True

    def build(self, corpus: Path, index: Path, procs: int = 1, rebuild: bool = True) -> int:
        from indexer.build import update_index

        summary = update_index(corpus, index, procs=procs, rebuild=rebuild)
        return summary.documents

    def open(self, index: Path) -> Session:
        return OursSession(index)
