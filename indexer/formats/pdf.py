"""PDF: the text layer of every page in PDFium's reading order (two columns
side by side one after the other), letter-spaced lines made words again,
pages joined, words hyphenated at line ends made whole again.

Pages without a text layer, or whose text does not read as words (a font
without a Unicode map gives symbols or Latin look-alikes of Cyrillic), are
left out and named in a warning: they need OCR. The rest is indexed; a font
whose codes are UTF-8 bytes is read even when PDFium drops its Unicode map.
The title is read from the first page indexed (see pdf_title).
"""

from __future__ import annotations

import functools
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from indexer.decode import Decoded
from indexer.formats.pdf_layout import page_text
from indexer.formats.pdf_title import title_of
from search.lang.analysis import is_dictionary_word
from search.errors import ReadError
from search.lang.table import STOP_WORDS_ANY

# Why pdfium could not open a file, by its error code (a file encrypted with
# an empty password opens without one).
_OPEN_ERRORS = {
    pdfium_c.FPDF_ERR_PASSWORD: "encrypted PDF: it needs a password",
    pdfium_c.FPDF_ERR_SECURITY: "encrypted PDF with an unsupported security handler",
    pdfium_c.FPDF_ERR_FORMAT: "damaged PDF: not a readable PDF file",
    pdfium_c.FPDF_ERR_FILE: "damaged PDF: the file cannot be read",
}
# A page's text needs this share of letters and digits among its visible
# characters (dotted leaders aside), and this share of plain words among its
# words, to be indexed.
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
# A page with a smaller share of plain words than this (a poor OCR layer) is
# indexed but gives no title: a line of it would be a guess.
TITLE_WORD_SHARE = 0.8


def read_pdf(data: bytes) -> tuple[Decoded, dict]:
    """(text of the pages that have words, {"title": the first one's title} or {}
    to leave the title to the text); raises ReadError for a file pdfium cannot open."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        code = getattr(err, "err_code", None)
        raise ReadError(_OPEN_ERRORS.get(code, f"damaged PDF: {err}")) from err
    try:
        texts, scans, garbled, title = [], [], [], None
        for number in range(1, len(pdf) + 1):
            page = _flattened(pdf, number - 1)
            try:
                text, lines = page_text(page, with_lines=not texts)
                images = _has_images(page)
                verdict = judge(text, images)
                recoded = verdict == "unreadable" and judge(utf8_codes(text), images) == "text"
                if recoded:
                    text, verdict = utf8_codes(text), "text"
                if verdict == "text" and not texts:
                    title = "" if plain_share(text) < TITLE_WORD_SHARE else title_of(lines)
                    if title is not None and recoded:
                        title = utf8_codes(title)
            finally:
                page.close()
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
    given = {"title": " ".join(dehyphenate(title).split())} if title else {}
    return Decoded(dehyphenate("\n\n".join(texts)), note, untitled=title == ""), given


def _flattened(pdf, index: int):
    """The page with the appearance of its annotations drawn into its content
    (a stamp's words, a filled form field: text the page shows that PDFium's
    text of the page leaves out), loaded anew to be read; the page as it is
    when it has none."""
    page = pdf[index]
    if (pdfium_c.FPDFPage_GetAnnotCount(page)
            and pdfium_c.FPDFPage_Flatten(page, pdfium_c.FLAT_NORMALDISPLAY) == pdfium_c.FLATTEN_SUCCESS):
        page.close()
        page = pdf[index]
    return page


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


# --- text quality ------------------------------------------------------------

_WORD_RE = re.compile(r"[^\W\d_]{2,}")
# A plain word is of one script, in lower case, Capitalised or upper case; a
# Latin word with more than one accented letter is Cyrillic read through a wrong map.
_CYRILLIC_WORD_RE = re.compile("[\u0400-\u04ff]+")
_LATIN_WORD_RE = re.compile("[A-Za-z\u00c0-\u024f]+")
# Dotted leaders of a table of contents: "Introduction ........ 3".
_LEADERS_RE = re.compile(r"(?:[.\u00b7\u2022\u2024\u2026\u22c5_-] ?){4,}")


def _plain(word: str) -> bool:
    if not (word.islower() or word.isupper() or word.istitle()):
        return False
    if _CYRILLIC_WORD_RE.fullmatch(word):
        return True
    return bool(_LATIN_WORD_RE.fullmatch(word)) and sum(ch > "\x7f" for ch in word) <= 1


def plain_share(text: str) -> float:
    """The share of plain words (see _plain) among a text's words; 1 for a text without words."""
    words = _WORD_RE.findall(text)
    return sum(map(_plain, words)) / len(words) if words else 1.0


def judge(text: str, has_images: bool) -> str:
    """What a page's text is: "text", "blank" (nothing on it), "no text layer"
    (an image without text), or "unreadable" (not letters, or not words)."""
    text = _LEADERS_RE.sub(" ", text)  # a contents page's dotted leaders are not symbols of a wrong map
    letters = sum(map(str.isalpha, text))
    digits = sum(map(str.isdigit, text))
    visible = len("".join(text.split()))
    if letters + digits < MIN_LETTER_SHARE * visible and visible >= MIN_PAGE_LETTERS:
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
    if _look_alikes(words):
        return "unreadable"
    return "text"


# Latin letters that look like Cyrillic ones, as an OCR layer or a wrong map
# writes Russian («CyMMa» for «Сумма»); a page whose distinct Latin words
# read as Russian words through them this often (and this many) is Russian
# text. (English pages of the test sets have at most 2: «care», «cone», «Type».)
_AS_CYRILLIC = str.maketrans("ABCEHKMOPTXaceopxynr6", "АВСЕНКМОРТХасеорхупгб")
_LOOK_ALIKE_RE = re.compile("[ABCEHKMOPTXaceopxynr6]{4,}")
MIN_LOOK_ALIKE_SHARE = 0.05
MIN_LOOK_ALIKES = 4


@functools.lru_cache(maxsize=4096)
def _reads_as_russian(word: str) -> bool:
    return is_dictionary_word(word.translate(_AS_CYRILLIC).lower())


def _look_alikes(words: list[str]) -> bool:
    """Whether a page's Latin words are Russian ones in look-alike letters."""
    latin = {w for w in words if len(w) >= 4 and _LATIN_WORD_RE.fullmatch(w)}
    found = sum(1 for w in latin if _LOOK_ALIKE_RE.fullmatch(w) and _reads_as_russian(w))
    return found >= MIN_LOOK_ALIKES and found >= MIN_LOOK_ALIKE_SHARE * len(latin)


# A character PDFium gives as the two bytes of a UTF-8 code: a font whose
# codes are UTF-8 (Haru's, KOMPAS-3D's), when PDFium drops its Unicode map.
_UTF8_PAIR_RE = re.compile("[\uc280-\udfbf]")


def _utf8_pair(m: re.Match) -> str:
    code = ord(m.group())
    try:
        return bytes((code >> 8, code & 0xFF)).decode("utf-8")
    except UnicodeDecodeError:
        return m.group()


def utf8_codes(text: str) -> str:
    """The text with each character that is the two bytes of a UTF-8 code
    read as that code: «킜킰톁톁킰» → «Масса» (PDFium gives the codes of a font
    with a UTF-8 Unicode map it could not load)."""
    return _UTF8_PAIR_RE.sub(_utf8_pair, text)


# --- hyphenation ---------------------------------------------------------------

# A word broken at a line end: letters, a hyphen and a newline, or PDFium's
# mark for a hyphen it took for a line end's (U+FFFE in its text, 2 as a
# character code, and its line joined), or a soft hyphen; then letters.
_BROKEN_RE = re.compile(r"\b([^\W\d_]+)(?:[-\u2010]\n|[\ufffe\x02\u00ad]\n?)([^\W\d_]+)")


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
    return text.replace("\ufffe", "-").replace("\x02", "-").replace("\u00ad", "")
