"""tantivy through its Python bindings: the stock `en_stem` tokenizer, aggregations for facets."""

from __future__ import annotations

from pathlib import Path

from bench.engines.base import HITS, TOP_NUMBERS, TOP_YEARS, Engine, Outcome, Session
from bench.engines.documents import read_documents, year_key_range
from bench.queries import Query, render

WRITER_HEAP = 256 * 1024 * 1024  # as our indexer's writer memory
TITLE_BOOST = 2.5

FACETS = {
    "year": {"terms": {"field": "year", "size": 200},
             "aggs": {"month": {"terms": {"field": "month", "size": 13}}}},
    "lang": {"terms": {"field": "lang", "size": 10}},
    "number": {"terms": {"field": "numbers", "size": TOP_NUMBERS}},
    "mentioned_year": {"terms": {"field": "years", "size": TOP_YEARS}},
}


def schema():
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("date", stored=True, tokenizer_name="raw")
    builder.add_text_field("lang", fast=True, tokenizer_name="raw")
    for name in ("datekey", "year", "month", "numbers", "years"):
        builder.add_integer_field(name, indexed=True, fast=True)
    return builder.build()


def query_text(query: Query) -> str:
    """The query in tantivy's query language (words are ANDed by default)."""
    return render(
        query.root,
        word=lambda w: w,
        phrase=lambda p: f'"{p}"',
        and_=lambda pos, neg: " ".join(pos + [f"-{n}" for n in neg]),
        or_=lambda items: "(" + " OR ".join(items) + ")",
        not_=lambda item: f"-{item}",
    )


class TantivySession(Session):
    def __init__(self, index: Path):
        import tantivy

        self.tantivy = tantivy
        self.index = tantivy.Index.open(str(index))
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def _query(self, query: Query):
        t = self.tantivy
        text = self.index.parse_query(query_text(query), ["title", "body"],
                                      field_boosts={"title": TITLE_BOOST},
                                      conjunction_by_default=True)
        parts = [(t.Occur.Must, text)]
        if query.year_from is not None:
            lo, hi = year_key_range(query)
            parts.append((t.Occur.Must, t.Query.range_query(
                self.schema, "datekey", t.FieldType.Integer, lo, hi)))
        if query.number is not None:
            either = t.Query.boolean_query([
                (t.Occur.Should, t.Query.term_query(self.schema, field, query.number))
                for field in ("numbers", "years")
            ])
            parts.append((t.Occur.Must, either))
        return text, (t.Query.boolean_query(parts) if len(parts) > 1 else text)

    def search(self, query: Query) -> Outcome:
        text, full = self._query(query)
        result = self.searcher.search(full, HITS, count=True)
        generator = self.tantivy.SnippetGenerator.create(self.searcher, text, self.schema, "body")
        snippets = 0
        for _, address in result.hits:
            snippets += bool(generator.snippet_from_doc(self.searcher.doc(address)).to_html())
        facets = self.searcher.aggregate(full, FACETS)
        return Outcome(
            total=result.count,
            hits=len(result.hits),
            snippets=snippets,
            facet_values=sum(len(f["buckets"]) for f in facets.values()),
        )


class Tantivy(Engine):
    name = "tantivy"
    description = "tantivy (stock en_stem tokenizer, BM25, snippet generator, aggregations)"
    modules = ("tantivy",)

    def build(self, corpus: Path, index: Path, procs: int = 1, rebuild: bool = True) -> int:
        import tantivy

        index.mkdir(parents=True, exist_ok=True)
        ix = tantivy.Index(schema(), path=str(index))
        writer = ix.writer(heap_size=WRITER_HEAP, num_threads=procs)
        count = 0
        for doc in read_documents(corpus):
            tdoc = tantivy.Document()
            for name, value in (("id", doc.id), ("title", doc.title), ("body", doc.body),
                                ("date", doc.date)):
                tdoc.add_text(name, value)
            for lang in doc.langs:
                tdoc.add_text("lang", lang)
            tdoc.add_integer("datekey", doc.datekey)
            for name, value in (("year", doc.year), ("month", doc.month)):
                if value:  # unknown: no facet value, as in our year facet
                    tdoc.add_integer(name, value)
            for name, values in (("numbers", doc.numbers), ("years", doc.years)):
                for value in values:
                    tdoc.add_integer(name, value)
            writer.add_document(tdoc)
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        return count

    def open(self, index: Path) -> Session:
        return TantivySession(index)
