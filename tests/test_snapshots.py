"""A search sees one whole commit, whatever the indexer does meanwhile.

Each test places an indexer commit at the worst moment for the reader: right
after Whoosh has opened a searcher on the old commit (whose segment files the
commit then deletes), in the middle of a streamed export, or by replacing the
whole index directory under an open SearchIndex.
"""

from __future__ import annotations

import html
import json
import shutil
import urllib.error
import urllib.request

import pytest
from whoosh import index as whoosh_index
from whoosh.index import FileIndex

from indexer.build import update_index
from search.engine import SearchIndex
from search.errors import IndexUnusable
from search.results import Filters
from tests.corpus_tools import small_corpus, write_statements
from tests.fixtures_web import running_server

N = 30


def _corpus(dest, year: int, marker: str, n: int = N):
    return write_statements(dest, {
        f"s{i:03d}.txt": f"Statement {i} of {year}\n\n15 March {year}\n\nKeyword {marker}, item {i}.\n"
        for i in range(n)
    })


@pytest.fixture
def two_versions(tmp_path):
    """An index of N statements of 2001 in several segments, and a corpus that
    replaces every one of them with a statement of 2002."""
    old, new = _corpus(tmp_path / "old", 2001, "alphamarker"), _corpus(tmp_path / "new", 2002, "betamarker")
    index_dir = tmp_path / "index"
    update_index(old, index_dir, commit_every=4)
    assert len(whoosh_index.open_dir(str(index_dir)).reader().leaf_readers()) >= 2
    return new, index_dir


def _consistent(result) -> dict[int, int]:
    years = {v.value: v.count for v in result.facets["year"]}
    assert sum(years.values()) == result.total, (result.total, years)
    return years


@pytest.mark.parametrize("moment", ["before its segments are opened", "after the searcher is made"])
def test_a_commit_while_the_searcher_opens_is_never_read_as_empty_columns(two_versions, monkeypatch,
                                                                          moment):
    from whoosh.reading import SegmentReader
    from whoosh.searching import Searcher

    new, index_dir = two_versions
    armed = []

    def commit(of_statements: bool):
        if armed and of_statements:
            # Replaces every statement: the old commit's segment files are deleted.
            update_index(armed.pop(), index_dir, rebuild=True)

    if moment == "before its segments are opened":  # (the table of contents is read)
        opened = SegmentReader.__init__

        def patched(self, storage, schema, segment, *args, **kwargs):
            commit(segment.segment_id().startswith("MAIN"))
            opened(self, storage, schema, segment, *args, **kwargs)

        monkeypatch.setattr(SegmentReader, "__init__", patched)
    else:
        made = Searcher.__init__

        def patched(self, reader, *args, **kwargs):
            made(self, reader, *args, **kwargs)
            commit("body_en" in reader.schema)

        monkeypatch.setattr(Searcher, "__init__", patched)
    english = Filters(langs=("en",))  # every statement of both versions
    with SearchIndex(index_dir) as index:
        armed.append(new)
        assert index.count("", english) == N
        assert not armed, "the commit was not placed"
    with SearchIndex(index_dir) as index:
        armed.append(new)
        result = index.search("", filters=english, per_page=1)
        assert not armed and result.total == N
        assert _consistent(result) == {2002: N}
        assert {v.value: v.count for v in result.facets["lang"]} == {"en": N}


def test_an_export_streams_the_commit_it_started_on(two_versions):
    new, index_dir = two_versions
    with SearchIndex(index_dir) as index:
        hits = index.hits("", sort="date")
        first = next(hits)
        update_index(new, index_dir, rebuild=True)  # deletes every segment the export reads
        rest = list(hits)
        assert sorted([first.id] + [h.id for h in rest]) == [f"s{i:03d}.txt" for i in range(N)]
        assert {h.date[:4] for h in rest} == {"2001"}
        assert _consistent(index.search("")) == {2002: N}


def test_an_index_replaced_under_an_open_one_is_followed(tmp_path):
    index_dir, other = tmp_path / "index", tmp_path / "other"
    update_index(_corpus(tmp_path / "a", 2001, "alphamarker", 40), index_dir)
    update_index(_corpus(tmp_path / "b", 2019, "betamarker", 5), other)
    with SearchIndex(index_dir) as index:
        assert _consistent(index.search("", per_page=100)) == {2001: 40}
        index_dir.rename(tmp_path / "index.old")
        other.rename(index_dir)
        result = index.search("", per_page=100)
        assert _consistent(result) == {2019: 5}
        assert len(result.hits) == 5 and all(h.date.startswith("2019") for h in result.hits)
        assert index.count("alphamarker") == 0 and index.count("betamarker") == 5

        shutil.rmtree(index_dir)
        with pytest.raises(IndexUnusable, match="there is no index in the folder .*python -m indexer"):
            index.search("")
        update_index(_corpus(tmp_path / "c", 2005, "gammamarker", 7), index_dir)
        result = index.search("", per_page=100)
        assert _consistent(result) == {2005: 7} and len(result.hits) == 7
        assert index.document("s006.txt").date.startswith("2005")


def test_a_missing_column_of_a_live_segment_is_damage_not_defaults(tmp_path):
    index_dir = tmp_path / "index"
    update_index(small_corpus(tmp_path / "corpus", 6), index_dir)
    with SearchIndex(index_dir) as index:
        assert index.search("").total == 6
    column = next(index_dir.glob("*.year_col.col"))
    column.unlink()
    with pytest.raises(IndexUnusable, match=r"is damaged \(.*year_col.*\).*--rebuild"):
        with SearchIndex(index_dir) as index:  # (said when it opens, or at the latest when searched)
            index.search("")


SEARCH_PATHS = ("/api/search?q=", "/api/search?q=alphamarker&year=2001", "/api/search.csv?q=",
                "/api/documents/s001.txt", "/?q=alphamarker", "/doc/s001.txt")


def _statuses(url: str) -> dict[str, tuple[int, str]]:
    found = {}
    for path in SEARCH_PATHS:
        try:
            with urllib.request.urlopen(url + path, timeout=30) as response:
                found[path] = (response.status, response.read().decode("utf-8"))
        except urllib.error.HTTPError as err:
            found[path] = (err.code, err.read().decode("utf-8"))
    return found


def _all_unavailable(url: str, says: str) -> None:
    for path, (status, body) in _statuses(url).items():
        assert status == 503, (path, status, body[:300])
        if path.startswith("/api/"):
            assert json.loads(body)["error"]["code"] == "index_unavailable", path
        assert says in html.unescape(body), (path, body[:500])


def _all_served(url: str) -> None:
    for path, (status, body) in _statuses(url).items():
        assert status == 200, (path, status, body[:300])


def test_the_server_says_the_index_is_gone_or_damaged_and_recovers_by_itself(tmp_path):
    index_dir = tmp_path / "index"
    corpus = _corpus(tmp_path / "corpus", 2001, "alphamarker", 12)
    update_index(corpus, index_dir)
    with running_server(index_dir) as url:
        _all_served(url)

        shutil.rmtree(index_dir)
        _all_unavailable(url, f"there is no index in the folder {index_dir}; build it with `python -m indexer")
        update_index(corpus, index_dir)
        _all_served(url)

        column = next(index_dir.glob("*.year_col.col"))
        kept = column.read_bytes()
        column.unlink()
        _all_unavailable(url, f"the index in {index_dir} is damaged (")
        _all_unavailable(url, "year_col")
        column.write_bytes(kept)
        _all_served(url)


@pytest.mark.parametrize("pattern", ["MAIN_*._stored.col", "MAIN_*.pst", "MAIN_*.trm", "_MAIN_*.toc"])
def test_a_garbled_file_is_said_to_be_damage(tmp_path, pattern):
    index_dir = tmp_path / "index"
    update_index(small_corpus(tmp_path / "corpus", 6), index_dir)
    victim = next(index_dir.glob(pattern))
    victim.write_bytes(bytes(range(256)) * (victim.stat().st_size // 256 + 1))
    with pytest.raises(IndexUnusable, match=r"is damaged \(.+\).*--rebuild"):
        with SearchIndex(index_dir) as index:
            index.search("statement")
            list(index.hits(""))


def test_a_table_made_from_kept_segments_equals_one_read_afresh(two_versions):
    """After commits that add, replace and delete, the facet table built from the
    columns kept by segment id is the one a fresh read gives (no stale segment)."""
    import numpy as np

    from search.exec.facets import FacetTable, MultiColumn
    from search.registry import Registry

    new, index_dir = two_versions
    kept: dict = {}
    registry = Registry.for_index(index_dir)

    def both():
        reader = whoosh_index.open_dir(str(index_dir)).reader()
        return FacetTable(reader, kept, registry), FacetTable(reader, registry=registry)

    for step in range(3):
        cached, fresh = both()
        for name in ("live", "year", "month", "lang", "datekey"):
            assert np.array_equal(getattr(cached, name), getattr(fresh, name)), (step, name)
        for f in registry.fields:
            if f.counted and not f.is_range and f.columns:
                a, b = cached.column(f.columns[0]), fresh.column(f.columns[0])
                if isinstance(b, MultiColumn):
                    assert np.array_equal(a.doc, b.doc) and np.array_equal(a.values, b.values), (step, f.name)
                else:
                    assert np.array_equal(a, b), (step, f.name)
        assert kept, "nothing was kept"
        if step == 0:  # every statement replaced by one of 2002, some commits at a time
            update_index(new, index_dir, commit_every=7)
        elif step == 1:  # a third of them gone
            for path in sorted(new.glob("s*.txt"))[::3]:
                path.unlink()
            update_index(new, index_dir)
    assert set(fresh.year[fresh.live]) == {2002}


def test_the_word_list_kept_from_commit_to_commit_is_the_one_read_afresh(tmp_path):
    """The vocabulary's sorted words, merged commit by commit from only the new
    segments, equal a fresh read after additions, merges and a trimming rebuild."""
    from search import schema as S
    from search.exec import storage
    from search.exec.vocabulary import GrowingWordList

    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    growing = GrowingWordList()

    def both():
        words = whoosh_index.open_dir(str(index_dir), indexname=S.VOCABULARY_INDEX)
        with words.reader() as reader:
            return growing.words(reader), storage.vocabulary_words(reader)

    lists = []
    for step in range(8):  # a commit each, with words no statement had (Whoosh merges some)
        write_statements(corpus, {f"s{step}.txt": f"Statement {step}\n\nWord{step}a and "
                                                  f"zebra{step} met «выборы{step}» Ängel{step}.\n"})
        update_index(corpus, index_dir)
        kept, fresh = both()
        assert kept == fresh, step
        lists.append(kept)
    assert "zebra7" in lists[-1] and "zebra7" not in lists[-2]
    for path in sorted(corpus.glob("s*.txt"))[1:]:  # the rebuild drops most words
        path.unlink()
    update_index(corpus, index_dir, rebuild=True)
    kept, fresh = both()
    assert kept == fresh and "zebra7" not in kept and "zebra0" in kept


@pytest.mark.parametrize("new", [0, 1, 7, 40, 400])
def test_new_words_are_merged_into_their_places(new):
    import random

    from search.exec.vocabulary import _merged

    rng = random.Random(new)
    words = sorted({"".join(rng.choice("абвгд") for _ in range(5)) for _ in range(5000)})
    fresh = sorted({"".join(rng.choice("абвгде") for _ in range(rng.randint(1, 7)))
                    for _ in range(new)} - set(words))
    assert _merged(words, fresh) == sorted(words + fresh)


def test_joined_multi_valued_columns_give_each_statement_its_own_values(tmp_path):
    """Numbers and countries mentioned, joined from segments whose distinct
    values differ, are each statement's own (the brute force reads every value)."""
    import numpy as np

    from search import schema as S
    from search.exec import storage
    from search.exec.facets import FacetTable

    countries = ["Azerbaijan", "Armenia", "Germany", "France", "Chile"]
    corpus = write_statements(tmp_path / "corpus", {
        f"s{i:03d}.txt": f"Statement {i}\n\n15 March 2001\n\nOn {countries[i % 5]} and "
                         f"{countries[(i * 3) % 5]}: {i * 7} and {1000 + i % 4} items.\n"
        for i in range(40)
    })
    index_dir = tmp_path / "index"
    update_index(corpus, index_dir, commit_every=6)
    reader = whoosh_index.open_dir(str(index_dir)).reader()
    assert len(reader.leaf_readers()) >= 2
    table = FacetTable(reader, {})
    expected = {
        "numbers": [set(np.frombuffer(b, dtype=np.int64).tolist()) for b in storage.read_column(reader, S.NUMBERS_COL)],
        "mentions": [set(S.unpack_strings(b)) for b in storage.read_column(reader, S.MENTIONS_COL)],
    }
    for name, column in (("numbers", table.numbers), ("mentions", table.column(S.MENTIONS_COL))):
        found = [set() for _ in range(table.size)]
        for doc, value in zip(column.doc, column.values[column.ids]):
            found[doc].add(value.item())
        assert found == expected[name], name
        assert any(len(v) > 1 for v in found), name


def test_a_page_of_hits_is_read_once_and_a_changed_statement_shows_its_new_fields(tmp_path):
    """A hit's stored fields are kept per segment: the page shown again reads
    none, and a statement indexed again (a new segment) shows what it says now."""
    corpus, index_dir = _corpus(tmp_path / "c", 2001, "alphamarker"), tmp_path / "index"
    update_index(corpus, index_dir)
    with SearchIndex(index_dir) as index:
        for _ in range(2):  # (a term's offsets are kept from its second search on)
            first = index.search("alphamarker", sort="date", per_page=N)
        cache = index._snapshots.postings
        reads = cache.reads
        again = index.search("alphamarker", sort="date", per_page=N)
        assert cache.reads == reads and sum(key[1] == "stored" for key in cache._entries) == N
        assert [(h.id, h.title, h.date) for h in again.hits] == [(h.id, h.title, h.date) for h in first.hits]

        (corpus / "s007.txt").write_text("Statement seven, retitled\n\n16 March 2001\n\nKeyword alphamarker.\n",
                                         encoding="utf-8")
        update_index(corpus, index_dir)
        titles = {h.id: h.title for h in index.search("alphamarker", per_page=N).hits}
        assert titles["s007.txt"] == "Statement seven, retitled" and titles["s006.txt"] == "Statement 6 of 2001"
        assert index.document("s007.txt").title == "Statement seven, retitled"
