"""Plain Whoosh: the stock StemmingAnalyzer over one stored text field.

It shows what our morphology costs. Metadata fields use stock types; facet
counts come from per-document columns counted with numpy, as ours are, so
the comparison is about analysis, ranking and highlighting, not facets.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bench.engines.base import HITS, TOP_NUMBERS, TOP_YEARS, Engine, Outcome, Session
from bench.engines.documents import read_documents, year_key_range
from bench.queries import Query, render

WRITER_MEMORY_MB = 256  # as our indexer's writer
LANGS = ("en", "ru")


def schema():
    from whoosh import columns, fields
    from whoosh.analysis import StemmingAnalyzer

    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.STORED(),
        content=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True),  # title and body
        date=fields.STORED(),
        datekey=fields.NUMERIC(int, 32, signed=False),
        numbers=fields.NUMERIC(int, 64),  # every number mentioned, years too
        lang=fields.KEYWORD(stored=True),
        year_col=fields.COLUMN(columns.NumericColumn("H", default=0)),
        month_col=fields.COLUMN(columns.NumericColumn("B", default=0)),
        lang_col=fields.COLUMN(columns.NumericColumn("B", default=0)),
        numbers_col=fields.COLUMN(columns.VarBytesColumn()),
        years_col=fields.COLUMN(columns.VarBytesColumn()),
    )


def query_text(query: Query) -> str:
    """The query in Whoosh's default query-parser syntax."""
    return render(
        query.root,
        word=lambda w: w,
        phrase=lambda p: f'"{p}"',
        and_=lambda pos, neg: " AND ".join(pos + [f"NOT {n}" for n in neg]),
        or_=lambda items: "(" + " OR ".join(items) + ")",
        not_=lambda item: f"NOT {item}",
    )


class _Facets:
    """The facet columns of an open index as numpy arrays (read once)."""

    def __init__(self, reader):
        from search.exec.facets import MultiColumn

        size = reader.doc_count_all()

        def column(name):
            return np.fromiter(reader.column_reader(name), dtype=np.int64, count=size)

        self.year, self.month, self.lang = column("year_col"), column("month_col"), column("lang_col")
        self.numbers = MultiColumn(list(reader.column_reader("numbers_col")), size)
        self.years = MultiColumn(list(reader.column_reader("years_col")), size)
        self.size = size

    def counts(self, docnums: set[int]) -> dict[str, list]:
        """Facet values and counts over the matching documents."""
        mask = np.zeros(self.size, dtype=bool)
        mask[np.fromiter(docnums, dtype=np.int64, count=len(docnums))] = True
        year_months, counts = np.unique(self.year[mask] * 100 + self.month[mask], return_counts=True)
        years: dict[int, list] = {}
        for key, count in zip(year_months.tolist(), counts.tolist()):
            if key // 100:
                years.setdefault(key // 100, []).append((key % 100, count))
        langs = self.lang[mask]
        out = {
            "year": sorted(years.items(), reverse=True),
            "lang": [(lang, int(((langs >> bit) & 1).sum())) for bit, lang in enumerate(LANGS)],
        }
        for name, column, top in (("number", self.numbers, TOP_NUMBERS),
                                  ("mentioned_year", self.years, TOP_YEARS)):
            values, value_counts = column.counts(mask)
            order = np.lexsort((values, -value_counts))[:top]
            out[name] = list(zip(values[order].tolist(), value_counts[order].tolist()))
        return out


class WhooshSession(Session):
    def __init__(self, index: Path):
        from whoosh import index as whoosh_index
        from whoosh.qparser import QueryParser

        self.ix = whoosh_index.open_dir(str(index))
        self.searcher = self.ix.searcher()
        self.parser = QueryParser("content", self.ix.schema)
        self.facets = _Facets(self.searcher.reader())

    def _filter(self, query: Query):
        from whoosh import query as wq

        parts = []
        if query.year_from is not None:
            parts.append(wq.NumericRange("datekey", *year_key_range(query)))
        if query.number is not None:
            parts.append(wq.NumericRange("numbers", query.number, query.number))
        return wq.And(parts) if parts else None

    def search(self, query: Query) -> Outcome:
        from whoosh import query as wq

        q = self.parser.parse(query_text(query))
        narrow = self._filter(query)
        results = self.searcher.search(q, limit=HITS, filter=narrow, terms=True)
        snippets = sum(1 for hit in results if hit.highlights("content", top=3))
        docs = set(self.searcher.docs_for_query(wq.And([q, narrow]) if narrow else q))
        facets = self.facets.counts(docs)
        return Outcome(
            total=len(docs),
            hits=results.scored_length(),
            snippets=snippets,
            facet_values=sum(len(v) for v in facets.values()),
        )

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()


class PlainWhoosh(Engine):
    name = "whoosh"
    description = "plain Whoosh: stock StemmingAnalyzer, QueryParser and highlighter"

    def build(self, corpus: Path, index: Path, procs: int = 1, rebuild: bool = True) -> int:
        from whoosh import index as whoosh_index

        from search.schema import lang_mask, pack_ints

        index.mkdir(parents=True, exist_ok=True)
        ix = whoosh_index.create_in(str(index), schema())
        writer = ix.writer(limitmb=WRITER_MEMORY_MB)
        count = 0
        for doc in read_documents(corpus):
            writer.add_document(
                id=doc.id, title=doc.title, content=f"{doc.title}\n\n{doc.body}", date=doc.date,
                datekey=doc.datekey, numbers=doc.numbers + doc.years, lang=" ".join(doc.langs),
                year_col=doc.year, month_col=doc.month, lang_col=lang_mask(doc.langs),
                numbers_col=pack_ints(doc.numbers), years_col=pack_ints(doc.years),
            )
            count += 1
        writer.commit()
        ix.close()
        return count

    def open(self, index: Path) -> Session:
        return WhooshSession(index)
