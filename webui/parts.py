"""A statement shown in parts, so that no page or JSON answer grows with it.

Each part of a section holds at most PART_CHARS characters of its text, cut
between paragraphs (a paragraph longer than that, between its lines). Part k
of a statement shows part k of each language's text; translations are about
as long as each other, so the parts stay side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.results import Document, Section
from search.exec.snippets import PARAGRAPH
from webui.params import ParameterError

PART_CHARS = 200_000
LISTED_VALUES = 100  # numbers (years) mentioned, listed on the page; its JSON twin has them all
LINE_BREAK_HTML = "<br>"  # how a line break within a paragraph is marked up (search/exec/snippets.py)
MARK_HTML = "<mark"


@dataclass
class _Piece:
    """A paragraph, or some lines of one: where its text is and its HTML."""

    start: int
    end: int
    html: str


@dataclass
class PartSection:
    lang: str
    text: str  # this part's text, exactly as in the statement
    paragraphs_html: list[str]
    ended_in: int | None = None  # the section's last part, when it ends before this one


@dataclass
class Paged:
    """One part of a statement: its sections, and where the query's matches are."""

    part: int
    parts: int
    sections: list[PartSection]
    parts_with_matches: list[int]


def page(doc: Document, part_arg: str | None) -> Paged:
    """The part of `doc` asked for (1 when none is, or the first part with a
    match when the statement has marks); a `part` it does not have is a 400."""
    cut = [_parts(section) for section in doc.sections]
    parts = max((len(c) for c in cut), default=0) or 1
    with_matches = sorted({k for c in cut for k, pieces in enumerate(c, 1)
                           if any(MARK_HTML in p.html for p in pieces)})
    part = _part_number(part_arg, parts)
    if part is None:
        part = with_matches[0] if with_matches else 1
    sections = []
    for section, section_parts in zip(doc.sections, cut):
        pieces = section_parts[part - 1] if part <= len(section_parts) else []
        text = section.text[pieces[0].start:pieces[-1].end] if pieces else ""
        ended_in = len(section_parts) if section_parts and not pieces else None
        sections.append(PartSection(section.lang, text, [p.html for p in pieces], ended_in))
    return Paged(part, parts, sections, with_matches)


def _part_number(raw: str | None, parts: int) -> int | None:
    if raw is None or not raw.strip():
        return None
    try:
        part = int(raw.strip())
    except ValueError:
        raise ParameterError("part", f"{raw!r} is not a whole number") from None
    if not 1 <= part <= parts:
        raise ParameterError("part", f"must be between 1 and {parts}: the statement has "
                                     f"{parts} part{'s' if parts > 1 else ''}")
    return part


def _parts(section: Section) -> list[list[_Piece]]:
    """The section's pieces, grouped into parts of at most PART_CHARS characters."""
    parts: list[list[_Piece]] = []
    for piece in _pieces(section):
        current = parts[-1] if parts else None
        if current and piece.end - current[0].start <= PART_CHARS:
            current.append(piece)
        else:
            parts.append([piece])
    return parts


def _pieces(section: Section):
    """The paragraphs of a section, each cut between its lines when too long."""
    text = section.text
    # One HTML paragraph per PARAGRAPH match (search/exec/snippets.py); never drop text silently.
    for match, html in zip(PARAGRAPH.finditer(text), section.paragraphs_html, strict=True):
        start, end = match.span()
        html_lines = html.split(LINE_BREAK_HTML)
        if end - start <= PART_CHARS or len(html_lines) == 1:
            yield _Piece(start, end, html)
            continue
        # A long paragraph: its lines, in as few pieces as fit in a part.
        line_start, first = start, 0
        piece_start = start
        for i, html_line in enumerate(html_lines):
            line_end = text.find("\n", line_start, end)
            line_end = end if line_end < 0 else line_end
            if i > first and line_end - piece_start > PART_CHARS:
                yield _Piece(piece_start, line_start - 1, LINE_BREAK_HTML.join(html_lines[first:i]))
                piece_start, first = line_start, i
            line_start = line_end + 1
        yield _Piece(piece_start, end, LINE_BREAK_HTML.join(html_lines[first:]))
