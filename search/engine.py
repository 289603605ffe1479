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
from search.errors import IndexUnusable
from search.facets import FacetTable
from search.errors import QueryError
from search.query_build import QueryBuilder
from search.query_parser import parse
from search.query_tree import ParsedQuery
from search.results import SORTS, Document, Filters, Hit, SearchResult, Section
from search.scoring import CachedBM25F, LengthNorms
from search.snippets import Marker, index_marks, mark_paragraphs, mark_title, snippets
from search.vocabulary import Vocabulary

RETRIES = 3  # attempts at a search while the indexer keeps committing
SUGGEST_BELOW = 3  # offer "did you mean" when a query finds fewer statements
MAX_PER_PAGE = 100


@dataclass
class _Snapshot:
    """One thread's view of the index: searchers and the facet table."""

    searcher: object
    words: object  # searcher of the vocabulary index
    table: FacetTable
    word_list: list | None = None  # the vocabulary's words, sorted

    def vocabulary(self) -> Vocabulary:
        return Vocabulary(self.word_list, self.searcher.reader())


class SearchIndex:
    """An index opened for searching."""

    def __init__(self, index_dir):
        self.index_dir = Path(index_dir)
        where = str(self.index_dir)
        if not whoosh_index.exists_in(where):
            raise IndexUnusable(
                f"there is no index in {self.index_dir}; build it with "
                f"`python -m indexer --index {self.index_dir}`"
            )
        try:
            self._ix, self._words_ix = S.open_indexes(where)
        except IndexUnusable as err:
            raise IndexUnusable(
                f"the index in {self.index_dir} cannot be used: {err}; rebuild it with "
                f"`python -m indexer --rebuild --index {self.index_dir}`"
            ) from None
        self._local = threading.local()
        self._lock = threading.Lock()
        self._tables: dict[int, FacetTable] = {}
        self._word_lists: dict[int, list[str]] = {}
        self._snapshots: list[_Snapshot] = []
        self._norms = LengthNorms()
        self._weighting = CachedBM25F(self._norms)

    # --- snapshots ---------------------------------------------------------------

    def _snapshot(self) -> _Snapshot:
        snap = getattr(self._local, "snapshot", None)
        if snap is None:
            snap = _Snapshot(self._ix.searcher(weighting=self._weighting),
                             self._words_ix.searcher(), None)
            self._local.snapshot = snap
            with self._lock:
                self._snapshots.append(snap)
        else:
            snap.searcher = _latest(self._ix, snap.searcher, self._weighting)
            snap.words = _latest(self._words_ix, snap.words)
        snap.table = self._table(snap.searcher.reader())
        snap.word_list = self._word_list(snap.words.reader())
        return snap

    def _table(self, reader) -> FacetTable:
        def make(reader):
            self._norms.keep_only(r for r, _ in reader.leaf_readers())
            return FacetTable(reader)

        # Keep the newest few: threads may still hold older searchers.
        return self._per_generation(self._tables, reader, make, keep=3)

    def _word_list(self, reader) -> list[str]:
        """The vocabulary's words, read once per vocabulary commit."""
        return self._per_generation(self._word_lists, reader, S.vocabulary_words, keep=2)

    def _per_generation(self, cache: dict, reader, make, keep: int):
        """make(reader), computed once per index generation; `cache` keeps the
        newest `keep` generations."""
        generation = reader.generation()
        if generation is None:  # an index with no segments
            generation = -1
        found = cache.get(generation)
        if found is None:
            with self._lock:
                found = cache.get(generation)
                if found is None:
                    found = make(reader)
                    for old in [g for g in cache if g <= generation - keep]:
                        del cache[old]
                    cache[generation] = found
        return found

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
        if parsed.is_empty and sort == "relevance":
            sort = "-date"

        def work(snap: _Snapshot):
            wquery, highlights = QueryBuilder(snap.vocabulary()).build(parsed)
            table = snap.table
            masks = table.filter_masks(filters)
            base, docs, scores = self._run(snap, parsed, wquery, scored=sort == "relevance")
            final = table.combine(base, masks)
            total = int(final.sum())
            notices = list(parsed.notices)
            if wquery is wq.NullQuery and query.strip():
                notices.append("Nothing to search for: common words and punctuation are not indexed.")

            first = (page - 1) * per_page
            order, order_scores = _ordered(final, docs, scores, table.datekey, sort)
            shown = [
                (None if order_scores is None else order_scores[i], int(order[i]))
                for i in range(first, min(first + per_page, len(order)))
            ]
            hits = self._hits(snap.searcher, shown, highlights if snippets else None)

            suggestion = None
            # Judged before the filters (total ≤ what the words find): when the
            # words find statements and only the filters remove them, spelling
            # is not the problem.
            if not raw and not parsed.is_empty and int(base.sum()) < SUGGEST_BELOW:
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

        return self._retrying(work)

    def count(self, query: str, filters: Filters | None = None) -> int:
        """How many statements a query finds (no ranking, no snippets)."""
        parsed = parse(query)

        def work(snap: _Snapshot):
            wquery, _ = QueryBuilder(snap.vocabulary()).build(parsed)
            masks = snap.table.filter_masks(filters or Filters())
            base, _, _ = self._run(snap, parsed, wquery, scored=False)
            return int(snap.table.combine(base, masks).sum())

        return self._retrying(work)

    def ids(self, query: str = "", filters: Filters | None = None, sort: str = "relevance",
            raw: bool = False):
        """Every matching statement as a Hit without snippets, in order.

        For exports: a generator, reading stored fields one statement at a time.
        """
        parsed = parse(query, raw=raw)
        filters = filters or Filters()
        if parsed.is_empty and sort == "relevance":
            sort = "-date"

        def work(snap: _Snapshot):
            wquery, _ = QueryBuilder(snap.vocabulary()).build(parsed)
            masks = snap.table.filter_masks(filters)
            base, docs, scores = self._run(snap, parsed, wquery, scored=sort == "relevance")
            order, scores = _ordered(snap.table.combine(base, masks), docs, scores,
                                     snap.table.datekey, sort)
            # The first hit is read here, where a retry is still possible: it
            # opens the stored-fields file, which then stays readable.
            first = [self._hit(snap.searcher, int(order[0]), None if scores is None else scores[0])] if len(order) else []
            return snap.searcher, order, scores, first

        searcher, order, scores, first = self._retrying(work)
        yield from first
        for i in range(1, len(order)):
            yield self._hit(searcher, int(order[i]), None if scores is None else scores[i])

    def _retrying(self, work):
        """Runs work(snapshot); if it fails because the indexer committed
        meanwhile (a commit deletes the files of merged segments, and Whoosh
        opens some files only when first read), runs it again on the new commit."""
        for attempt in range(RETRIES):
            snap = None
            try:
                snap = self._snapshot()
                return work(snap)
            except Exception:
                if attempt == RETRIES - 1 or (snap is not None and snap.searcher.up_to_date()):
                    raise
                self._discard_snapshot()

    def _discard_snapshot(self) -> None:
        """Closes this thread's searchers; the next call opens fresh ones."""
        snap = getattr(self._local, "snapshot", None)
        self._local.snapshot = None
        if snap is None:
            return
        with self._lock:
            if snap in self._snapshots:
                self._snapshots.remove(snap)
        for searcher in (snap.searcher, snap.words):
            try:
                searcher.close()
            except Exception:  # its files may be gone already; nothing to release then
                pass

    def _run(self, snap: _Snapshot, parsed: ParsedQuery, wquery, scored: bool):
        """(mask of matching statements, their docnums, their scores) in one pass
        over the index; docnums and scores only when `scored`."""
        table = snap.table
        if parsed.is_empty:
            return table.live.copy(), None, None
        mask = np.zeros(table.size, dtype=bool)
        if wquery is wq.NullQuery or not table.size:  # (Whoosh cannot score an empty index)
            return mask, None, None
        if not scored:
            mask[np.fromiter(snap.searcher.docs_for_query(wquery), dtype=np.int64)] = True
            return mask, None, None
        # Every match is scored anyway (the facets need them all); Whoosh's
        # block-skipping optimisation only slows this case down.
        pairs = snap.searcher.search(wquery, limit=None, optimize=False, terms=False).top_n
        docs = np.fromiter((d for _, d in pairs), dtype=np.int64, count=len(pairs))
        scores = np.fromiter((sc for sc, _ in pairs), dtype=np.float64, count=len(pairs))
        mask[docs] = True
        return mask, docs, scores

    def _hits(self, searcher, shown, highlights) -> list[Hit]:
        """Hits for (score, docnum) pairs, with snippets when there are highlights."""
        if highlights is None or not shown:
            return [self._hit(searcher, docnum, score) for score, docnum in shown]
        marks = index_marks(searcher, [docnum for _, docnum in shown], highlights)
        marker = Marker(highlights)
        return [self._hit(searcher, docnum, score, marker, marks[docnum]) for score, docnum in shown]

    def _hit(self, searcher, docnum: int, score, marker: Marker | None = None,
             marks: dict | None = None) -> Hit:
        stored = searcher.stored_fields(docnum)
        return Hit(
            **_described(stored),
            title_html=mark_title(stored.get(S.TITLE, ""), marker),
            score=round(float(score), 4) if score is not None else None,
            snippets=snippets(_sections(stored), marks) if marks is not None else [],
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
        found = int(table.combine(self._run(snap, corrected, wquery, scored=False)[0], masks).sum())
        return text if found > total else None

    # --- single statements ---------------------------------------------------------------

    def document(self, doc_id: str, query: str = "", raw: bool = False) -> Document | None:
        """A whole statement, with the query's matches marked; None if unknown."""

        def work(snap: _Snapshot):
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
            marks = index_marks(snap.searcher, [docnum], highlights)[docnum] if highlights else {}
            sections = [
                Section(lang, text, mark_paragraphs(text, marks.get(S.BODY[lang], [])))
                for lang, text in _sections(stored)
            ]
            return Document(
                **_described(stored),
                title_html=mark_title(stored.get(S.TITLE, ""), marker),
                numbers=list(stored.get(S.NUMBERS) or []),
                mentioned_years=list(stored.get(S.MENTIONED_YEARS) or []),
                sources=list(stored.get(S.SOURCES) or []),
                sections=sections,
            )

        return self._retrying(work)

    def related(self, doc_id: str, limit: int = 5) -> list[Hit]:
        """The statements most like this one, by its most telling terms."""

        def work(snap: _Snapshot):
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
            return [self._hit(searcher, hit.docnum, hit.score) for hit in results
                    if hit.docnum != docnum][:limit]

        return self._retrying(work)


def _latest(ix, searcher, weighting=None):
    """The searcher if it shows the latest commit, else a new one that does.

    Not Searcher.refresh(): it reuses segment readers by segment id, so a
    reused reader keeps the deletions it was opened with, and it also keeps
    segments that a merge has replaced; and it cannot refresh a searcher of
    an index with no segments.
    """
    if searcher.up_to_date():
        return searcher
    searcher.close()
    return ix.searcher(weighting=weighting) if weighting is not None else ix.searcher()


def _described(stored: dict) -> dict:
    """What a hit and a whole statement both tell of a statement."""
    return {
        "id": stored[S.ID],
        "title": stored.get(S.TITLE, ""),
        "date": stored.get(S.DATE),
        "number": stored.get(S.DOCNO),
        "languages": stored.get(S.LANG, "").split(),
    }


def _sections(stored: dict) -> list[tuple[str, str]]:
    """The statement's language sections, in the order it was written."""
    return [
        (lang, stored[S.BODY[lang]])
        for lang in stored.get(S.LANG, "").split()
        if stored.get(S.BODY[lang])
    ]


def _ordered(final: np.ndarray, docs, scores, datekey: np.ndarray, sort: str):
    """Docnums of the statements in `final`, in the order asked for, with their
    scores (or None). By relevance, equal scores go to the newer statement;
    by date, undated statements come last either way."""
    if sort == "relevance" and scores is not None:
        keep = final[docs]
        docs, scores = docs[keep], scores[keep]
        order = np.lexsort((-datekey[docs], -scores))
        return docs[order], scores[order].round(4)
    docs = np.flatnonzero(final)
    keys = datekey[docs]
    if sort == "-date":
        order = np.lexsort((docs, -keys))
    else:
        order = np.lexsort((docs, np.where(keys == 0, np.iinfo(np.int64).max, keys)))
    return docs[order], None


def search(index_dir, query: str = "", **options) -> SearchResult:
    """Opens the index, runs one search and closes it: for scripts.

    Example: ``search("index", "выборы", filters=Filters(years=(2020,)))``.
    """
    with SearchIndex(index_dir) as index:
        return index.search(query, **options)
