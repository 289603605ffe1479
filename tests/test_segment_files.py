"""The arrays files written beside each segment (search.exec.segment_files): written
at every commit, merged segments included; an index without them (or with one
cut, overwritten or of another segment) opens and finds exactly the same, and
says it opens slowly."""

from __future__ import annotations

import itertools
import logging
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index

from indexer.build import update_index
from search.exec import segment_files
from search.engine import SearchIndex
from search.results import Filters
from tests.corpus_tools import small_corpus

QUERIES = ("", "выборы", "resolution", "occupation OR territories", '"general assembly"', "Golunov")
FILTERS = (Filters(), Filters(years=(2019, 2020)), Filters(langs=("ru",)), Filters(mentions=("UA",)),
           Filters(number_min=1990, number_max=2000))


def live_segments(index: Path) -> set[str]:
    ix = whoosh_index.open_dir(str(index))
    return {s.segment_id() for s in ix._segments() if s.doc_count_all()}


def arrays_files(index: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in index.glob(f"*{segment_files.SUFFIX}"):
        segment, kind, _ = path.name.split(".")
        found.setdefault(segment, set()).add(kind)
    return found


def answers(index: Path) -> list:
    """What searches, facets, counts and texts of the index show."""
    out = []
    with SearchIndex(index) as ix:
        facets = ix.search("", facets=True).facets  # (and a filter by each declared facet's first value)
        declared = tuple(Filters(declared=((f.name, (facets[f.name][0].value,)),))
                         for f in ix.registry.declared if facets.get(f.name))
        assert declared
        for query in QUERIES:
            for filters in FILTERS + declared:
                result = ix.search(query, filters=filters, facets=True, per_page=50)
                out.append((query, filters, result.total, [(h.id, repr(h.snippets)) for h in result.hits],
                            repr(result.facets)))
                out.append(ix.count(query, filters))
        for hit in itertools.islice(ix.hits("", sort="date"), 60):
            document = ix.document(hit.id)
            out.append(repr(document.sections))
    return out


def status(index: Path):
    with SearchIndex(index) as ix:
        return ix.status()


@pytest.fixture(scope="module")
def indexes(corpus_dir, tmp_path_factory):
    """(the test corpus in several segments, one with a deleted statement; a
    copy without arrays files; the corpus)."""
    root = tmp_path_factory.mktemp("arrays")
    corpus = root / "corpus"
    shutil.copytree(corpus_dir, corpus, ignore=shutil.ignore_patterns("ungdc"))  # (smaller: a loaded machine)
    fast = root / "fast"
    update_index(corpus, fast, commit_every=15)
    changed = sorted(corpus.glob("seed/*.txt"))[0]  # (replaced: its old segment deletes it)
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nAmended later.\n", encoding="utf-8")
    update_index(corpus, fast)
    slow = root / "slow"
    shutil.copytree(fast, slow)
    for path in slow.glob(f"*{segment_files.SUFFIX}"):
        path.unlink()
    return fast, slow, corpus


@pytest.fixture(scope="module")
def expected(indexes):
    return answers(indexes[1])  # (read value by value from the segments, as before the files)


def test_every_live_segment_gets_its_files_at_commit(indexes):
    fast = indexes[0]
    segments = live_segments(fast)
    assert len(segments) >= 2
    assert arrays_files(fast) == {s: {segment_files.FACETS, segment_files.TEXTS} for s in segments}
    assert status(fast).slow_segments == 0


def test_an_index_without_the_files_finds_the_same_and_says_it_opens_slowly(indexes, expected, caplog):
    fast, slow, _corpus = indexes
    assert answers(fast) == expected
    with caplog.at_level(logging.WARNING):
        found = status(slow)
    assert found.slow_segments == found.segments == len(live_segments(slow))
    assert "python -m indexer" in found.advice
    assert any("opens slowly" in r.getMessage() for r in caplog.records)


def test_a_run_of_the_indexer_writes_the_files_an_older_index_lacks(indexes, expected, tmp_path):
    _fast, slow, corpus = indexes
    old = tmp_path / "old"
    shutil.copytree(slow, old)
    summary = update_index(corpus, old)
    assert summary.commits == 0
    assert set(arrays_files(old)) == live_segments(old)
    assert status(old).slow_segments == 0
    assert answers(old) == expected


def test_a_file_written_before_the_value_order_was_kept_counts_the_same(indexes, expected, tmp_path):
    """Facets files without each column's documents in value order (the arrays
    `Part.runs` counts by) are trusted, and the order is worked out on first use."""
    fast, _slow, _corpus = indexes
    older = tmp_path / "older"
    shutil.copytree(fast, older)
    ix = whoosh_index.open_dir(str(older))
    for segment in ix._segments():
        if segment.doc_count_all():
            arrays = segment_files.load(older, segment, segment.doc_count_all(), segment_files.FACETS)
            kept = {name: np.array(a) for name, a in arrays.items() if not name.endswith(".by_value")}
            assert len(kept) < len(arrays)
            segment_files.write(older, segment, segment_files.FACETS, kept)
    with SearchIndex(older) as ix:  # (each file read, none left for the columns read value by value)
        assert ix._snapshots.current().table.slow() == {}
    assert answers(older) == expected


def test_merged_segments_get_their_files_and_merged_away_ones_lose_theirs(tmp_path):
    corpus = small_corpus(tmp_path / "corpus", 24)
    index = tmp_path / "index"
    update_index(corpus, index, commit_every=2)  # (12 commits: Whoosh merges the small segments)
    segments = live_segments(index)
    assert len(segments) < 12
    assert arrays_files(index) == {s: {segment_files.FACETS, segment_files.TEXTS} for s in segments}
    ix = whoosh_index.open_dir(str(index))
    writer = ix.writer(compound=False)  # (as the indexer writes)
    writer.add_document(id="extra.txt")  # (a segment of its own, then everything merged into one)
    writer.commit()
    ix.writer(compound=False).commit(optimize=True)  # another writer merging: it calls write_missing then
    assert segment_files.write_missing(ix) == 2
    assert set(arrays_files(index)) == live_segments(index) and len(live_segments(index)) == 1
    with SearchIndex(index) as searched:
        assert searched.doc_count == 25 and searched.search("", facets=True).total == 25
        assert searched.status().slow_segments == 0


def _payload_start(path: Path) -> int:
    (length,) = struct.unpack("<Q", path.read_bytes()[8:16])
    return segment_files._aligned(16 + length)


def _cut(path: Path, _other: Path) -> None:
    path.write_bytes(path.read_bytes()[:-100])


def _overwrite_first_value(path: Path, _other: Path) -> None:
    data = bytearray(path.read_bytes())
    data[_payload_start(path)] ^= 0x55  # (the first array's first value: same size, other bytes)
    path.write_bytes(bytes(data))


def _another_segments(path: Path, other: Path) -> None:
    shutil.copyfile(other, path)


@pytest.mark.parametrize("kind", [segment_files.FACETS, segment_files.TEXTS])
@pytest.mark.parametrize("damage", [_cut, _overwrite_first_value, _another_segments])
def test_a_file_not_as_written_is_never_trusted(indexes, expected, tmp_path, kind, damage, caplog):
    index = tmp_path / "index"
    shutil.copytree(indexes[0], index)
    first, second = sorted(live_segments(index))[:2]
    damage(index / f"{first}.{kind}{segment_files.SUFFIX}", index / f"{second}.{kind}{segment_files.SUFFIX}")
    with caplog.at_level(logging.WARNING):
        assert answers(index) == expected
    assert any("is not used" in r.getMessage() for r in caplog.records)
    assert status(index).slow_segments == 1


def test_the_api_and_the_cli_say_how_many_segments_open_slowly(indexes):
    from click.testing import CliRunner

    from search.__main__ import main
    from webui import create_app

    fast, slow, _corpus = indexes
    for index, slow_segments in ((fast, 0), (slow, len(live_segments(slow)))):
        client = create_app({"TESTING": True, "INDEX_DIR": str(index)}).test_client()
        described = client.get("/api").get_json()["index"]
        assert described["slow_segments"] == slow_segments
        assert (described["advice"] is None) == (slow_segments == 0)
        said = CliRunner().invoke(main, ["--info", "--index", str(index)])
        assert said.exit_code == 0 and ("without arrays files" in said.output) == bool(slow_segments)
