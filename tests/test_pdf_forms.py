"""Forms read as a person reads them (indexer/formats/pdf_forms.py): a drawing's
title block whose cells were written after their rows, and its turned margin
labels, in real PDFs made here; a wrapped line's end and a page of prose keep their order."""

import pytest

from indexer.formats.pdf import read_pdf
from tests.documents_made import make_pdf

FORMS = {
    "en": {"labels": ["Prepared", "Checked", "Approved"], "header": "Sheet Sheets Scale",
           "under": "Copied Format A4", "turned": "Inventory No."},
    "ru": {"labels": ["Разраб.", "Пров.", "Утв."], "header": "Лист Листов Масштаб",
           "under": "Копировал Формат A4", "turned": "Инв. № подл."},
}


def title_block(words):
    """A title block written as a drawing program writes it: the turned margin
    label first, the header row, the row labels down their column, then the
    cells right of two of them and the line under the frame."""
    def draw(c):
        c.saveState()
        c.translate(40, 120)
        c.rotate(90)
        c.setFont("DejaVu", 10)
        c.drawString(0, 0, words["turned"])
        c.restoreState()
        c.setFont("DejaVu", 10)
        c.drawString(300, 160, words["header"])
        for n, label in enumerate(words["labels"]):
            c.drawString(80, 140 - 14 * n, label)
        c.drawString(500, 140, "1:1")
        c.drawString(500, 126, "12")
        c.drawString(300, 60, words["under"])
    return draw


@pytest.mark.parametrize("lang", FORMS)
def test_a_title_blocks_cells_are_read_in_their_rows_and_turned_labels_last(lang):
    words = FORMS[lang]
    first, second, third = words["labels"]
    assert read_pdf(make_pdf([title_block(words)]))[0].text.split("\n") == [
        words["header"], first, "1:1", second, "12", third, words["under"], words["turned"]]


def test_a_cell_left_of_its_row_is_read_before_it():
    def draw(c):
        c.setFont("DejaVu", 10)
        c.drawString(300, 700, "Mass Scale")
        c.drawString(80, 686, "Prepared by the Ministry")
        c.drawString(240, 700, "Letter")
    assert read_pdf(make_pdf([draw]))[0].text.split("\n") == ["Letter", "Mass Scale", "Prepared by the Ministry"]


def test_prose_beside_a_list_of_short_lines_keeps_its_order():
    """On a page of prose nothing moves: a sidebar of one-word lines stays after
    the paragraph its lines stand level with, and the paragraph's short last line is no row."""
    prose = ["The Ministry welcomes the ceasefire in the zone and calls",
             "on the parties to return to the negotiating table without",
             "conditions.", "The elections held there were void and have no force."]
    sidebar = ["Moscow", "Kyiv", "Geneva"]

    def draw(c):
        c.setFont("DejaVu", 10)
        for n, line in enumerate(prose):
            c.drawString(72, 700 - 14 * n, line)
        for n, line in enumerate(sidebar):
            c.drawString(450, 700 - 14 * n, line)
    assert read_pdf(make_pdf([draw]))[0].text.split() == " ".join(prose + sidebar).split()


def test_the_end_of_a_wrapped_line_stays_under_it():
    """A signature stamp: a name in large letters beside small print whose
    last line holds one word wrapped from the line over it."""
    def draw(c):
        c.setFont("DejaVu", 16)
        c.drawString(72, 700, "IVAN")
        c.drawString(72, 680, "PETROV")
        c.setFont("DejaVu", 8)
        c.drawString(200, 704, "Signed: PETROV")
        c.drawString(200, 694, "Date: 2023-06-15 12:05:50")
        c.drawString(200, 684, "CEST")
    assert read_pdf(make_pdf([draw]))[0].text.split("\n") == [
        "IVAN", "PETROV", "Signed: PETROV", "Date: 2023-06-15 12:05:50", "CEST"]


def test_the_upright_text_is_the_turn_most_characters_are_written_at():
    """A drawing's title across the page, then more dimension labels turned up it
    than there are upright lines: the title is the upright text, read first."""
    def draw(c):
        c.setFont("DejaVu", 10)
        c.drawString(80, 760, "Housing bracket assembly")
        c.drawString(80, 746, "Drawing No. 17-204")
        for n, label in enumerate(["85", "240", "60", "35"]):
            c.saveState()
            c.translate(150 + 70 * n, 300 + 50 * n)
            c.rotate(90)
            c.drawString(0, 0, label)
            c.restoreState()
    text = read_pdf(make_pdf([draw]))[0].text  # (PDFium reads «85» on with the line before it)
    assert text.startswith("Housing bracket assembly\nDrawing No. 17-204")
    assert sorted(text.split("\n")[2:]) == ["240", "35", "60"]  # (each turned label a line of its own, after)
