"""Each language's text is in a column of its own, read by search.exec.texts: the
same text the statement was indexed from, a long one compressed, and never
read as empty when its column is gone."""

from __future__ import annotations

import pytest
from whoosh import index as whoosh_index

from indexer.build import update_index
from search import schema as S
from search.exec import storage
from search.engine import SearchIndex
from search.errors import IndexUnusable
from search.exec.texts import COMPRESS_FROM, Texts, TextsMoved, decode, encode
from tests.conftest import LONG_ID, LONG_NEEDLE
from tests.corpus_tools import small_corpus


@pytest.mark.parametrize("text", ["", "Выборы", "«Так называемые» выборы\n\nНовый абзац",
                                  "Заявление. " * 500])
def test_a_text_comes_back_as_written(text):
    assert decode(encode(text)) == text


def test_a_long_text_is_compressed_and_a_short_one_is_not():
    long = "Заявление МИД России. " * 200
    assert len(long.encode()) >= COMPRESS_FROM
    assert len(encode(long)) < len(long.encode()) / 4
    short = "Выборы в Государственную думу"
    assert encode(short) == b"t" + short.encode()


def test_the_texts_are_in_their_columns_not_in_the_stored_fields(index_dir):
    ix = whoosh_index.open_dir(str(index_dir))
    with ix.searcher() as searcher:
        texts = Texts(searcher)
        langs_seen = set()
        for docnum in searcher.reader().all_doc_ids():
            stored = searcher.stored_fields(docnum)
            assert not set(S.BODY.values()) & set(stored)
            langs = stored[S.LANG].split()
            for lang in S.TEXT:
                text = texts.text(docnum, lang)
                assert bool(text) == (lang in langs), (stored[S.ID], lang)
            langs_seen.update(langs)
            if stored[S.ID] == LONG_ID:
                long = texts.text(docnum, "en")
                assert len(long) > 100_000 and long.count(LONG_NEEDLE) == 1
        assert langs_seen == set(S.TEXT)


def test_a_statement_shows_the_text_it_was_indexed_from(search_index, corpus_dir):
    doc = search_index.document(LONG_ID, query=LONG_NEEDLE)
    (section,) = doc.sections
    written = (corpus_dir / LONG_ID).read_text(encoding="utf-8")
    assert section.lang == "en" and section.text.split() == written.split()  # (lines' ends trimmed)
    assert f"<mark>{LONG_NEEDLE}</mark>" in section.paragraphs_html[-1]


def test_a_text_column_gone_is_reported_as_damage_not_shown_as_empty_text(tmp_path):
    corpus = small_corpus(tmp_path / "corpus", 6, chars=300)
    index = tmp_path / "index"
    update_index(corpus, index)
    with SearchIndex(index) as searcher:
        assert searcher.document("s000.txt").sections  # (the snapshot is taken and its files held)
        column = next(index.glob(f"MAIN_*.{S.TEXT['en']}.col"))
        column.unlink()
        with pytest.raises(IndexUnusable, match=rf"is damaged \(.*{S.TEXT['en']}"):
            searcher.document("s000.txt")


def test_texts_never_read_a_column_whose_file_went_away_as_empty_texts(tmp_path):
    """A commit that merges a segment away deletes its files while a searcher
    may still read it: Whoosh would then give every text as empty."""
    corpus = small_corpus(tmp_path / "corpus", 6, chars=300)
    index = tmp_path / "index"
    update_index(corpus, index)
    with whoosh_index.open_dir(str(index)).searcher() as searcher:
        storage.hold_files(searcher.reader())
        texts = Texts(searcher)
        assert texts.text(0, "en")
        next(index.glob(f"MAIN_*.{S.TEXT['ru']}.col")).unlink()
        with pytest.raises(TextsMoved):
            Texts(searcher).text(0, "ru")
        assert texts.text(1, "en")  # (a column opened before still reads from its open file)
