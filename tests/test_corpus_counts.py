"""The analysed corpus exported from the shipped corpus's index, and the corpus-wide
counts run as Dask jobs over it: the same numbers as the single-machine views."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from search.results import Filters
from search.views.keyterms import MAX_SAMPLE, KeyTermsRequest
from search.views.trend import TrendRequest

# (the export analyses the whole shipped corpus again: about 15 s of CPU)
pytestmark = pytest.mark.timeout(900)
pytest.importorskip("pyarrow")
pytest.importorskip("dask")
from search.__main__ import export_main  # noqa: E402
from search.analysed import read_rows  # noqa: E402
from search.corpus_counts import collection_keyterms, trend  # noqa: E402


@pytest.fixture(scope="module")
def dataset(index_dir, tmp_path_factory):
    where = tmp_path_factory.mktemp("analysed") / "corpus"
    result = CliRunner().invoke(export_main, ["--index", str(index_dir), "--format", "parquet",
                                              "--output", str(where)])
    assert result.exit_code == 0, result.output
    return where


def test_the_export_has_every_statement_with_its_tokens(dataset, search_index):
    rows = read_rows(dataset)
    assert len(rows) == search_index.search("", per_page=1).total
    seed = next(r for r in rows if r["id"] == "seed/000_2961365e15364d64.txt")
    assert sorted(seed["langs"]) == ["en", "ru"] and seed["collection"] == "seed"
    token = next(t for t in seed["tokens_ru"] if t["form"] == "выборов")
    assert "выборы" in token["lemmas"]
    assert seed["text_ru"][token["start"]:token["end"]].lower() == "выборов"
    assert any("S/RES/822 (1993)" in r["resolutions"] for r in rows)
    assert any("AZ" in r["mentions"] for r in rows)


def test_json_lines_hold_the_statements_a_search_finds(dataset, index_dir, search_index, tmp_path):
    out = tmp_path / "corpus.jsonl"
    result = CliRunner().invoke(export_main, ["выборы", "--lang", "ru", "--index", str(index_dir),
                                              "--format", "jsonl", "--output", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    found = [h.id for h in search_index.hits("выборы", Filters(langs=("ru",)), autocorrect=False)]
    assert sorted(x["id"] for x in lines) == sorted(found) and len(found) > 5
    rows = {r["id"]: r for r in read_rows(dataset)}
    order = [r for r in rows if r in set(found)]
    assert [x["id"] for x in lines] == order  # (the indexer's order, as the whole corpus's)
    assert all(x["tokens_ru"] == rows[x["id"]]["tokens_ru"] and x["tokens_en"] == rows[x["id"]]["tokens_en"]
               for x in lines)
    assert isinstance(lines[0]["metadata"], dict) and "form_terms_en" not in lines[0]


def test_an_export_of_a_declared_facet_has_its_statements_only(index_dir, search_index, tmp_path):
    where = tmp_path / "seed"
    result = CliRunner().invoke(export_main, ["--facet", "collection=seed", "--index", str(index_dir),
                                              "--output", str(where)])
    assert result.exit_code == 0, result.output
    exported = read_rows(where)
    seed = search_index.count("", Filters(declared=(("collection", ("seed",)),)))
    assert len(exported) == seed > 0 and {r["collection"] for r in exported} == {"seed"}


def test_an_export_never_writes_over_a_folder(dataset, index_dir):
    result = CliRunner().invoke(export_main, ["--index", str(index_dir), "--output", str(dataset)])
    assert result.exit_code == 2 and "not empty" in result.output


@pytest.mark.parametrize("word", ["выборы", "ceasefire", "development"])
def test_a_words_trend_over_the_corpus_is_the_trend_views(dataset, search_index, word):
    view = search_index.trend(TrendRequest(queries=[word], period="year"))
    series = view.series[0]
    shown = {p.key: (c, t) for p, c, t in zip(view.periods, series.counts, series.totals)}
    ours = {row["period"]: (row["count"], row["total"]) for row in trend(dataset, word, "year")}
    assert {k: ours.get(k, (0, 0)) for k in shown} == shown
    assert sum(c for c, _ in ours.values()) == series.placed > 0


@pytest.mark.parametrize("collection", ["Addresses of the President of Ukraine", "seed"])
def test_a_collections_key_terms_over_the_corpus_are_the_key_terms_views(dataset, search_index,
                                                                         collection):
    view = search_index.keyterms(KeyTermsRequest(
        query="", filters=Filters(declared=(("collection", (collection,)),)), sample=MAX_SAMPLE))
    assert view.sampled == view.matched  # (every statement of the collection read)
    ours = collection_keyterms(dataset, collection)
    assert [x.as_dict() for x in ours] == [x.as_dict() for x in view.languages]
    assert any(x.terms for x in ours)
