"""Running searches: the open index, paging, sorting, facets, snippets, suggestions.

`SearchIndex` is opened once (by the web app, or by `search()` for a script)
and is safe to share between threads: each thread keeps its own Whoosh
searcher, refreshed when the indexer commits, and the facet columns are read
once per index generation. Everything it returns is a plain dataclass.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as wq

from search import schema as S
from search.analysis import fold, has_letters, is_stop_word
from search.facets import FacetTable
from search.query import ParsedQuery, QueryBuilder, QueryError, parse
from search.results import SORTS, Document, Filters, Hit, SearchResult, Section
from search.snippets import Marker, mark_paragraphs, mark_title, snippets
from search.vocabulary import Vocabulary

SUGGEST_BELOW = 3  # offer "did you mean" when a query finds fewer statements
MAX_PER_PAGE = 100


class IndexNotFound(Exception):
    """There is no index where one was expected; the message says how to make one."""


@dataclass
class _Snapshot:
    """One thread's view of the index: searchers and the facet table."""

    searcher: object
    words: object  # searcher of the vocabulary index
    table: FacetTable

    def vocabulary(self) -> Vocabulary:
        return Vocabulary(self.words.reader(), self.searcher.reader())


class SearchIndex:
    """An index opened for searching."""

    def __init__(self, index_dir):
        self.index_dir = Path(index_dir)
        where = str(self.index_dir)
        if not whoosh_index.exists_in(where):
            raise IndexNotFound(
                f"there is no index in {self.index_dir}; build it with "
                f"`python -m indexer --index {self.index_dir}`"
            )
        self._ix = whoosh_index.open_dir(where)
        self._words_ix = whoosh_index.open_dir(where, indexname=S.VOCABULARY_INDEX)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._tables: dict[int, FacetTable] = {}
        self._snapshots: list[_Snapshot] = []

    # --- snapshots ---------------------------------------------------------------

    def _snapshot(self) -> _Snapshot:
        snap = getattr(self._local, "snapshot", None)
        if snap is None:
            snap = _Snapshot(self._ix.searcher(), self._words_ix.searcher(), None)
            self._local.snapshot = snap
            with self._lock:
                self._snapshots.append(snap)
        else:
            snap.searcher = snap.searcher.refresh()
            snap.words = snap.words.refresh()
        snap.table = self._table(snap.searcher.reader())
        return snap

    def _table(self, reader) -> FacetTable:
        generation = reader.generation()
        table = self._tables.get(generation)
        if table is None:
            with self._lock:
                table = self._tables.get(generation)
                if table is None:
                    table = FacetTable(reader)
                    # Keep the newest few: threads may still hold older searchers.
                    self._tables = {g: t for g, t in self._tables.items() if g > generation - 3}
                    self._tables[generation] = table
        return table

    def close(self) -> None:
        with self._lock:
            for snap in self._snapshots:
                snap.searcher.close()
                snap.words.close()
            self._snapshots.clear()
        self._local = threading.local()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def doc_count(self) -> int:
        return self._snapshot().searcher.doc_count()

    # --- search ---------------------------------------------------------------------

    def search(
        self,
        query: str = "",
        filters: Filters | None = None,
        sort: str = "relevance",
        page: int = 1,
        per_page: int = 10,
        facets: bool = True,
        snippets: bool = True,
        raw: bool = False,
    ) -> SearchResult:
        """Runs a query. Raises QueryError only in raw mode, ValueError on bad paging."""
        started = time.perf_counter()
        if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
            raise ValueError(f"page must be 1 or more and per_page 1 to {MAX_PER_PAGE}")
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        filters = filters or Filters()
        parsed = parse(query, raw=raw)
        snap = self._snapshot()
        wquery, highlights = QueryBuilder(snap.vocabulary()).build(parsed)
        table = snap.table
        masks = table.filter_masks(filters)
        base = self._matching(snap, parsed, wquery)
        final = table.combine(base, masks)
        total = int(final.sum())
        notices = list(parsed.notices)
        if wquery is wq.NullQuery and query.strip():
            notices.append("Nothing to search for: common words and punctuation are not indexed.")
        if parsed.is_empty and sort == "relevance":
            sort = "-date"

        first = (page - 1) * per_page
        if sort == "relevance":
            ranked = self._ranked(snap, wquery, final if masks else None, first + per_page)
        else:
            ranked = [(None, d) for d in _by_date(final, table.datekey, sort == "-date")]
        marker = Marker(highlights) if snippets else None
        hits = [self._hit(snap.searcher, docnum, score, marker) for score, docnum in ranked[first : first + per_page]]

        suggestion = None
        if total < SUGGEST_BELOW and not raw and not parsed.is_empty:
            suggestion = self._suggestion(snap, parsed, table, masks, total)
        return SearchResult(
            query=query,
            parsed=str(parsed),
            total=total,
            page=page,
            per_page=per_page,
            sort=sort,
            took_ms=(time.perf_counter() - started) * 1000,
            hits=hits,
            facets=table.facets(base, filters, masks) if facets else {},
            filters=filters,
            suggestion=suggestion,
            notices=notices,
        )

    def count(self, query: str, filters: Filters | None = None) -> int:
        """How many statements a query finds (no ranking, no snippets)."""
        parsed = parse(query)
        snap = self._snapshot()
        wquery, _ = QueryBuilder(snap.vocabulary()).build(parsed)
        masks = snap.table.filter_masks(filters or Filters())
        return int(snap.table.combine(self._matching(snap, parsed, wquery), masks).sum())

    def ids(self, query: str = "", filters: Filters | None = None, sort: str = "relevance",
            raw: bool = False):
        """Every matching statement as (id, title, date, number, languages, score), in order.

        For exports: streams without snippets, a chunk of stored fields at a time.
        """
        parsed = parse(query, raw=raw)
        snap = self._snapshot()
        wquery, _ = QueryBuilder(snap.vocabulary()).build(parsed)
        masks = snap.table.filter_masks(filters or Filters())
        final = snap.table.combine(self._matching(snap, parsed, wquery), masks)
        if parsed.is_empty and sort == "relevance":
            sort = "-date"
        if sort == "relevance":
            ranked = self._ranked(snap, wquery, final if masks else None, None)
        else:
            ranked = [(None, d) for d in _by_date(final, snap.table.datekey, sort == "-date")]
        for score, docnum in ranked:
            hit = self._hit(snap.searcher, docnum, score, None)
            yield hit

    def _matching(self, snap: _Snapshot, parsed: ParsedQuery, wquery) -> np.ndarray:
        table = snap.table
        if parsed.is_empty:
            return table.live.copy()
        mask = np.zeros(table.size, dtype=bool)
        if wquery is not wq.NullQuery:
            docs = np.fromiter(snap.searcher.docs_for_query(wquery), dtype=np.int64)
            mask[docs] = True
        return mask

    def _ranked(self, snap: _Snapshot, wquery, allowed: np.ndarray | None, limit: int | None):
        """(score, docnum) by score, ties broken by the newer date."""
        allow = set(np.flatnonzero(allowed).tolist()) if allowed is not None else None
        results = snap.searcher.search(wquery, limit=limit, filter=allow, terms=False)
        datekey = snap.table.datekey
        scored = [(hit.score, hit.docnum) for hit in results]
        scored.sort(key=lambda sd: (-sd[0], -int(datekey[sd[1]])))
        return scored

    def _hit(self, searcher, docnum: int, score, marker: Marker | None) -> Hit:
        stored = searcher.stored_fields(docnum)
        title = stored.get(S.TITLE, "")
        langs = stored.get(S.LANG, "").split()
        return Hit(
            id=stored[S.ID],
            title=title,
            title_html=mark_title(title, marker),
            date=stored.get(S.DATE),
            number=stored.get(S.DOCNO),
            languages=langs,
            score=round(float(score), 4) if score is not None else None,
            snippets=snippets(_sections(stored), marker) if marker else [],
        )

    # --- did you mean ------------------------------------------------------------------

    def _suggestion(self, snap, parsed: ParsedQuery, table, masks, total: int) -> str | None:
        vocabulary = snap.vocabulary()
        text = parsed.text
        replacements = []
        for leaf in parsed.texts():
            if leaf.kind != "word" or not leaf.span:
                continue
            start, end = leaf.span
            if text[start:end] != leaf.text:
                continue
            word = fold(leaf.text)
            if not has_letters(word) or is_stop_word(word):
                continue
            better = vocabulary.correction(word)
            if better:
                if leaf.text[:1].isupper():
                    better = better[:1].upper() + better[1:]
                replacements.append((start, end, better))
        if not replacements:
            return None
        for start, end, better in sorted(replacements, reverse=True):
            text = text[:start] + better + text[end:]
        corrected = parse(text)
        wquery, _ = QueryBuilder(vocabulary).build(corrected)
        found = int(table.combine(self._matching(snap, corrected, wquery), masks).sum())
        return text if found > total else None

    # --- single statements ---------------------------------------------------------------

    def document(self, doc_id: str, query: str = "", raw: bool = False) -> Document | None:
        """A whole statement, with the query's matches marked; None if unknown."""
        snap = self._snapshot()
        docnum = snap.searcher.document_number(**{S.ID: doc_id})
        if docnum is None:
            return None
        stored = snap.searcher.stored_fields(docnum)
        highlights = None
        if query.strip():
            try:
                _, highlights = QueryBuilder(snap.vocabulary()).build(parse(query, raw=raw))
            except QueryError:
                highlights = None
        marker = Marker(highlights) if highlights else None
        sections = [
            Section(lang, text, mark_paragraphs(text, S.BODY[lang], marker))
            for lang, text in _sections(stored)
        ]
        title = stored.get(S.TITLE, "")
        return Document(
            id=stored[S.ID],
            title=title,
            title_html=mark_title(title, marker),
            date=stored.get(S.DATE),
            number=stored.get(S.DOCNO),
            languages=stored.get(S.LANG, "").split(),
            numbers=list(stored.get(S.NUMBERS) or []),
            mentioned_years=list(stored.get(S.MENTIONED_YEARS) or []),
            sources=list(stored.get(S.SOURCES) or []),
            sections=sections,
        )

    def related(self, doc_id: str, limit: int = 5) -> list[Hit]:
        """The statements most like this one, by its most telling terms."""
        snap = self._snapshot()
        searcher = snap.searcher
        docnum = searcher.document_number(**{S.ID: doc_id})
        if docnum is None:
            return []
        stored = searcher.stored_fields(docnum)
        terms = []
        for lang, text in _sections(stored):
            fieldname = S.BODY[lang]
            for term, weight in searcher.key_terms_from_text(fieldname, text, numterms=12):
                terms.append(wq.Term(fieldname, term, boost=weight))
        if not terms:
            return []
        results = searcher.search(wq.Or(terms), limit=limit + 1, terms=False)
        return [
            self._hit(searcher, hit.docnum, hit.score, None)
            for hit in results if hit.docnum != docnum
        ][:limit]


def _sections(stored: dict) -> list[tuple[str, str]]:
    """The statement's language sections, in the order it was written."""
    return [
        (lang, stored[S.BODY[lang]])
        for lang in stored.get(S.LANG, "").split()
        if stored.get(S.BODY[lang])
    ]


def _by_date(mask: np.ndarray, datekey: np.ndarray, newest_first: bool) -> list[int]:
    """Document numbers in the mask by date; undated statements last either way."""
    docs = np.flatnonzero(mask)
    keys = datekey[docs]
    if newest_first:
        order = np.lexsort((docs, -keys))
    else:
        order = np.lexsort((docs, np.where(keys == 0, np.iinfo(np.int64).max, keys)))
    return docs[order].tolist()


def search(index_dir, query: str = "", **options) -> SearchResult:
    """Opens the index, runs one search and closes it: for scripts.

    Example: ``search("index", "выборы", filters=Filters(years=(2020,)))``.
    """
    with SearchIndex(index_dir) as index:
        return index.search(query, **options)
