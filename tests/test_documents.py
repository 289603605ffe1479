"""PDF and Word documents: real files made here, read, indexed and searched."""

import io
import zipfile
from pathlib import Path

import docx
import pytest
from PIL import Image
from reportlab.lib import pdfencrypt
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from indexer.build import update_index
from indexer.formats.docx import read_docx
from indexer.formats.pdf import dehyphenate, judge, read_pdf
from search import SearchIndex
from search.errors import ReadError

# A TrueType font with Cyrillic: Debian's fonts-dejavu-core, or matplotlib's copy.
FONT_PLACES = [Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")]
try:
    import matplotlib

    FONT_PLACES.append(Path(matplotlib.__file__).parent / "mpl-data/fonts/ttf/DejaVuSans.ttf")
except ImportError:
    pass
FONT = next((p for p in FONT_PLACES if p.is_file()), None)
pytestmark = pytest.mark.skipif(FONT is None, reason="no DejaVuSans.ttf (Debian: fonts-dejavu-core)")

ENGLISH_PAGE = [
    "Statement by the Ministry of Foreign Affairs",
    "The Ministry welcomes the sustainable develop-",
    "ment of the region and the ceasefire in the Nagorno-",
    "Karabakh conflict zone. The elections were void.",
]
RUSSIAN_PAGE = [
    "Заявление Министерства иностранных дел",
    "Министерство приветствует прекращение огня в зоне Нагорно-",
    "Карабахского конфликта и не признаёт так называемые выборы",
    "в оккупированных районах. Проведение подобных мероприя-",
    "тий противоречит нормам международного права.",
]


def make_pdf(pages, encrypt=None, columns=None) -> bytes:
    """A PDF with one page per item: a list of lines, "image" (a scan without
    text) or "blank"; `columns` pages are (left lines, right lines), drawn
    line by line across both columns."""
    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842), encrypt=encrypt)
    for page in pages:
        if page == "image":
            picture = Image.new("L", (400, 300), 200)
            c.drawImage(ImageReader(picture), 72, 400, 400, 300)
        elif isinstance(page, tuple):
            c.setFont("DejaVu", 14)
            c.drawString(72, 790, "Two columns: a statement")
            c.setFont("DejaVu", 10)
            y = 760
            for left, right in zip(*page):
                c.drawString(72, y, left)
                c.drawString(320, y, right)
                y -= 14
        elif page != "blank":
            c.setFont("DejaVu", 11)
            for n, line in enumerate(page):
                c.drawString(72, 780 - 16 * n, line)
        c.showPage()
    c.save()
    return buf.getvalue()


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# A text box as Word writes it: a drawing, and the same box in VML for older readers.
BOX_TEXT = "<w:txbxContent><w:p><w:r><w:t>Boxed remark on maritime boundaries</w:t></w:r></w:p></w:txbxContent>"
TEXT_BOX = (
    '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
    '<mc:Choice Requires="wps"><w:drawing><wp:anchor xmlns:wp="http://schemas.openxmlformats.org/'
    'drawingml/2006/wordprocessingDrawing"><wps:wsp xmlns:wps="http://schemas.microsoft.com/office/'
    f'word/2010/wordprocessingShape"><wps:txbx>{BOX_TEXT}</wps:txbx></wps:wsp></wp:anchor></w:drawing>'
    '</mc:Choice><mc:Fallback><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox>'
    f"{BOX_TEXT}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent>")


def make_docx() -> bytes:
    """A Word file with a heading, a paragraph, a table, a footnote and a text box.

    python-docx writes the table; the footnote and the text box are added to
    its XML as Word writes them.
    """
    document = docx.Document()
    document.add_heading("Statement on the referendum", 1)
    document.add_paragraph("The Ministry does not recognise the so-called referendum.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Резолюция Совета Безопасности"
    table.cell(0, 1).text = "822 (1993)"
    table.cell(1, 0).text = "Итоги голосования"
    table.cell(1, 1).text = "признаны недействительными"
    document.add_paragraph("See the note MARK")
    buf = io.BytesIO()
    document.save(buf)
    source = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"MARK</w:t></w:r>", (
                    '</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>'
                    f"<w:r>{TEXT_BOX}</w:r>").encode())
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", (
                    '<Override PartName="/word/footnotes.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>').encode())
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", (
                    '<Relationship Id="rIdNotes" Type="http://schemas.openxmlformats.org/officeDocument/'
                    '2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>').encode())
            z.writestr(item, data)
        z.writestr("word/footnotes.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{W_NS}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>SEPARATOR</w:t></w:r></w:p></w:footnote>'
            '<w:footnote w:id="1"><w:p><w:r><w:t>Доклад о вооружённых конфликтах в регионе.</w:t></w:r></w:p>'
            "</w:footnote></w:footnotes>").encode())
    return out.getvalue()


def index_corpus(tmp_path, files: dict):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for name, data in files.items():
        (corpus / name).write_bytes(data)
    return update_index(corpus, index), index


def found(index, query) -> list[str]:
    with SearchIndex(index) as ix:
        return [hit.id for hit in ix.search(query, per_page=100).hits]


def sections(index, doc_id) -> dict:
    with SearchIndex(index) as ix:
        return {s.lang: s.text for s in ix.document(doc_id).sections}


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
