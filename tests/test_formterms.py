"""The terms the indexer writes for each statement's word forms are the terms
analysis gives them, so key terms counted from them are the index's own."""

from __future__ import annotations

import pytest
from whoosh import index as whoosh_index

from search import schema as S
from search.lang.analysis import WORD_RE
from search.views.formterms import analysed, column_value, read
from search.exec.texts import Texts


@pytest.mark.parametrize("text, lang", [
    ("Из-за позиции ООН России и её союзников: «Нагорно-Карабахский» вопрос, ЁЛКА, ёлка", "ru"),
    ("The UN's Nagorno-Karabakh talks; Armenia’s co-chairs met in 2020 and so on", "en"),
    ("İstanbul ǅemal Straße x", "en"),
    ("", "ru"),
])
def test_a_forms_terms_come_back_as_analysed(text, lang):
    forms = WORD_RE.findall(text)
    assert read(forms, column_value(text, lang)) == {f: analysed(f, lang) for f in dict.fromkeys(forms)}


def test_every_statement_s_column_gives_its_forms_terms(index_dir):
    seen = 0
    with whoosh_index.open_dir(str(index_dir)).searcher() as searcher:
        texts, forms = Texts(searcher), Texts(searcher, S.FORM_TERMS)
        for docnum in searcher.reader().all_doc_ids():
            for lang in S.TEXT:
                text = texts.text(docnum, lang)
                found = read(WORD_RE.findall(text), forms.value(docnum, lang))
                assert found == {f: analysed(f, lang) for f in dict.fromkeys(WORD_RE.findall(text))}
                seen += len(found)
    assert seen > 10_000
