"""PDF: the text layer of every page in reading order (columns one after the
other), pages joined, words hyphenated at line ends made whole again.

Pages without a text layer, or whose text does not read as words (a font
without a Unicode map gives symbols or Latin look-alikes of Cyrillic), are
left out and named in a warning: they need OCR. The rest is indexed.
"""

from __future__ import annotations

import math
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from indexer.decode import Decoded
from search.analysis import is_dictionary_word
from search.errors import ReadError
from search.langdata import STOP_WORDS_ANY

# Why pdfium could not open a file, by its error code.
_OPEN_ERRORS = {
    pdfium_c.FPDF_ERR_PASSWORD: "encrypted PDF: it needs a password",
    pdfium_c.FPDF_ERR_SECURITY: "encrypted PDF with an unsupported security handler",
    pdfium_c.FPDF_ERR_FORMAT: "damaged PDF: not a readable PDF file",
    pdfium_c.FPDF_ERR_FILE: "damaged PDF: the file cannot be read",
}
# A page's text needs this share of letters among its visible characters,
# and this share of plain words among its words, to be indexed.
MIN_LETTER_SHARE = 0.5
MIN_WORD_SHARE = 0.6
# Prose (this many words, in lines this long on average; not a table or a
# list of names) with almost no stop word of either language is not English
# or Russian text: it is letters from a wrong map.
STOP_WORD_SAMPLE = 40
PROSE_WORDS_PER_LINE = 6
MIN_STOP_WORD_SHARE = 0.02
# Fewer letters than this on a page with an image: a scan with a page number.
MIN_PAGE_LETTERS = 20


def read_pdf(data: bytes) -> tuple[Decoded, dict]:
    """(text of the pages that have words, {}); raises ReadError for a file pdfium cannot open."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        code = getattr(err, "err_code", None)
        raise ReadError(_OPEN_ERRORS.get(code, f"damaged PDF: {err}")) from err
    try:
        texts, scans, garbled = [], [], []
        for number in range(1, len(pdf) + 1):
            page = pdf[number - 1]
            try:
                text = page_text(page)
                images = _has_images(page)
            finally:
                page.close()
            verdict = judge(text, images)
            if verdict == "text":
                texts.append(text)
            elif verdict == "no text layer":
                scans.append(number)
            elif verdict == "unreadable":
                garbled.append(number)
    except pdfium.PdfiumError as err:
        raise ReadError(f"damaged PDF: {err}") from err
    finally:
        pdf.close()
    note = _ocr_note(scans, garbled)
    if not texts:
        raise ReadError(note or "no text")
    return Decoded(dehyphenate("\n\n".join(texts)), note), {}


def _has_images(page) -> bool:
    return any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3))


def _ocr_note(scans: list[int], garbled: list[int]) -> str | None:
    parts = []
    if scans:
        parts.append(f"{_pages(scans)} without a text layer")
    if garbled:
        parts.append(f"{_pages(garbled)} whose text is not words (a font without a Unicode map)")
    if not parts:
        return None
    return f"{' and '.join(parts)}: not indexed, {'they need' if len(scans + garbled) > 1 else 'it needs'} OCR"


def _pages(numbers: list[int]) -> str:
    """'page 3', 'pages 2, 5–7'."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    said = ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)
    return f"page{'s' if len(numbers) > 1 else ''} {said}"


# --- reading order ---------------------------------------------------------


def page_text(page) -> str:
    """A page's text, line by line, in reading order: two columns one after the other."""
    textpage = page.get_textpage()
    try:
        rects = [textpage.get_rect(k) for k in range(textpage.count_rects())]
        texts = _rect_texts(textpage, rects)
        lines = [(*rect, text) for rect, text in zip(rects, texts) if text]
        ordered = reading_order(lines, page.get_width())
    finally:
        textpage.close()
    return _join_lines(ordered)


def _rect_texts(textpage, rects: list[tuple]) -> list[str]:
    """The text of each of pdfium's text boxes.

    The boxes cover the page's characters in order, so each one's text runs
    from its first character to the next box's first: one text read, sliced.
    Asking pdfium for each box's text instead costs a pass over the page per box.
    """
    full = textpage.get_text_range()
    starts = [pdfium_c.FPDFText_GetCharIndexAtPos(textpage, left + 0.5, (bottom + top) / 2, 1.0,
                                                  max((top - bottom) / 2, 1.0))
              for left, bottom, right, top in rects]
    in_order = all(a < b for a, b in zip(starts, starts[1:])) and (not starts or starts[0] >= 0)
    # Characters beyond 16 bits take two indexes but one place in `full`.
    if in_order and len(full) == pdfium_c.FPDFText_CountChars(textpage):
        return [full[a:b].strip() for a, b in zip(starts, starts[1:] + [len(full)])]
    return [textpage.get_text_bounded(*rect).strip() for rect in rects]


def reading_order(lines: list[tuple], width: float) -> list[tuple]:
    """Text boxes (left, bottom, right, top, text) in pdfium's order, re-ordered so
    that on a page with two columns the left one is read before the right one.

    A gutter is a vertical line in the middle of the page that few boxes cross;
    the boxes that cross it (headings, a page number) divide the page into
    bands, each read left column first.
    """
    if len(lines) < 4:
        return lines
    # How many boxes cross each whole x: +1 where a box starts, -1 where it ends.
    size = int(width) + 2
    starts, ends = [0] * size, [0] * size
    for b in lines:
        first, last = math.floor(b[0]) + 1, math.ceil(b[2]) - 1  # x with left < x < right
        if first <= last:
            starts[max(0, min(first, size - 1))] += 1
            ends[max(0, min(last, size - 1))] += 1
    gutter, crossing, running = None, len(lines), 0
    for x in range(size):
        running += starts[x]
        if width * 0.3 <= x <= width * 0.7 and running < crossing:
            gutter, crossing = x, running
        running -= ends[x]
    if gutter is None:
        return lines
    left = [b for b in lines if b[2] <= gutter]
    right = [b for b in lines if b[0] >= gutter]
    if min(len(left), len(right)) < 2 or crossing > min(len(left), len(right)) / 2:
        return lines
    if min(b[1] for b in left) > max(b[3] for b in right) or min(b[1] for b in right) > max(b[3] for b in left):
        return lines  # the "columns" do not stand side by side
    wide = sorted((b for b in lines if b[0] < gutter < b[2]), key=lambda b: -b[3])
    out, rest = [], [b for b in lines if not (b[0] < gutter < b[2])]
    for w in wide + [None]:
        above = [b for b in rest if w is None or b[1] >= w[3] - 1]
        rest = [b for b in rest if b not in above]
        out += [b for b in above if b[2] <= gutter] + [b for b in above if b[0] >= gutter]
        if w is not None:
            out.append(w)
    return out


def _join_lines(boxes: list[tuple]) -> str:
    """Boxes → lines: a box beside the previous one (same height) continues its line."""
    parts = []
    previous = None
    for box in boxes:
        if previous is not None:
            overlap = min(previous[3], box[3]) - max(previous[1], box[1])
            beside = overlap > 0.5 * min(previous[3] - previous[1], box[3] - box[1]) and box[0] >= previous[2] - 1
            parts.append(" " if beside else "\n")
        parts.append(box[4])
        previous = box
    return "".join(parts)


# --- text quality ------------------------------------------------------------

_WORD_RE = re.compile(r"[^\W\d_]{2,}")
# A plain word is of one script, in lower case, Capitalised or upper case; a
# Latin word with more than one accented letter is Cyrillic read through a wrong map.
_CYRILLIC_WORD_RE = re.compile("[\u0400-\u04ff]+")
_LATIN_WORD_RE = re.compile("[A-Za-z\u00c0-\u024f]+")


def _plain(word: str) -> bool:
    if not (word.islower() or word.isupper() or word.istitle()):
        return False
    if _CYRILLIC_WORD_RE.fullmatch(word):
        return True
    return bool(_LATIN_WORD_RE.fullmatch(word)) and sum(ch > "\x7f" for ch in word) <= 1


def judge(text: str, has_images: bool) -> str:
    """What a page's text is: "text", "blank" (nothing on it), "no text layer"
    (an image without text), or "unreadable" (not letters, or not words)."""
    letters = sum(map(str.isalpha, text))
    visible = len("".join(text.split()))
    if letters < MIN_LETTER_SHARE * visible and visible >= MIN_PAGE_LETTERS:
        return "unreadable"
    if letters < MIN_PAGE_LETTERS:
        if has_images:
            return "no text layer"
        return "text" if visible else "blank"
    words = _WORD_RE.findall(text)
    if not words:
        return "unreadable"
    plain = sum(map(_plain, words))
    if plain < MIN_WORD_SHARE * len(words):
        return "unreadable"
    if len(words) >= STOP_WORD_SAMPLE and len(words) >= PROSE_WORDS_PER_LINE * (text.count("\n") + 1):
        stops = sum(1 for w in words if w.lower().replace("ё", "е") in STOP_WORDS_ANY)
        if stops < MIN_STOP_WORD_SHARE * len(words):
            return "unreadable"
    return "text"


# --- hyphenation ---------------------------------------------------------------

# pdfium's marks for a hyphen at a line end (its text and its character code).
_LINE_END_HYPHENS = "\ufffe\x02"
# A word broken at a line end: letters, a hyphen (or a mark for one), a newline.
_BROKEN_RE = re.compile(r"\b([^\W\d_]+)[-\u00ad\u2010\ufffe\x02]\n([^\W\d_]+)")


def dehyphenate(text: str) -> str:
    """Joins words hyphenated at line ends: "develop-\\nment" → "development".

    The hyphen stays ("Нагорно-\\nКарабахский" → "Нагорно-Карабахский") when
    the next line starts with a capital, when the text writes the word with a
    hyphen elsewhere and never without, or when the joined Russian word is not
    in the dictionary but its second half is («военно-политический»).
    """
    written = None

    def join(m: re.Match) -> str:
        nonlocal written
        head, tail = m.group(1), m.group(2)
        hyphenated, joined = f"{head}-{tail}", head + tail
        if not tail[0].islower():
            return hyphenated
        if written is None:
            written = set(re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text.lower()))
        if hyphenated.lower() in written and joined.lower() not in written:
            return hyphenated
        if not is_dictionary_word(joined.lower()) and is_dictionary_word(tail.lower()):
            return hyphenated
        return joined

    text = _BROKEN_RE.sub(join, text)
    for mark in _LINE_END_HYPHENS:
        text = text.replace(mark, "-")
    return text
