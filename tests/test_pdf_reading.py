"""PDFs read as a person reads them: files written here as Chromium, a TrueType
writer, OCR, WPS Writer and an encrypting writer write them, read by the real
reader and indexed, and their words and phrases searched."""

import pytest
from reportlab.lib import pdfencrypt

from indexer.formats.pdf import dehyphenate, judge, read_pdf
from indexer.formats.pdf_layout import in_reading_order
from search import SearchIndex
from search.errors import ReadError
from tests.documents_made import (found, index_corpus, sections, ENGLISH_PAGE, RUSSIAN_PAGE, AESEncryption, chromium_pdf, contents_page,
                                  glyph_page, make_pdf, needs_font, ocr_page, spaced_ocr_page, utf8_font_pdf)
from tests.fixtures_web import chromium

pytestmark = needs_font

AIRSHIPS_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><style>
body {{ font-family: "DejaVu Sans"; font-size: 13px; margin: 2cm; text-align: justify }}
h1 {{ letter-spacing: 0.3em }} .ru {{ page-break-before: always }}
</style></head><body>
<h1>Statement on the exhibition of airships</h1>
<p>The Ministry of Foreign Affairs announces an exhibition of airships and balloons. The exhibition
will open in the capital next month, and entrance is free for all citizens as well as foreign guests
and the press. {en}</p>
<div class="ru" lang="ru"><h1>Заявление о выставке дирижаблей</h1>
<p>Министерство иностранных дел Российской Федерации объявляет о выставке дирижаблей и аэростатов.
Выставка откроется в столице в следующем месяце; вход свободный для всех желающих граждан, а также
для иностранных гостей и представителей прессы. {ru}</p></div>
</body></html>"""

OCR_ENGLISH = [
    "THE SIEGE OF VICKSBURG. 49",
    "however, did not last long; it became too conspicuous and dan-",
    "gerous for use. A report creeps into camp that Johnston is coming",
    "with fifty thousand men to raise the siege, but I do not believe it.",
    "We have often heard that Richmond had fallen, but it continues",
    "within the confederate lines. We learn from prisoners that the inhabi-",
    "tants are now living in caves dug out of the sides of the hills.",
    "Alas! for the women, children and aged in the city, for they must",
    "suffer, indeed, and, should the siege continue several months,",
    "many deaths from sickness as well as from our shells must occur.",
]
OCR_RUSSIAN = [
    "ОСАДА ВИКСБЕРГА. 50",
    "однако продолжалось недолго: оно стало слишком заметным и опас-",
    "ным для жизни. В лагерь доходит слух, что Джонстон идёт с пятьюдесятью",
    "тысячами человек снять осаду, но я этому не верю. Мы не раз слышали,",
    "что Ричмонд пал, но он по-прежнему остаётся за линиями противника.",
    "От пленных мы узнаём, что жители города теперь живут в пещерах,",
    "вырытых в склонах холмов. Увы, женщинам, детям и старикам в городе",
    "придётся страдать, и если осада продлится ещё несколько месяцев,",
    "многие умрут от болезней, как и от наших снарядов.",
]


def test_a_page_chromium_printed_reads_in_whole_words_and_in_order(tmp_path):
    browser = chromium()
    if browser is None:
        pytest.skip("no Chromium found: install the Debian package chromium")
    pdf = chromium_pdf(AIRSHIPS_PAGE.format(en="I saw a zeppelin.", ru="Я видел и дирижабль, и аэростат."),
                       tmp_path, browser)
    summary, index = index_corpus(tmp_path, {"airships.pdf": pdf})
    assert not summary.problems and not summary.warnings and summary.added == 1
    assert found(index, "дирижабль") == ["airships.pdf"]
    assert found(index, '"объявляет о выставке дирижаблей и аэростатов"') == ["airships.pdf"]
    assert found(index, '"Ministry of Foreign Affairs announces an exhibition"') == ["airships.pdf"]
    text = {lang: " ".join(words.split()) for lang, words in sections(index, "airships.pdf").items()}
    # Justified lines read whole, the letter-spaced headings as words, one-letter words kept
    assert text["en"].startswith("Statement on the exhibition of airships The Ministry of Foreign Affairs")
    assert text["ru"].startswith("Заявление о выставке дирижаблей Министерство иностранных дел")
    assert text["en"].endswith("I saw a zeppelin.") and text["ru"].endswith("Я видел и дирижабль, и аэростат.")


def test_a_truetype_pdf_joins_broken_words_and_keeps_compounds():
    text = read_pdf(make_pdf([ENGLISH_PAGE, RUSSIAN_PAGE]))[0].text
    assert text == "\n".join([
        "Statement by the Ministry of Foreign Affairs",
        "The Ministry welcomes the sustainable development of the region and the ceasefire in the "
        "Nagorno-Karabakh conflict zone. The elections were void.",
        "",
        "Заявление Министерства иностранных дел",
        "Министерство приветствует прекращение огня в зоне Нагорно-Карабахского конфликта и не "
        "признаёт так называемые выборы",
        "в оккупированных районах. Проведение подобных мероприятий противоречит нормам международного права.",
    ])


def test_an_ocr_text_layer_over_a_scan_is_read_in_order(tmp_path):
    summary, index = index_corpus(tmp_path, {"siege.pdf": make_pdf([ocr_page(OCR_ENGLISH), ocr_page(OCR_RUSSIAN)])})
    assert not summary.problems and not summary.warnings and summary.added == 1
    assert found(index, '"too conspicuous and dangerous for use"') == ["siege.pdf"]
    assert found(index, '"the inhabitants are now living in caves"') == ["siege.pdf"]
    assert found(index, '"стало слишком заметным и опасным для жизни"') == ["siege.pdf"]
    assert found(index, '"жители города теперь живут в пещерах"') == ["siege.pdf"]
    text = sections(index, "siege.pdf")
    words = " ".join(OCR_ENGLISH).replace("dan- ", "dan").replace("inhabi- ", "inhabi")
    assert " ".join(text["en"].split()) == words
    assert " ".join(text["ru"].split()) == " ".join(OCR_RUSSIAN).replace("опас- ", "опас")


def test_a_pdf_written_one_glyph_at_a_time_reads_as_words(tmp_path):
    english = ["Statement on pdf encryption", "The Ministry notes that a treaty I signed is void."]
    russian = ["Заявление о шифровании", "Министерство отмечает, что договор в силе и я с ним согласен."]
    pdf = make_pdf([glyph_page(english), glyph_page(russian)])
    assert read_pdf(pdf)[0].text == "\n".join(english + [""] + russian)
    summary, index = index_corpus(tmp_path, {"wps.pdf": pdf})
    assert not summary.problems and not summary.warnings
    assert found(index, "encryption") == found(index, "шифрование") == ["wps.pdf"]


SPACED = ["Заявление о выставке дирижаблей", "и я в Москве с ним", "a statement: I saw a zeppelin", "pdf encryption"]


@pytest.mark.parametrize("size, spacing, lines", [
    (11, 1.2, SPACED), (11, 3.3, SPACED), (11, 6.6, SPACED),  # 0.1, 0.3 and 0.6 of the font's size
    # (PDFium ends a line after each letter of this page)
    (14, 4.0, ["Заявление о выставке дирижаблей и я в с к", "a statement: I saw a zeppelin", "pdf encryption"]),
])
def test_letter_spaced_lines_are_joined_into_words_and_one_letter_words_kept(size, spacing, lines):
    assert read_pdf(make_pdf([glyph_page(lines, size, spacing)]))[0].text == "\n".join(lines)


def test_an_ocr_layer_whose_words_pdfium_breaks_before_their_last_letter_reads_in_whole_words(tmp_path):
    """EPSON Scan's OCR layer spaces each word's letters by its own amount and writes the last letter apart:
    PDFium adds a space before it («LL C», «Floo r», «МИ Д») where the page shows none."""
    lines = [[("Hapag-Lloyd", 0), ("USA", 0.5), ("LLC", 2.6)], [("lO'*", 0.4), ("10th", 0.3), ("Floor", 2.6)],
             [("Заявление", 0), ("МИД", 2.6)], [("Scottsdale,", 1.2), ("AZ", 4.7), ("85254-1781", 1.2)]]
    pdf = make_pdf([spaced_ocr_page(lines)])
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    pdfium_text = document[0].get_textpage().get_text_range()
    document.close()
    assert "LL C" in pdfium_text and "Floo r" in pdfium_text and "МИ Д" in pdfium_text  # (what is mended)
    assert read_pdf(pdf)[0].text == "\n".join(" ".join(word for word, _ in line) for line in lines)
    summary, index = index_corpus(tmp_path, {"scan.pdf": pdf})
    assert found(index, '"USA LLC"') == found(index, '"10th floor"') == found(index, "МИД") == ["scan.pdf"]


@pytest.mark.parametrize("name, encryption", [
    ("rc4-40", lambda user: pdfencrypt.StandardEncryption(user, "owner", strength=40)),
    ("rc4-128", lambda user: pdfencrypt.StandardEncryption(user, "owner", strength=128)),
    ("aes-128", lambda user: AESEncryption(user, "owner", bits=128)),
    ("aes-256", lambda user: AESEncryption(user, "owner", bits=256)),
])
def test_a_pdf_encrypted_with_an_empty_password_is_read(tmp_path, name, encryption):
    open_pdf = make_pdf([ENGLISH_PAGE, glyph_page(["Заявление о шифровании документов"])], encrypt=encryption(""))
    locked = make_pdf([ENGLISH_PAGE], encrypt=encryption("secret"))
    assert b"/Encrypt" in open_pdf and (b"/AESV" in open_pdf) == name.startswith("aes")
    summary, index = index_corpus(tmp_path, {"open.pdf": open_pdf, "locked.pdf": locked})
    assert [(p.path, p.reason) for p in summary.problems] == [("locked.pdf", "encrypted PDF: it needs a password")]
    assert not summary.warnings and summary.added == 1
    assert found(index, "ceasefire") == found(index, "шифрование") == ["open.pdf"]


def test_a_contents_page_with_dotted_leaders_is_text(tmp_path):
    english = contents_page("Contents", [("Introduction", 3), ("The ceasefire", 5), ("Annex: the elections", 12)])
    russian = contents_page("Содержание", [("Введение", 3), ("Прекращение огня", 5), ("Приложение", 12)])
    summary, index = index_corpus(tmp_path, {"report.pdf": make_pdf([english, russian])})
    assert not summary.problems and not summary.warnings and summary.added == 1
    assert found(index, "introduction") == found(index, "введение") == ["report.pdf"]
    assert found(index, '"annex the elections"') == ["report.pdf"]


@pytest.mark.parametrize("text, images, verdict", [
    ("Introduction " + "." * 60 + " 3\nThe ceasefire " + "." * 58 + " 5", False, "text"),
    ("Введение . . . . . . . . . . . . . . . . . . . . 3\nПриложение …………………… 12", False, "text"),
    ("Table 1 " + "_" * 80, False, "text"),
    ("!#$% &*()+ =<>? @[]^ {}|~ " * 5 + "ab", False, "unreadable"),  # symbols are no leaders
])
def test_dotted_leaders_do_not_make_a_page_unreadable(text, images, verdict):
    assert judge(text, images) == verdict


@pytest.mark.parametrize("text, expected", [
    ("conspicuous and dan\ufffegerous for use", "conspicuous and dangerous for use"),  # PDFium joined the lines
    ("в зоне Нагорно\ufffeКарабахского конфликта", "в зоне Нагорно-Карабахского конфликта"),
    ("мероприя\ufffeтий", "мероприятий"),
    ("военно\ufffeполитический", "военно-политический"),
    ("inhabi\x02tants", "inhabitants"),  # the mark as a character code
    ("inhabi\u00ad\ntants and soft\u00adware", "inhabitants and software"),  # soft hyphens
    ("COVID\ufffe19", "COVID-19"),
    ("a well-known fact", "a well-known fact"),  # a hyphen inside a line is the word's
])
def test_pdfium_line_end_hyphens_are_joined_by_the_rules(text, expected):
    assert dehyphenate(text) == expected


def test_a_password_still_stops_a_pdf():
    with pytest.raises(ReadError, match=r"^encrypted PDF: it needs a password$"):
        read_pdf(make_pdf([RUSSIAN_PAGE], encrypt=AESEncryption("secret", bits=256)))


def late_heading_page(c):
    """A page whose heading is written after the text under it, and its footnotes from the bottom up."""
    c.setFont("DejaVu", 11)
    for n, line in enumerate(["The Ministry welcomes the ceasefire in the conflict zone and",
                              "calls on the parties to return to the negotiating table."]):
        c.drawString(72, 700 - 15 * n, line)
    c.setFont("DejaVu", 16)
    c.drawString(72, 730, "Statement on the ceasefire")
    c.setFont("DejaVu", 8)
    for n, line in enumerate(["3 The estimate of 2019.", "2 The estimate of 2020.", "1 The estimate of 2021."]):
        c.drawString(72, 90 + 10 * n, line)


def test_a_heading_written_after_its_text_and_footnotes_written_upwards_are_read_top_down():
    assert read_pdf(make_pdf([late_heading_page]))[0].text == "\n".join([
        "Statement on the ceasefire", "",
        "The Ministry welcomes the ceasefire in the conflict zone and",
        "calls on the parties to return to the negotiating table.", "",
        "1 The estimate of 2021.", "2 The estimate of 2020.", "3 The estimate of 2019."])


def footnote_marks_page(c):
    """A line with raised footnote marks (PDFium ends a line after each)."""
    text = c.beginText(72, 700)
    for words, mark in [("Population 273,879,750", "1"), (" and 83,190,556", "2"), (" people", "")]:
        text.setFont("DejaVu", 11)
        text.setRise(0)
        text.textOut(words)
        text.setFont("DejaVu", 7)
        text.setRise(4)
        text.textOut(mark)
    c.drawText(text)


def test_a_line_pdfium_breaks_at_footnote_marks_is_one_line():
    assert read_pdf(make_pdf([footnote_marks_page]))[0].text == "Population 273,879,7501 and 83,190,5562 people"


def test_a_line_end_pdfium_puts_before_a_touching_footnote_mark_is_no_space():
    """PDFium breaks a Google Docs table's line before a raised footnote mark
    that touches its number; the mark is read against the number as PDFium
    reads it where it keeps the line whole, and a line end between characters
    apart stays a space."""
    text = "Population 273.879.750\r\n1 83,190,556\r\nand more"
    boxes, x = {}, 72.0
    for t, ch in enumerate(text):
        if ch in "\r\n":
            continue
        raised = t == text.index("\n") + 1
        width = 4.0 if raised else 6.0
        if text[t - 1] == "\n" and not raised:  # "and more" starts a word's gap after "556"
            x += 4.0
        boxes[t] = (x, 700 + (3 if raised else 0), x + width, 711 if raised else 712)
        x += width
    joined, box, replaced, _ = in_reading_order(text, boxes.get)
    read = "".join(replaced.get(t, ch) for t, ch in enumerate(joined))
    assert read == "Population 273.879.7501 83,190,556 and more"


def signed_form_page(c):
    """A line of text and a form field filled in: its words are the field's appearance, not page text."""
    c.setFont("DejaVu", 11)
    c.drawString(72, 760, "The Ministry welcomes the ceasefire.")
    c.acroForm.textfield(name="seal", value="Approved by the Minister", x=72, y=600, width=300, height=24,
                         borderWidth=0, fontName="Helvetica", fontSize=12)


def test_words_an_annotation_shows_on_the_page_are_read(tmp_path):
    """A stamp's caption or a filled form field shows words that PDFium's text of the page leaves out."""
    pdf = make_pdf([signed_form_page])
    assert read_pdf(pdf)[0].text == "The Ministry welcomes the ceasefire.\nApproved by the Minister"
    summary, index = index_corpus(tmp_path, {"signed.pdf": pdf})
    assert not summary.problems
    assert found(index, '"approved by the minister"') == ["signed.pdf"]


def test_a_font_with_utf8_codes_whose_unicode_map_pdfium_drops_reads_as_words(tmp_path):
    lines = ["Заявление Министерства о выставке", "Масса Масштаб Лист Листов", "Разраб. Пров. Утв."]
    assert read_pdf(utf8_font_pdf(lines))[0].text == "\n".join(lines)
    summary, index = index_corpus(tmp_path, {"drawing.pdf": utf8_font_pdf(lines)})
    assert not summary.problems and not summary.warnings
    assert found(index, "масштаб") == ["drawing.pdf"]


def two_paragraphs_page(c):
    """An English and a Russian paragraph on one page, a line's gap apart, with a label line each."""
    c.setFont("DejaVu", 11)
    y = 760
    for paragraph in [["English:", "The Ministry welcomes the ceasefire."],
                      ["Russian:", "Министерство приветствует прекращение огня."]]:
        for line in paragraph:
            c.drawString(72, y, line)
            y -= 14
        y -= 14


def test_paragraphs_a_line_apart_are_paragraphs_and_each_has_its_language(tmp_path):
    summary, index = index_corpus(tmp_path, {"hello.pdf": make_pdf([two_paragraphs_page])})
    assert not summary.problems and not summary.warnings
    text = sections(index, "hello.pdf")
    assert set(text) == {"en", "ru"}
    assert "Министерство приветствует прекращение огня." in text["ru"]
    assert "Министерство" not in text["en"]


def title_of(tmp_path, page, name="statement.pdf") -> str:
    """The title a one-page PDF is indexed under."""
    summary, index = index_corpus(tmp_path, {name: make_pdf([page])})
    assert not summary.problems
    with SearchIndex(index) as ix:
        return ix.document(name).title


def lines_page(*lines):
    """A page of (x, y, size, text) lines."""
    def draw(c):
        for x, y, size, text in lines:
            c.setFont("DejaVu", size)
            c.drawString(x, y, text)
    return draw


BODY = [(72, 650 - 14 * n, 11, line) for n, line in enumerate([
    "The Ministry welcomes the ceasefire in the conflict zone and calls on",
    "the parties to return to the negotiating table without conditions.",
    "Министерство приветствует прекращение огня в зоне конфликта."])]


def test_a_heading_that_wraps_is_the_title_whole(tmp_path):
    page = lines_page((72, 760, 20, "Statement on the ceasefire in the conflict"), (72, 736, 20, "zone of the region"),
                      (72, 700, 11, "Moscow, 3 January 2024"), *BODY)
    assert title_of(tmp_path, page) == "Statement on the ceasefire in the conflict zone of the region"


@pytest.mark.parametrize("head", [
    [(72, 790, 9, "THE SIEGE OF VICKSBURG."), (510, 790, 9, "49")],
    [(72, 790, 9, "50"), (380, 790, 9, "THE SIEGE OF VICKSBURG.")],
])
def test_a_running_head_is_the_title_without_its_page_number(tmp_path, head):
    assert title_of(tmp_path, lines_page(*head, *BODY)) == "THE SIEGE OF VICKSBURG"


def test_small_print_after_a_heading_is_no_part_of_the_title(tmp_path):
    page = lines_page((72, 760, 30, "Dragon Dispatch"), (330, 760, 8, "1101 Strayer Drive, San Jose, CA 95129"), *BODY)
    assert title_of(tmp_path, page) == "Dragon Dispatch"


def test_a_stamp_without_words_is_passed_over_for_the_title(tmp_path):
    page = lines_page((400, 800, 11, "2015 JA N 2 7 P H N: i 6"), (72, 760, 11, "International Council of Operators"),
                      *BODY)
    assert title_of(tmp_path, page) == "International Council of Operators"


def test_a_page_opening_with_a_label_or_a_poor_text_layer_has_no_title(tmp_path):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    assert title_of(tmp_path / "a", two_paragraphs_page, "hello.pdf") == "hello.pdf"
    poor = ["• 1 1111111111111111", "Hanoroaas AeKnapaUVIS no Hanory, ynnal.IVIBaeMoMy",
            "B CBS'I3VI C npVIMeHeHVIeM ynpo~eHHOH CVICTeMbl Hanoroo6nO>KeHVIS'I KoMy",
            "no MecTy HaxO>K,UeHVIS'I (y4eTa) He no,QneJKaw,ei;i npeAcTaBneHVIIO OT",
            "the tax form of the year, page one of the form"]
    assert title_of(tmp_path / "b", lines_page(*[(72, 760 - 14 * n, 11, line) for n, line in enumerate(poor)]),
                    "form.pdf") == "form.pdf"


def test_a_turned_heading_is_the_title_whole(tmp_path):
    def page(c):  # (a drawing's title written up the page: its letters' boxes are as high as they are wide)
        c.saveState()
        c.translate(300, 200)
        c.rotate(90)
        c.setFont("DejaVu", 30)
        c.drawString(0, 0, "EXAMPLE DRAWING")
        c.restoreState()
    assert title_of(tmp_path, page) == "EXAMPLE DRAWING"


def test_a_title_printed_after_a_sidebar_is_read_first(tmp_path):
    sidebar = [(400, 700 - 14 * n, 10, line) for n, line in enumerate(["Ministry of Foreign Affairs",
                                                                       "Press service", "3 January 2024"])]
    page = lines_page(*sidebar, (72, 760, 24, "Statement on the ceasefire"),
                      *[(72, y, 11, line[:40]) for _, y, _, line in BODY])
    text = read_pdf(make_pdf([page]))[0].text
    assert text.startswith("Statement on the ceasefire\nMinistry of Foreign Affairs\nPress service")
    assert title_of(tmp_path, page) == "Statement on the ceasefire"


# Russian as an OCR layer writes it in Latin look-alike letters («CyMMa Hanora» for «Сумма налога»),
# most of its words spelt plainly.
LOOK_ALIKE_PAGE = ["Pa3gen 1.1. CyMMa Hanora no cpoKy, ynnaTe He no3gHee Toro",
                   "Ko,Q no OKTMO 45382000 CyMMa aBaHcoBoro nnaTe)l(a",
                   "Hanora no Mecry HaxoxgeHur, nony4eHHoro B Tene",
                   "CTaBKa Hanora (npoueHT) no nyHKTY 2.1 Toro, 4To He",
                   "KoppeKTvpoBKa no Hanory 3a Tor ro4 He nony4eHa",
                   "CyMMa Hanora K ynnaTe 3a Hanoroebi nepnog 2017"]


def test_russian_in_latin_look_alike_letters_is_not_indexed_as_words(tmp_path):
    summary, index = index_corpus(tmp_path, {"form.pdf": make_pdf([ENGLISH_PAGE, LOOK_ALIKE_PAGE])})
    assert [w.reason for w in summary.warnings] == [
        "page 2 whose text is not words (a font without a Unicode map): not indexed, it needs OCR"]
    assert found(index, "ceasefire") == ["form.pdf"] and found(index, "Hanora") == []
