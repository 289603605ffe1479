"""PDF and Word documents: real files made here, read, indexed and searched."""

import io
import zipfile

import pytest
from reportlab.lib import pdfencrypt

from indexer.formats.docx import read_docx
from indexer.formats.pdf import dehyphenate, judge, read_pdf
from search import SearchIndex
from search.errors import ReadError
from tests.documents_made import (found, index_corpus, sections, ENGLISH_PAGE, RUSSIAN_PAGE, W_NS, make_docx, make_pdf, needs_font,
                                  simple_docx)

pytestmark = needs_font


def test_pdf_with_an_english_and_a_russian_page(tmp_path):
    summary, index = index_corpus(tmp_path, {"s.pdf": make_pdf([ENGLISH_PAGE, RUSSIAN_PAGE])})
    assert not summary.problems and not summary.warnings and summary.added == 1
    with SearchIndex(index) as ix:
        hit = ix.search("выборах").hits[0]  # the PDF says «выборы»
        assert hit.id == "s.pdf" and hit.languages == ["en", "ru"]
        assert hit.title == "Statement by the Ministry of Foreign Affairs"
    assert found(index, "election") == ["s.pdf"]
    # Words hyphenated at line ends are whole again, in both languages
    assert found(index, '"sustainable development"') == ["s.pdf"]
    assert found(index, "мероприятия") == ["s.pdf"]
    text = sections(index, "s.pdf")
    assert "Nagorno-Karabakh" in text["en"] and "Нагорно-Карабахского" in text["ru"]
    assert "мероприятий противоречит" in text["ru"]


def test_two_columns_are_read_one_after_the_other(tmp_path):
    left = ["The Ministry notes with concern", "that occupied territories must", "be returned without delay."]
    right = ["Negotiations will resume", "in Geneva next month under", "the co-chairs' auspices."]
    summary, index = index_corpus(tmp_path, {"cols.pdf": make_pdf([(left, right)])})
    assert not summary.problems
    text = sections(index, "cols.pdf")["en"]
    assert text.index("returned without delay") < text.index("Negotiations will resume")
    assert found(index, '"occupied territories must be returned"') == ["cols.pdf"]
    assert found(index, '"concern negotiations"') == []  # left line 1 + right line 1 would say so


def test_pages_without_words_need_ocr_and_the_rest_is_indexed(tmp_path):
    # Cyrillic shown through a font without a Unicode map reads as Latin-1 letters.
    garbled = [line.encode("cp1251").decode("latin-1") for line in RUSSIAN_PAGE]
    pdf = make_pdf([ENGLISH_PAGE, "image", "blank", garbled, "image"])
    summary, index = index_corpus(tmp_path, {"scan.pdf": pdf, "other.txt": b"Other statement"})
    assert not summary.problems and summary.added == 2
    [warning] = summary.warnings
    assert warning.path == "scan.pdf"
    assert warning.reason == ("pages 2, 5 without a text layer and page 4 whose text is not words "
                              "(a font without a Unicode map): not indexed, they need OCR")
    assert found(index, "ceasefire") == ["scan.pdf"]
    assert "Ç" not in sections(index, "scan.pdf")["en"]


def test_a_pdf_of_scans_only_is_reported_with_its_pages(tmp_path):
    with pytest.raises(ReadError, match=r"^pages 1–3 without a text layer: not indexed, they need OCR$"):
        read_pdf(make_pdf(["image", "image", "image"]))


def test_encrypted_and_broken_pdfs_are_reported_and_nothing_else_is_lost(tmp_path):
    locked = make_pdf([ENGLISH_PAGE], encrypt=pdfencrypt.StandardEncryption("secret"))
    # Restricted (an owner password) but readable without a password: indexed.
    restricted = make_pdf([RUSSIAN_PAGE], encrypt=pdfencrypt.StandardEncryption("", "owner", canCopy=0))
    broken = make_pdf([ENGLISH_PAGE])[:300]
    summary, index = index_corpus(tmp_path, {
        "locked.pdf": locked, "restricted.pdf": restricted, "broken.pdf": broken,
        "fake.pdf": b"%PDF-1.7\nnot really", "good.txt": b"Good statement on elections"})
    reasons = {p.path: p.reason for p in summary.problems}
    assert reasons == {"locked.pdf": "encrypted PDF: it needs a password",
                       "broken.pdf": "damaged PDF: not a readable PDF file",
                       "fake.pdf": "damaged PDF: not a readable PDF file"}
    assert summary.added == 2 and summary.exit_code == 1
    assert found(index, "elections") == ["good.txt"]
    assert found(index, "выборы") == ["restricted.pdf"]


def test_a_translation_pair_of_pdfs_is_one_statement(tmp_path):
    summary, index = index_corpus(tmp_path, {"st.en.pdf": make_pdf([ENGLISH_PAGE]),
                                             "st.ru.pdf": make_pdf([RUSSIAN_PAGE])})
    assert not summary.problems and summary.added == 1
    assert found(index, "ceasefire") == found(index, "конфликт") == ["st.pdf"]


def test_a_translation_pair_of_word_files_is_one_statement_whatever_the_case(tmp_path):
    summary, index = index_corpus(tmp_path, {"st.EN.docx": simple_docx(ENGLISH_PAGE),
                                             "st.ru.docx": simple_docx(RUSSIAN_PAGE)})
    assert not summary.problems and not summary.warnings and summary.added == 1
    [doc_id] = found(index, "ceasefire")
    assert found(index, "выборах") == [doc_id]
    text = sections(index, doc_id)
    assert set(text) == {"en", "ru"}
    assert "ceasefire" in text["en"] and "ceasefire" not in text["ru"]
    assert "Карабахского" in text["ru"] and "Карабахского" not in text["en"]
    with SearchIndex(index) as ix:
        assert ix.document(doc_id).sources == ["st.EN.docx", "st.ru.docx"]


def test_docx_paragraphs_tables_footnotes_and_text_boxes(tmp_path):
    summary, index = index_corpus(tmp_path, {"w.docx": make_docx()})
    assert not summary.problems and not summary.warnings and summary.added == 1
    assert found(index, "недействительный") == ["w.docx"]  # in a table cell
    assert found(index, '"вооруженного конфликта"') == ["w.docx"]  # in the footnote
    assert found(index, '"maritime boundary"') == ["w.docx"]  # in the text box
    assert found(index, "separator") == []
    text = read_docx(make_docx())[0].text
    assert text.startswith("Statement on the referendum\n\nThe Ministry does not recognise")
    assert text.index("822 (1993)") < text.index("See the note") < text.index("Boxed") < text.index("Доклад")
    assert text.count("Boxed remark") == 1


def test_files_that_are_not_docx_are_reported(tmp_path):
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("content.xml", "<x/>")
    bad_xml = io.BytesIO()
    with zipfile.ZipFile(bad_xml, "w") as z:
        z.writestr("word/document.xml", "<w:document")
    summary, index = index_corpus(tmp_path, {
        "zip.docx": other_zip.getvalue(), "text.docx": b"plain text, no zip",
        "ole.docx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "xml.docx": bad_xml.getvalue(),
        "good.docx": make_docx()})
    reasons = {p.path: p.reason for p in summary.problems}
    assert reasons["zip.docx"] == "a ZIP archive but not a Word document (it has no word/document.xml)"
    assert reasons["text.docx"].startswith("not a .docx: not a ZIP archive")
    assert reasons["ole.docx"] == "not a .docx: an encrypted Word file or a Word 97–2003 .doc renamed"
    assert reasons["xml.docx"].startswith("damaged .docx: word/document.xml is not well-formed XML")
    assert len(reasons) == 4 and summary.added == 1
    assert found(index, "referendum") == ["good.docx"]


def test_docx_content_given_twice_for_older_readers_is_read_once():
    body = ('<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
            "<mc:Choice><w:p><w:r><w:t>Equation E = mc2</w:t></w:r></w:p></mc:Choice>"
            "<mc:Fallback><w:p><w:r><w:t>Equation E = mc2</w:t></w:r></w:p></mc:Fallback></mc:AlternateContent>")
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as z:
        z.writestr("word/document.xml", f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>Title</w:t>'
                                        f"<w:tab/><w:t>line</w:t><w:br/><w:t>next</w:t></w:r></w:p>{body}</w:body></w:document>")
    assert read_docx(data.getvalue())[0].text == "Title line\nnext\n\nEquation E = mc2"


def test_a_strict_open_xml_word_file_is_read_as_word_writes_it(tmp_path):
    """Word's "Strict Open XML Document" writes the same elements in ISO 29500's namespaces."""
    transitional = io.BytesIO(simple_docx(RUSSIAN_PAGE))
    strict = io.BytesIO()
    with zipfile.ZipFile(transitional) as source, zipfile.ZipFile(strict, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith(".xml"):
                data = data.replace(W_NS.encode(), b"http://purl.oclc.org/ooxml/wordprocessingml/main")
            target.writestr(item, data)
    assert W_NS.encode() not in zipfile.ZipFile(strict).read("word/document.xml")
    assert read_docx(strict.getvalue())[0].text == read_docx(transitional.getvalue())[0].text
    summary, index = index_corpus(tmp_path, {"strict.docx": strict.getvalue()})
    assert not summary.problems and summary.added == 1
    assert found(index, "выборах") == ["strict.docx"]


@pytest.mark.parametrize("text, expected", [
    ("develop-\nment", "development"),
    ("госу-\nдарства", "государства"),
    ("Нагорно-\nКарабахский", "Нагорно-Карабахский"),  # a capital: a real hyphen
    ("Nagorno-\nKarabakh", "Nagorno-Karabakh"),
    ("Nagorno\ufffe\nKarabakh and develop\ufffe\nment", "Nagorno-Karabakh and development"),  # pdfium's mark
    ("COVID-\n19", "COVID-\n19"),  # not letters on both sides
    ("военно-\nполитический", "военно-политический"),  # the joined word is no word, its half is
    ("a well-known fact; well-\nknown", "a well-known fact; well-known"),  # written so elsewhere
    ("so-\ncalled", "socalled"),  # nothing says otherwise: joined
    ("so-called and so-\ncalled", "so-called and so-called"),
    ("the end -\nnext", "the end -\nnext"),  # a dash, not a broken word
])
def test_dehyphenate(text, expected):
    assert dehyphenate(text) == expected


@pytest.mark.parametrize("text, images, verdict", [
    ("", False, "blank"),
    ("", True, "no text layer"),
    ("12", True, "no text layer"),  # a scan with its page number
    ("Annex", False, "text"),
    (" ".join(ENGLISH_PAGE), False, "text"),
    (" ".join(RUSSIAN_PAGE), True, "text"),
    ("Міністерство закордонних справ України рішуче засуджує проведення так званих виборів", False, "text"),
    ("Le ministère des Affaires étrangères a été informé de la décision", False, "text"),
    (" ".join(RUSSIAN_PAGE).encode("cp1251").decode("latin-1"), False, "unreadable"),
    ("!#$% &*()+ =<>? @[]^ {}|~ " * 5 + "ab", False, "unreadable"),  # not letters
    ("Пpeдcтaвитeль Mинистepствa зaявил o выбopax и peфepeндyмe", False, "unreadable"),  # mixed scripts
    (" ".join(["Xqzvbt Plmrkw Ghjtrn Zxcvbn"] * 12), False, "unreadable"),  # no stop words
    ("mINISTRY wELCOMES tHE aGREEMENT oN tHE bORDER sETTLEMENT", False, "unreadable"),  # odd case
])
def test_judge_page_text(text, images, verdict):
    assert judge(text, images) == verdict
