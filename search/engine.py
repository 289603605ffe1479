"""Running searches: the open index, paging, sorting, facets, snippets, suggestions.

`SearchIndex` is opened once (by the web app, or by `search()` for a script)
and is safe to share between threads: each search runs on its thread's
snapshot of the latest commit (see search.exec.snapshots). Everything it returns
is a plain dataclass.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from whoosh import query as wq

from search import declared
from search.exec import first_page, proximity
from search import schema as S
from search.errors import IndexUnusable  # noqa: F401  (what opening an index raises)
from search.errors import QueryError
from search.fields import MAX_PER_PAGE
from search.exec.matching import resolved_sort
from search.query.build import QueryBuilder
from search.query.parser import parse
from search.registry import Registry
from search.views.reuse_lists import StatementReuse, statement_reuse
from search.results import Document, Filters, Hit, IndexStatus, SearchResult, Section
from search.exec import segment_files
from search.exec.segment_files import ADVICE
from search.exec.scoring import CachedBM25F, LengthNorms
from search.exec.snapshots import Snapshot, Snapshots
from search.exec.snippets import Marker, index_marks, mark_paragraphs, mark_title, snippets
from search.exec.stored import stored_fields
from search.exec.suggest import SUGGEST_BELOW, find_corrected, suggestion
from search.exec.texts import Texts

from search.views import VIEWS
from search.views.view import View, every_line, run

# Related statements are found from the telling terms of a statement's opening
# this long: enough to say what it is about, and a huge one stays cheap.
RELATED_SAMPLE_CHARS = 200_000
# The start of the relevance order a page of hits sorts: enough for the
# proximity window (which reaches further, and then sorts all, when its
# statements mostly hold the words only in their titles).
HEAD = 4 * proximity.DEPTH


class SearchIndex:
    """An index opened for searching; raises IndexUnusable when there is none
    (or one that cannot be used) in `index_dir`. Its `registry` holds its
    filters: the fixed ones and the facets its corpus declares."""

    def __init__(self, index_dir):
        self.index_dir = Path(index_dir)
        self.registry = Registry.for_index(self.index_dir)  # (read once: a new declaration needs a rebuild)
        self.declared = self.registry.declarations  # the corpus's facets, the collection first
        self._norms = LengthNorms()
        self._snapshots = Snapshots(
            self.index_dir, CachedBM25F(self._norms),
            # Forget the length factors of segments merged away.
            on_new_commit=lambda reader: self._norms.keep_only(r for r, _ in reader.leaf_readers()),
            registry=self.registry,
        )

    def close(self) -> None:
        self._snapshots.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def doc_count(self) -> int:
        return self._snapshots.retrying(lambda snap: snap.searcher.doc_count())

    def status(self) -> IndexStatus:
        """Its statements and segments, and how many open slowly (an index written
        before segments had arrays files beside them), with the remedy."""
        def work(snap: Snapshot) -> IndexStatus:
            slow = len(segment_files.missing(snap.searcher.reader()))
            return IndexStatus(snap.searcher.doc_count(), len(snap.table.segment_names), slow,
                               f"its first search after opening is slower: {ADVICE}" if slow else None)
        return self._snapshots.retrying(work)

    # --- search ---------------------------------------------------------------------

    @property
    def credits(self) -> str | None:
        """The corpus's credits line, for every page's footer: read each time (a small
        file), since the indexer rewrites it without a commit when only it changed."""
        return declared.read_credits(self.index_dir)

    def search(
        self,
        query: str = "",
        filters: Filters | None = None,
        sort: str = "relevance",
        page: int = 1,
        per_page: int = 10,
        facets: bool = True,
        with_snippets: bool = True,
        raw: bool = False,
        autocorrect: bool = True,
        suggest: bool = True,
    ) -> SearchResult:
        """Runs a query. Raises QueryError only in raw mode, ValueError on bad paging.

        With `autocorrect`, a query that finds almost nothing because of a
        misspelt word is searched as corrected (the result's `corrected`);
        with `suggest`, such a query offers a respelling (`suggestion`)."""
        started = time.perf_counter()
        if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
            raise ValueError(f"page must be 1 or more and per_page 1 to {MAX_PER_PAGE}")
        filters = Filters() if filters is None else filters  # (one with only exact_names is falsy)
        parsed = parse(query, raw=raw, registry=self.registry)
        sort = resolved_sort(parsed, sort)

        def work(snap: Snapshot):
            used, found, corrected = find_corrected(snap, parsed, filters, sort == "relevance",
                                                    autocorrect and not raw)
            total = found.total
            notices = list(used.notices)
            if found.wquery is wq.NullQuery and query.strip():
                notices.append("Nothing to search for: common words and punctuation are not indexed.")

            first = (page - 1) * per_page
            order, order_scores = _ranked(snap, used, found, sort, first + per_page)
            shown = [
                (None if order_scores is None else order_scores[i], int(order[i]))
                for i in range(first, min(first + per_page, len(order)))
            ]
            hits = self._hits(snap, shown, found.highlights if with_snippets else None)

            offered = None
            # Judged before the filters (total ≤ what the words find): when the
            # words find statements and only the filters remove them, spelling
            # is not the problem.
            if corrected:
                offered = corrected.query
            elif suggest and not raw and not parsed.is_empty and int(found.base.sum()) < SUGGEST_BELOW:
                offered = suggestion(snap, parsed, filters, total)
            return SearchResult(
                query=query,
                parsed=str(used),
                total=total,
                page=page,
                per_page=per_page,
                sort=sort,
                took_ms=(time.perf_counter() - started) * 1000,
                hits=hits,
                facets=snap.table.facets(found.base, filters, found.masks) if facets else {},
                filters=filters,
                suggestion=offered,
                notices=notices,
                corrected=corrected,
            )

        return self._snapshots.retrying(work)

    def count(self, query: str, filters: Filters | None = None, autocorrect: bool = True) -> int:
        """How many statements a query finds (no ranking, no snippets), as `search` counts them."""
        parsed = parse(query, registry=self.registry)
        return self._snapshots.retrying(
            lambda snap: find_corrected(snap, parsed, filters, False, autocorrect)[1].total)

    def hits(self, query: str = "", filters: Filters | None = None, sort: str = "relevance",
             raw: bool = False, autocorrect: bool = True) -> Iterator[Hit]:
        """Every matching statement as a Hit without snippets, in order.

        For exports: a generator reading stored fields one statement at a time,
        all of them from the commit it started on, however many commits follow.
        """
        parsed = parse(query, raw=raw, registry=self.registry)
        sort = resolved_sort(parsed, sort)

        def work(snap: Snapshot):
            used, found, _ = find_corrected(snap, parsed, filters, sort == "relevance", autocorrect and not raw)
            order, scores = found.ordered(snap.table.datekey, sort)
            if sort != "relevance":
                return order, scores
            order, scores = proximity.reranked(snap, used, order, scores)
            return first_page.with_other_language(snap, used, found.wquery, order, scores)

        (order, scores), snap = self._snapshots.retrying(work, detach=True)
        try:
            for i in range(len(order)):
                yield self._hit(snap.searcher, int(order[i]), None if scores is None else scores[i])
        finally:
            self._snapshots.release(snap)

    def _hits(self, snap: Snapshot, shown, highlights) -> list[Hit]:
        """Hits for (score, docnum) pairs, with snippets when there are highlights."""
        searcher = snap.searcher
        if highlights is None or not shown:
            return [self._hit(searcher, docnum, score, stored=stored_fields(searcher, snap.postings, docnum))
                    for score, docnum in shown]
        marks = index_marks(searcher, [docnum for _, docnum in shown], highlights, snap.postings)
        marker, texts = Marker(highlights), Texts(searcher)
        return [self._hit(searcher, docnum, score, marker, marks[docnum], texts,
                          stored_fields(searcher, snap.postings, docnum))
                for score, docnum in shown]

    def _hit(self, searcher, docnum: int, score, marker: Marker | None = None,
             marks: dict | None = None, texts: Texts | None = None, stored: dict | None = None) -> Hit:
        """A hit; with `marks` and `texts`, its snippets (one texts reader for a page of hits);
        `stored`: its stored fields, when read already."""
        stored = searcher.stored_fields(docnum) if stored is None else stored
        return Hit(
            **_described(stored),
            title_html=mark_title(stored.get(S.TITLE, ""), marker),
            score=round(float(score), 4) if score is not None else None,
            snippets=[] if marks is None else
            snippets(texts.sections(stored, docnum), marks),
        )

    # --- single statements ---------------------------------------------------------------

    def document(self, doc_id: str, query: str = "", raw: bool = False) -> Document | None:
        """A whole statement, with the query's matches marked; None if unknown."""

        def work(snap: Snapshot):
            docnum = snap.searcher.document_number(**{S.ID: doc_id})
            if docnum is None:
                return None
            stored = snap.searcher.stored_fields(docnum)
            highlights = None
            if query.strip():
                try:
                    parsed = parse(query, raw=raw, registry=self.registry)
                    _, highlights = QueryBuilder(snap.vocabulary(), self.registry).build(parsed)
                except QueryError:
                    highlights = None
            marker = Marker(highlights) if highlights else None
            marks = index_marks(snap.searcher, [docnum], highlights)[docnum] if highlights else {}
            sections = [
                Section(lang, text, mark_paragraphs(text, marks.get(S.BODY[lang], [])))
                for lang, text in Texts(snap.searcher).sections(stored, docnum)
            ]
            return Document(
                **_described(stored),
                title_html=mark_title(stored.get(S.TITLE, ""), marker),
                numbers=list(stored.get(S.NUMBERS) or []),
                mentioned_years=list(stored.get(S.MENTIONED_YEARS) or []),
                sources=list(stored.get(S.SOURCES) or []),
                sections=sections,
            )

        return self._snapshots.retrying(work)

    def related(self, doc_id: str, limit: int = 5) -> list[Hit]:
        """The statements most like this one, by its most telling terms."""

        def work(snap: Snapshot):
            searcher = snap.searcher
            docnum = searcher.document_number(**{S.ID: doc_id})
            if docnum is None:
                return []
            stored = searcher.stored_fields(docnum)
            terms = []
            for lang, text in Texts(searcher).sections(stored, docnum):
                fieldname = S.BODY[lang]
                for term, weight in searcher.key_terms_from_text(
                        fieldname, text[:RELATED_SAMPLE_CHARS], numterms=12):
                    terms.append(wq.Term(fieldname, term, boost=weight))
            if not terms:
                return []
            results = searcher.search(wq.Or(terms), limit=limit + 1, terms=False)
            return [self._hit(searcher, hit.docnum, hit.score) for hit in results
                    if hit.docnum != docnum][:limit]

        return self._snapshots.retrying(work)

    def reuse_of(self, doc_id: str) -> StatementReuse | None:
        """The statements sharing passages with this one, earliest first (search.views.reuse_lists); None if unknown."""
        return self._snapshots.retrying(lambda snap: statement_reuse(snap, doc_id))


def _view_method(view: View):
    """SearchIndex.<view>(request, or the request's fields): the view's result, from one commit."""

    def method(self, *args, **kwargs):
        return run(view, self._snapshots, view.make(*args, **kwargs))

    method.__name__ = method.__qualname__ = view.name
    method.__doc__ = (f"{view.summary}\n\nTakes a {view.request.__name__} or its fields "
                      f"({', '.join(view.request_fields)}); returns a {view.result.__name__}.")
    return method


def _lines_method(view: View):
    """SearchIndex.<view>_lines(request): every line of its export, all from one commit."""

    def method(self, *args, **kwargs):
        return every_line(view, self._snapshots, view.make(*args, **kwargs))

    method.__name__ = method.__qualname__ = f"{view.name}_lines"
    method.__doc__ = f"Every line of the {view.name}, in order, all from one commit (for exports)."
    return method


# The research views (search.views): a method each, and one for the lines of an export.
for _view in VIEWS:
    setattr(SearchIndex, _view.name, _view_method(_view))
    if _view.lines is not None:
        setattr(SearchIndex, f"{_view.name}_lines", _lines_method(_view))


def _ranked(snap: Snapshot, parsed, found, sort: str, shown: int, head: int = HEAD):
    """The start of the order asked for, at least its first `shown` statements
    (and their scores): the relevance order re-ranked by proximity and with a
    name's other language on the first page. Only the head the re-ranking
    looks at is sorted, unless a name's other language is looked for in the
    whole order, or the proximity window reaches past that head."""
    datekey = snap.table.datekey
    if sort != "relevance":
        return found.ordered(datekey, sort, shown)
    head = None if first_page.applies(parsed, found.wquery) else max(shown, head)
    order, scores = found.ordered(datekey, sort, head)
    ranked = proximity.reranked(snap, parsed, order, scores, whole=head is None or len(order) < head)
    if ranked is None:  # (the window needed more than the head)
        ranked = proximity.reranked(snap, parsed, *found.ordered(datekey, sort))
    return first_page.with_other_language(snap, parsed, found.wquery, *ranked)


def _described(stored: dict) -> dict:
    """What a hit and a whole statement both tell of a statement."""
    return {
        "id": stored[S.ID],
        "title": stored.get(S.TITLE, ""),
        "date": stored.get(S.DATE),
        "number": stored.get(S.DOCNO),
        "languages": stored.get(S.LANG, "").split(),
        "resolutions": list(stored.get(S.RESOLUTIONS) or []),
        "source_url": stored.get(S.URL),
        "metadata": dict(stored.get(S.METADATA) or {}),
    }


def search(index_dir, query: str = "", **options) -> SearchResult:
    """Opens the index, runs one search and closes it: for scripts.

    Example: ``search("index", "выборы", filters=Filters(years=(2020,)))``.
    """
    with SearchIndex(index_dir) as index:
        return index.search(query, **options)
