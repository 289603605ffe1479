"""A damaged index is said plainly: the indexer exits 2 naming what it found and
the command that rebuilds it, never doubles or loses statements, and
`--rebuild` makes it whole again."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from whoosh import index as whoosh_index

from indexer.__main__ import main
from indexer.build import update_index
from search.errors import IndexUnusable
from tests.corpus_tools import small_corpus, stored

STATEMENTS = 12


@pytest.fixture
def built(tmp_path):
    """(corpus, index) of twelve statements in three segments."""
    corpus = small_corpus(tmp_path / "corpus", STATEMENTS, chars=400)
    index = tmp_path / "index"
    assert update_index(corpus, index, commit_every=4).commits == 3
    return corpus, index


def indexer(corpus: Path, index: Path, *args):
    return CliRunner().invoke(main, ["--corpus", str(corpus), "--index", str(index), "-q", *args])


def one(index: Path, pattern: str) -> Path:
    found = sorted(index.glob(pattern))
    assert found, pattern
    return found[0]


def garble(path: Path, start: float = 0.3, share: float = 0.4) -> None:
    """Overwrites part of a file with noise, as a bad disk or a stray write would."""
    data = bytearray(path.read_bytes())
    noise = random.Random(path.name)
    begin = int(len(data) * start)
    for i in range(begin, begin + max(int(len(data) * share), 1)):
        data[i] = noise.randrange(256)
    st = path.stat()
    path.write_bytes(bytes(data))
    # Damage comes later than the commit; a file system's coarse clock could
    # otherwise give the write the commit's own time.
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))


def remove_group_column(index):
    one(index, "MAIN_*.group.col").unlink()


def remove_year_column(index):
    one(index, "MAIN_*.year_col.col").unlink()


def garble_toc(index):
    garble(one(index, "_MAIN_*.toc"), start=0.0, share=1.0)


def truncate_terms(index):
    path = one(index, "MAIN_*.trm")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def garble_postings(index):
    garble(one(index, "MAIN_*.pst"))


def garble_stored_fields(index):
    garble(one(index, "MAIN_*._stored.col"))


def cut_year_column_at_a_value(index):
    """Cut where a value ends: its own check reads the rest as trailing default values."""
    path = one(index, "MAIN_*.year_col.col")
    path.write_bytes(path.read_bytes()[:2])


def overwrite_ids_in_place(index):
    """Bytes no writer wrote, the size unchanged: the column's own checks cannot see it."""
    path = one(index, "MAIN_*.id.col")
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 16] = b"\xff" * 16
    st = path.stat()
    path.write_bytes(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))


def swap_years_in_place(index):
    """Other values that read well, the size unchanged: a silent wrong facet but for the checksum."""
    path = one(index, "MAIN_*.year_col.col")
    data = path.read_bytes()
    st = path.stat()
    path.write_bytes(data[::-1][: len(data)] if data[::-1] != data else bytes(len(data)))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))


DAMAGE = [remove_group_column, remove_year_column, garble_toc, truncate_terms, garble_postings,
          garble_stored_fields, cut_year_column_at_a_value, overwrite_ids_in_place, swap_years_in_place]


@pytest.mark.parametrize("damage", DAMAGE, ids=[d.__name__ for d in DAMAGE])
def test_the_indexer_says_the_index_is_damaged_and_rebuild_mends_it(built, damage):
    corpus, index = built
    damage(index)
    for _ in range(2):  # and it stays so: nothing is written over a damaged index
        result = indexer(corpus, index)
        assert result.exit_code == 2, result.output
        assert f"the index in {index} is damaged (" in result.output
        assert "rebuild it with `python -m indexer --rebuild`" in result.output
        assert "Traceback" not in result.output
    result = indexer(corpus, index, "--rebuild", "--json")
    assert result.exit_code == 0, result.output
    docs = stored(index)
    assert len(docs) == STATEMENTS and sorted(docs) == [f"s{i:03d}.txt" for i in range(STATEMENTS)]
    again = indexer(corpus, index, "--json")
    assert again.exit_code == 0 and '"unchanged": 12' in again.output


@pytest.mark.parametrize("damage", [remove_group_column, remove_year_column, truncate_terms],
                         ids=lambda d: d.__name__)
def test_the_cheap_check_finds_missing_and_truncated_files(built, damage):
    from search.exec.integrity import check_index

    corpus, index = built
    check_index(whoosh_index.open_dir(str(index)))
    damage(index)
    with pytest.raises(IndexUnusable, match=r"is damaged \(.*\); rebuild it with `python -m indexer --rebuild`"):
        check_index(whoosh_index.open_dir(str(index)))


def test_a_cut_column_is_never_served_as_other_values(built):
    """The year facets of a column cut at a value's end would count every later
    statement as undated: the server says the index is damaged instead."""
    from webui import create_app

    corpus, index = built
    client = create_app({"TESTING": True, "INDEX_DIR": str(index)}).test_client()
    years = client.get("/api/search?q=").get_json()["facets"]["year"]
    assert sum(v["count"] for v in years) == STATEMENTS
    cut_year_column_at_a_value(index)
    fresh = create_app({"TESTING": True, "INDEX_DIR": str(index)}).test_client()
    answer = fresh.get("/api/search?q=")
    assert answer.status_code == 503
    assert "year_col.col holds 2 bytes; it was written with" in answer.get_json()["error"]["message"]


def test_a_missing_column_names_the_file(built):
    corpus, index = built
    column = one(index, "MAIN_*.group.col")
    column.unlink()
    result = indexer(corpus, index)
    assert f"{column.name} is missing" in result.output
