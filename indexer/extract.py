"""Text → metadata: title, date, document number, language sections, numbers,
resolutions cited.

Everything here works on plain text and knows nothing of files or the index,
so it is tested with tables of strings.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from search.lang.table import (
    HEADER_LABELS, LANGUAGE_TABLE, MENTIONED_YEAR_RANGE, MONTHS, YEAR_WORD_ALT, script_languages,
)
from search.lang.recognition import text_language
from search.lang.resolutions import find_resolutions

# --- dates ------------------------------------------------------------------

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
# Every date this module reads ends with a four-digit year, or starts with one
# (ISO). Dates are found by finding years first, then looking just before or
# after them: much faster than matching month names everywhere in the text.
_YEAR4_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")
# 31 March 2020, 31 марта 2020 года, 31-го марта 2020 г.
_DMY = re.compile(rf"(?<!\w)(\d{{1,2}})(?:-?го)?\s+({_MONTH_ALT})\.?,?\s+\Z", re.I)
# March 31, 2020
_MDY = re.compile(rf"(?<!\w)({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+\Z", re.I)
# 31.03.2020
_DMY_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.\Z")
_ISO_TAIL_RE = re.compile(r"-(\d{2})-(\d{2})(?![\d])")
_LOOK_BEHIND = 32
_MONTH_YEAR_RE = re.compile(rf"\b({_MONTH_ALT})\s+(\d{{4}})(?!\d)", re.I)
_YEAR_WORD_RE = re.compile(rf"\s*(?:{YEAR_WORD_ALT})?\s*", re.I)  # "31 марта 2020 года", «2016 року»
_YEAR_IN_NAME_RE = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


@dataclass(frozen=True)
class FoundDate:
    date: dt.date
    start: int
    end: int


def find_dates(text: str) -> list[FoundDate]:
    """Every valid full date written in `text`, in order of appearance."""
    found: list[FoundDate] = []
    for m in _YEAR4_RE.finditer(text):
        start, end = m.span()
        year = int(m.group(1))
        if found and start < found[-1].end:
            continue
        tail = _ISO_TAIL_RE.match(text, end)
        if tail and not text[start - 1 : start] == ".":
            date = _make_date(year, tail.group(1), tail.group(2))
            if date:
                found.append(FoundDate(date, start, tail.end()))
                continue
        window = text[max(0, start - _LOOK_BEHIND) : start]
        pattern = _pattern_before(window)
        if pattern is None:
            continue
        before = pattern.search(window)
        if before:
            first, second = before.groups()
            day, month = (second, first) if pattern is _MDY else (first, second)
            date = _make_date(year, month, day)
            if date:
                found.append(FoundDate(date, start - len(window) + before.start(), end))
    return found


def _pattern_before(window: str):
    """Which date pattern could end just before a year, judged from the last
    words (cheap), so the regular expressions run only where a date may be."""
    if window.endswith("."):
        return _DMY_NUMERIC
    words = window.split()
    if not words:
        return None
    last = words[-1].lower().rstrip(".,")
    if last in MONTHS:
        return _DMY
    if last[:1].isdigit() and len(words) > 1 and words[-2].lower().rstrip(".,") in MONTHS:
        return _MDY
    return None


def _make_date(year: int, month: str, day: str) -> dt.date | None:
    """A date from its parts (month as a number or a name), or None if invalid."""
    try:
        number = int(month) if month.isdigit() else MONTHS[month.lower()]
        return dt.date(year, number, int(day))
    except (KeyError, ValueError):
        return None


def parse_date(value: str) -> tuple[dt.date | None, int | None]:
    """A date given as metadata → (date, year); a year or month alone gives (None, year).

    Accepts ISO dates and timestamps, everything `find_dates` reads,
    "2020-03", "March 2020" and "2020". Raises ValueError otherwise.
    """
    value = str(value).strip()
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?", value)
    if iso:
        date = _make_date(int(iso.group(1)), iso.group(2), iso.group(3))
        if date:
            return date, date.year
    found = find_dates(value)
    if found and found[0].start == 0 and _YEAR_WORD_RE.fullmatch(value, found[0].end):
        return found[0].date, found[0].date.year
    year_month = re.fullmatch(r"(\d{4})(?:-\d{2})?", value)
    if year_month:
        return None, int(year_month.group(1))
    month_year = _MONTH_YEAR_RE.fullmatch(value)
    if month_year:
        return None, int(month_year.group(2))
    raise ValueError(f"not a date: {value!r} (write it as YYYY-MM-DD)")


def date_from_name(name: str) -> tuple[dt.date | None, int | None]:
    """A date or year written in a file name: "2016-11-07-…", "AZE_74_2019"."""
    found = find_dates(name.replace("_", " "))
    if found:
        return found[0].date, found[0].date.year
    m = _YEAR_IN_NAME_RE.search(name)
    return (None, int(m.group(1))) if m else (None, None)


# --- header: title, number, date ----------------------------------------------

_DOCNO_RE = re.compile(r"(?:\bNo\b|\bNr\b|№)\s*[.:]?\s*(\d[\w/.\-]*\w|\d)", re.I)
_LANG_MARK_ALT = "|".join(sorted({name for language in LANGUAGE_TABLE
                                   for name in (language.code, *language.aliases) if name.isascii()},
                                  key=len, reverse=True))
_LANG_MARK_RE = re.compile(rf"\s*\((?:{_LANG_MARK_ALT})(?:\s*/\s*(?:{_LANG_MARK_ALT}))*\)\s*$", re.I)
_LABEL_ALT = "|".join(re.escape(label).replace(r"\ ", r"[\s-]").replace(r"\-", r"[\s-]")
                      for label in sorted(HEADER_LABELS, key=len, reverse=True))
_LABEL_RE = re.compile(rf"^(?:{_LABEL_ALT})?[\s,:.\-–—]*(?:{YEAR_WORD_ALT})?[\s,:.\-–—]*$", re.I)
HEADER_LINES = 4  # a header is at most this many short lines…
HEADER_LINE_MAX = 200  # …each shorter than this


def header_lines(text: str) -> list[str]:
    """The short lines that open a statement, before its first long paragraph."""
    lines = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if len(line) > HEADER_LINE_MAX or len(lines) == HEADER_LINES:
            break
        lines.append(line)
    return lines


def find_docno(lines: list[str]) -> str | None:
    for line in lines:
        m = _DOCNO_RE.search(line)
        if m:
            return m.group(1)
    return None


def find_title(lines: list[str], docno: str | None) -> str | None:
    """The heading line: not a bare date or label, without number and (En/Ru)."""
    found = find_heading(lines, docno)
    return found[0] if found else None


def find_heading(lines: list[str], docno: str | None) -> tuple[str, int] | None:
    """The heading line as a title (see find_title), and its place among `lines`."""
    for place, line in enumerate(lines):
        title = line.lstrip("#").strip()
        if docno:
            title = _DOCNO_RE.sub("", title, count=1).strip(" ,.:;-–—")
        title = _LANG_MARK_RE.sub("", title)
        remainder = title
        for found in reversed(find_dates(title)):
            remainder = remainder[: found.start] + remainder[found.end :]
        if _LABEL_RE.match(remainder.strip()):
            continue
        return title, place
    return None


def _line_after(text: str, place: int) -> int:
    """The number of the line after the `place`-th non-empty line of `text`."""
    seen = -1
    for number, line in enumerate(text.split("\n")):
        if line.strip():
            seen += 1
            if seen == place:
                return number + 1
    return number + 1


def fallback_title(text: str, limit: int = 100) -> str:
    """The opening words of the text, cut at a word boundary."""
    first = next((ln.strip().lstrip("#").strip() for ln in text.split("\n") if ln.strip()), "")
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(" ,.;:")
    return cut + "…"


# --- language sections ----------------------------------------------------------

# Runs of letters of one script: counting words is as good as counting
# letters, and much cheaper.
LANGUAGE_SAMPLE = 400  # characters of a paragraph looked at for its language
_CYRILLIC = re.compile(r"[\u0400-\u04ff]+")
_LATIN = re.compile(r"[A-Za-z]+")


def paragraph_language(paragraph: str) -> str | None:
    """The language of a paragraph: the script most of its words are in, then
    which language of that script its words are (`text_language`: "ru" or "uk");
    None if no letters.

    A paragraph is in one language: its opening is enough to tell which.
    """
    sample = paragraph[:LANGUAGE_SAMPLE]
    cyrillic = _CYRILLIC.findall(sample)
    latin = _LATIN.findall(sample)
    if not cyrillic and not latin:
        return None
    if len(cyrillic) >= len(latin):
        return text_language(cyrillic, script_languages("Cyrillic"))
    return text_language(latin, script_languages("Latin"))


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines (or by lines, if there are none)."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return paragraphs


def language_sections(text: str, hint: str | None = None) -> list[tuple[str, str]]:
    """Consecutive paragraphs of one language joined: [(lang, text), …].

    Paragraphs without letters (a table of numbers) go with their neighbour.
    """
    sections: list[list] = []
    pending: list[str] = []
    for para in split_paragraphs(text):
        lang = paragraph_language(para)
        if lang is None:
            pending.append(para)
            continue
        if sections and sections[-1][0] == lang:
            sections[-1][1].extend(pending + [para])
        else:
            sections.append([lang, pending + [para]])
        pending = []
    if pending:
        if sections:
            sections[-1][1].extend(pending)
        else:
            sections.append([hint or "en", pending])
    return [(lang, "\n\n".join(paras)) for lang, paras in sections]


# --- numbers --------------------------------------------------------------------

# An integer, optionally grouped by thousands with a space, a no-break or thin
# space, or a comma ("1 000", "1,000"); never part of a word, a decimal
# ("1,6", "3.5") or a compound ("COVID-19").
_NUMBER_RE = re.compile(
    r"(?<![\w.,])(?<!\w-)(\d{1,3}(?:[ \u00a0\u202f\u2009,]\d{3})+|\d+)(?![\w]|[.,]\d)"
)
MAX_NUMBER = 10**15
# A four-digit number is a resolution's or a document's number, not a year,
# when it follows such a word or comes before a year in brackets:
# "resolution 1973 (2011)", "резолюции 2254".
_NOT_A_YEAR_BEFORE = re.compile(
    r"(?:resolutions?|резолюци\w*|decisions?|решени\w*|No\.?|№|S/RES/|A/RES/\d+/)\s*$", re.I
)
_NOT_A_YEAR_AFTER = re.compile(r"\s*\(\d{4}\)")
# A number that is the day of a date without a year: "9 сентября", "on 23
# September", "9-10 сентября", "September 23". English month names count only
# capitalised, so "may" the verb is no month.
_DAY_BEFORE_MONTH = re.compile(
    rf"(?:-?го)?(?:\s*[-–—]\s*\d{{1,2}}(?:-?го)?)?(?:\s+of)?\s+({_MONTH_ALT})(?!\w)", re.I
)
_MONTH_BEFORE_DAY = re.compile(rf"(?<!\w)({_MONTH_ALT})\.?\s+(?:\d{{1,2}}\s*[-–—]\s*)?\Z", re.I)
_DAYS = range(1, 32)


def find_numbers(text: str) -> tuple[list[int], list[int]]:
    """Integers mentioned, and the subset that are years, both sorted and unique.

    "822 (1993)" → numbers 822 and 1993, years 1993. Dates count for their
    year only, so "31 March 2020" adds 2020 but not 31, and "on 23 September" nothing.
    """
    numbers: set[int] = set()
    years: set[int] = set()
    lo, hi = MENTIONED_YEAR_RANGE
    pieces = []
    last = 0
    for found in find_dates(text):
        pieces.append(text[last : found.start])
        last = found.end
        numbers.add(found.date.year)
        years.add(found.date.year)
    pieces.append(text[last:])
    for piece in pieces:
        for m in _NUMBER_RE.finditer(piece):
            digits = m.group(1)
            value = int(digits) if digits.isdigit() else int(re.sub(r"\D", "", digits))
            if value > MAX_NUMBER or (value in _DAYS and _is_day(piece, m.start(), m.end())):
                continue
            numbers.add(value)
            if len(digits) == 4 and lo <= value <= hi and not (
                _NOT_A_YEAR_BEFORE.search(piece, max(0, m.start() - 20), m.start())
                or _NOT_A_YEAR_AFTER.match(piece, m.end())
            ):
                years.add(value)
    return sorted(numbers), sorted(years)


def _is_day(text: str, start: int, end: int) -> bool:
    """Whether the number at text[start:end] is the day of a date written without its year."""
    month = _DAY_BEFORE_MONTH.match(text, end) or _MONTH_BEFORE_DAY.search(text, max(0, start - 16), start)
    return bool(month) and _is_month_name(month.group(1))


def _is_month_name(word: str) -> bool:
    return not word.isascii() or word[0].isupper()


# --- all together -----------------------------------------------------------------


@dataclass
class Metadata:
    """What a statement says about itself."""

    title: str
    date: dt.date | None = None
    year: int | None = None
    docno: str | None = None
    sections: list[tuple[str, str]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    mentioned_years: list[int] = field(default_factory=list)
    resolutions: list[str] = field(default_factory=list)  # UN resolutions cited: "S/RES/822 (1993)"
    # The title is the text's own opening words, not a heading above more text
    # (a one-paragraph statement, or the first words of a long first line).
    title_is_text: bool = False

    @property
    def languages(self) -> list[str]:
        seen: list[str] = []
        for lang, _ in self.sections:
            if lang not in seen:
                seen.append(lang)
        return seen


def extract(text: str, name: str = "", lang_hint: str | None = None) -> Metadata:
    """Metadata of a statement's text; `name` (a file name) is the date fallback."""
    head = header_lines(text)
    docno = find_docno(head)
    date = year = None
    for line in head:
        found = find_dates(line)
        if found:
            date = found[0].date
            year = date.year
            break
    if year is None and name:
        date, year = date_from_name(name)
    number_text = text.replace(docno, " ", 1) if docno else text
    numbers, years = find_numbers(number_text)
    heading = find_heading(head, docno)
    if heading is not None:
        title, place = heading
        # A heading has text below it: the last line of a text is no heading.
        title_is_text = not any(line.strip() for line in text.split("\n")[_line_after(text, place):])
    else:
        title = fallback_title(text)
        title_is_text = bool(title)
    return Metadata(
        title=title or name,
        title_is_text=title_is_text,
        date=date,
        year=year,
        docno=docno,
        sections=language_sections(text, lang_hint),
        numbers=numbers,
        mentioned_years=years,
        resolutions=find_resolutions(text),
    )
