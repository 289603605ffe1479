"""A PDF page's text as a person reads it: PDFium's own reading order, with
lines it gives out of place put back (a heading printed after its section,
footnotes written upwards), paragraphs a blank line apart, letter-spaced lines
made words again and two columns side by side read one after the other, from
the boxes PDFium gives each character."""

from __future__ import annotations

import re
from collections import defaultdict

import pypdfium2.raw as pdfium_c

from indexer.formats.pdf_forms import form_order, quarter_turn
from indexer.formats.pdf_spacing import respaced

# Reading order: a line at least this many times as wide as it is high runs
# across the page; a line stands above another when its bottom is at most
# this many line heights below the other's top (loose boxes of close lines overlap).
ACROSS = 2.0
OVERLAP_BELOW = 0.3
MAX_ORDERED_LINES = 1000  # more lines than this on a page keep PDFium's order (0.3 s to order 1,000)
HEADING = 1.5  # a line this many times as high as the page's middle line is a heading
# A line under the one before it by this many line heights more than the
# page's usual gap between lines starts a paragraph.
PARAGRAPH_GAP = 0.5
# Two characters less than this many line heights apart touch: no space between them.
TOUCHING = 0.1
# Two columns: a strip this many line heights wide, in the middle 30–70% of
# the text's width, that text crosses over at most half the height of each column.
MIN_GUTTER = 1.0
# Each column at least this many lines high, and this share of the right
# one's lines starting at its left edge.
MIN_COLUMN_LINES = 3
MIN_ALIGNED_SHARE = 0.75


def page_text(page, with_lines: bool = False) -> tuple[str, list[list[tuple]] | None]:
    """(a page's text as PDFium reads it, its lines in reading order, letter-spaced
    lines re-joined, two columns side by side one after the other; with
    `with_lines`, its lines in reading order as lists of (character, box or
    None) for the title, read from the same pass, else None)."""
    textpage = page.get_textpage()
    try:
        boxes = CharBoxes(textpage)
        text, boxes, replaced, spans = in_reading_order(textpage.get_text_range(), boxes, boxes.quarter)
        replaced.update(respaced(text, boxes, spans))
        labels = column_labels(textpage, text, boxes)
        lines = boxed_lines(text, boxes, replaced, spans) if with_lines else None
    finally:
        textpage.close()
    if labels is None:
        out = "".join(replaced.get(t, ch) for t, ch in enumerate(text))
    else:
        runs: dict[tuple, list[str]] = defaultdict(list)
        for t, ch in enumerate(text):
            ch = replaced.get(t, ch)
            if t and labels[t] == labels[t - 1] and runs[labels[t]]:
                runs[labels[t]][-1] += ch
            else:
                runs[labels[t]].append(ch)
        out = "\n".join("\n".join(run.strip(" ") for run in runs[label]) for label in sorted(runs))
    return re.sub(r"[ \t]*\n[ \t]*", "\n", out.replace("\r\n", "\n")).strip(), lines


def boxed_lines(text: str, box, replaced: dict[int, str], spans: list[range]) -> list[list[tuple]]:
    """The page's lines (the spans in_reading_order gives) as lists of (character, box or None)."""
    lines = []
    for span in spans:
        line = []
        for t in span:
            ch = replaced.get(t, text[t])
            if ch:
                line.append((ch, box(t) if ch.strip() else None))
        if any(b for _, b in line):
            lines.append(line)
    return lines


class CharBoxes:
    """The box of the character at a place of a page's text (its advance
    across, the font's height up), asked of PDFium once when first needed."""

    def __init__(self, textpage):
        self.textpage = textpage
        self.rect = pdfium_c.FS_RECTF()
        self.known: dict[int, tuple | None] = {}

    def __call__(self, t: int) -> tuple | None:
        if t in self.known:
            return self.known[t]
        i = pdfium_c.FPDFText_GetCharIndexFromTextIndex(self.textpage, t)
        r = self.rect
        if i < 0 or not pdfium_c.FPDFText_GetLooseCharBox(self.textpage, i, r) or r.top <= r.bottom:
            self.known[t] = None
        else:
            self.known[t] = (r.left, r.bottom, r.right, r.top)
        return self.known[t]

    def generated(self, t: int) -> bool:
        """Whether PDFium added the character at this place (a space or line end the file does not have)."""
        i = pdfium_c.FPDFText_GetCharIndexFromTextIndex(self.textpage, t)
        return i >= 0 and pdfium_c.FPDFText_IsGenerated(self.textpage, i) == 1

    def quarter(self, t: int) -> int | None:
        """The quarter turn (0–3) the character at this place is written at; None when unknown."""
        i = pdfium_c.FPDFText_GetCharIndexFromTextIndex(self.textpage, t)
        return quarter_turn(pdfium_c.FPDFText_GetCharAngle(self.textpage, i)) if i >= 0 else None


class _Moved:
    """The boxes of a text made of another's pieces: the box of each of its
    places is that of the place it came from (none for the line ends put between)."""

    def __init__(self, box, source: list[int]):
        self.box, self.source = box, source

    def __call__(self, t: int) -> tuple | None:
        return self.box(self.source[t]) if self.source[t] >= 0 else None

    def generated(self, t: int) -> bool:
        return self.source[t] >= 0 and self.box.generated(self.source[t])


def page_lines(text: str, box) -> list[list]:
    """The lines of the page as [start, end, box]: PDFium's lines, those it
    broke along one line of the page (at a superscript, a link) joined."""
    lines: list[list] = []
    last = None
    for piece in re.finditer(r"\S(?:[^\r\n]*\S)?", text):
        boxes = [b for b in map(box, range(*piece.span())) if b is not None]
        if not boxes:  # (characters PDFium gives no box: with the line before them)
            if lines:
                lines[-1][1] = piece.end()
            else:
                lines.append([piece.start(), piece.end(), None])
            continue
        whole = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                 max(b[3] for b in boxes))
        if lines and _same_line(last, boxes[0]):
            b = lines[-1][2] or whole
            lines[-1][1:] = [piece.end(), (min(b[0], whole[0]), min(b[1], whole[1]), max(b[2], whole[2]),
                                           max(b[3], whole[3]))]
        else:
            lines.append([piece.start(), piece.end(), whole])
        last = boxes[-1]
    return lines


def _across(b: tuple | None) -> bool:
    """Whether a line's box runs across the page (a line of text, not a letter or a vertical line)."""
    return b is not None and b[2] - b[0] >= ACROSS * (b[3] - b[1])


def _above(upper: tuple, lower: tuple) -> bool:
    """Whether a line stands above another and over it (sharing half the narrower one's width)."""
    height = min(upper[3] - upper[1], lower[3] - lower[1])
    shared = min(upper[2], lower[2]) - max(upper[0], lower[0])
    return (upper[1] >= lower[3] - OVERLAP_BELOW * height
            and shared >= 0.5 * min(upper[2] - upper[0], lower[2] - lower[0]))


def reading_order(lines: list[list]) -> list[int]:
    """The order lines are read in: PDFium's, but a line it gives after lines
    below it and under it goes before the first of them (a heading a browser
    printed after its section, footnotes written from the bottom up), and a
    heading above all the lines before it goes first (a page's title printed
    after a sidebar)."""
    order: list[int] = []
    if len(lines) > MAX_ORDERED_LINES:
        return list(range(len(lines)))
    heights = sorted(b[3] - b[1] for _, _, b in lines if b is not None)
    middle = heights[len(heights) // 2] if heights else 0.0
    top = None  # the top of the highest line placed so far
    for k, line in enumerate(lines):
        at, b = len(order), line[2]
        if _across(b):
            if top is not None and b[1] >= top and b[3] - b[1] >= HEADING * middle:
                at = 0
            else:
                at = next((i for i, j in enumerate(order) if _across(lines[j][2]) and _above(b, lines[j][2])), at)
        order.insert(at, k)
        if b is not None:
            top = b[3] if top is None else max(top, b[3])
    return order


def _gap_under(upper: tuple | None, lower: tuple | None) -> float | None:
    """The gap between a line and the next under it in the same column, in
    line heights; None when the next is not under it."""
    if upper is None or lower is None:
        return None
    height = min(upper[3] - upper[1], lower[3] - lower[1])
    shared = min(upper[2], lower[2]) - max(upper[0], lower[0])
    gap = upper[1] - lower[3]
    return gap / height if shared > 0 and gap > -0.5 * height and height > 0 else None


def in_reading_order(text: str, box, quarter=lambda t: None) -> tuple[str, object, dict[int, str], list[range]]:
    """(the page's text with its lines in reading order, paragraphs a blank
    line apart, the boxes of its places, what replaces each line end PDFium
    put inside a line of the page: a space, or nothing between touching
    characters, a raised footnote mark after its number, as PDFium reads it
    unbroken; the span of each line in the text). `quarter` gives the quarter
    turn a place's character is written at (a form's turned labels are read last)."""
    lines = page_lines(text, box)
    order = reading_order(lines)
    if len(lines) <= MAX_ORDERED_LINES:
        order = form_order(order, lines, text, [quarter(start) for start, _, _ in lines])
    gaps = [_gap_under(lines[a][2], lines[b][2]) for a, b in zip(order, order[1:])]
    known = sorted(g for g in gaps if g is not None)
    usual = known[len(known) // 2] if known else 0.0
    parts, source, replaced, spans = [], [], {}, []
    for n, k in enumerate(order):
        start, end, _ = lines[k]
        if n:
            gap = gaps[n - 1]
            parts.append("\n\n" if gap is not None and gap > usual + PARAGRAPH_GAP else "\n")
            source.extend([-1] * len(parts[-1]))
        base = len(source)
        parts.append(text[start:end])
        source.extend(range(start, end))
        spans.append(range(base, base + end - start))
        for m in re.finditer(r"\s*\n\s*", text[start:end]):
            touching = _touching(box(start + m.start() - 1), box(start + m.end()))
            replaced[base + m.start()] = "" if touching else " "
            replaced.update((t, "") for t in range(base + m.start() + 1, base + m.end()))
    return "".join(parts), _Moved(box, source), replaced, spans


def _touching(before: tuple | None, after: tuple | None) -> bool:
    """Whether two characters' boxes stand side by side with no gap a space would leave."""
    if before is None or after is None:
        return False
    height = min(before[3] - before[1], after[3] - after[1])
    return abs(after[0] - before[2]) < TOUCHING * height


def _same_line(before: tuple | None, after: tuple | None) -> bool:
    """Whether a character box follows another on the same line of the page."""
    if before is None or after is None:
        return False
    height = min(before[3] - before[1], after[3] - after[1])
    overlap = min(before[3], after[3]) - max(before[1], after[1])
    return overlap > 0.5 * height and -0.5 * height < after[0] - before[2] < 2 * height


def _cover(spans: list[tuple]) -> float:
    """The length of the union of (low, high) spans."""
    total, reach = 0.0, None
    for low, high in sorted(spans):
        if reach is None or low > reach:
            total += high - low
            reach = high
        elif high > reach:
            total += high - reach
            reach = high
    return total


def _merged(spans: list[tuple]) -> list[tuple]:
    """Overlapping (low, high) spans joined, the highest first."""
    out: list[list] = []
    for low, high in sorted(spans, reverse=True, key=lambda s: s[1]):
        if out and high >= out[-1][0]:
            out[-1][0] = min(out[-1][0], low)
        else:
            out.append([low, high])
    return [tuple(s) for s in out]


def gutter(rects: list[tuple]) -> tuple | None:
    """(x, wide lines) of a page with two columns side by side: x in the
    middle of the strip between them, and the (bottom, top) of the lines that
    cross it (headings), the highest first; None for any other page.

    A strip crossed by text over more than half the height of either column
    is a gap between words, not a gutter (an OCR layer's word boxes leave
    many); a strip narrower than a line's height is a space; text right of
    it whose lines do not start at one edge is the rest of lines that a gap
    runs down by chance (letter-spaced lines of different lengths)."""
    if len(rects) < 4:
        return None
    left_edge, right_edge = min(r[0] for r in rects), max(r[2] for r in rects)
    span = right_edge - left_edge
    height = sorted(r[3] - r[1] for r in rects)[len(rects) // 2]
    size = int(span) + 2
    if size < 4 or height <= 0:
        return None
    starts, ends = [0] * size, [0] * size
    for r in rects:  # how many boxes cross each whole x (from the left edge)
        first, last = int(r[0] - left_edge) + 1, int(r[2] - left_edge + 0.999) - 1
        if first <= last:
            starts[min(first, size - 1)] += 1
            ends[min(last, size - 1)] += 1
    crossing, running = [], 0
    for x in range(size):
        running += starts[x]
        crossing.append(running)
        running -= ends[x]
    middle = range(int(0.3 * span), int(0.7 * span) + 1)
    fewest = min(crossing[x] for x in middle)
    best, run = (0, -1), None
    for x in middle:
        if crossing[x] == fewest:
            run = (run[0], x) if run else (x, x)
            if run[1] - run[0] > best[1] - best[0]:
                best = run
        else:
            run = None
    if best[1] - best[0] < MIN_GUTTER * height:
        return None
    x = left_edge + (best[0] + best[1]) / 2
    left = [(r[1], r[3]) for r in rects if r[2] <= x]
    right = [(r[1], r[3]) for r in rects if r[0] >= x]
    wide = [(r[1], r[3]) for r in rects if r[0] < x < r[2]]
    # A column's lines start at its left edge: the pieces of a page's lines
    # right of a gap that happens to run down it start anywhere.
    starts: dict[int, float] = {}
    for r in rects:
        if r[0] >= x:
            line = round((r[1] + r[3]) / height)
            starts[line] = min(starts.get(line, r[0]), r[0])
    left_lines = {round((r[1] + r[3]) / height) for r in rects if r[2] <= x}
    if min(len(left_lines), len(starts)) < MIN_COLUMN_LINES:
        return None
    edge = min(starts.values())
    if sum(1 for s in starts.values() if s <= edge + height) < MIN_ALIGNED_SHARE * len(starts):
        return None
    if _cover(wide) > 0.5 * min(_cover(left), _cover(right)):
        return None
    sides = left + right
    if _cover(wide) + _cover(sides) - _cover(wide + sides) > 0.5 * _cover(wide):
        return None  # what crosses stands beside the "columns": lines of a table of contents, not headings
    if min(b for b, _ in left) > max(t for _, t in right) or min(b for b, _ in right) > max(t for _, t in left):
        return None  # the "columns" do not stand side by side
    return x, _merged(wide)


def column_labels(textpage, text: str, box) -> list[tuple] | None:
    """For each place of a page's text with two columns, where it is read:
    (band, 0) left and (band, 1) right column of the band under `band` wide
    lines, (band, 2) that wide line; None for a page of one column."""
    found = gutter([textpage.get_rect(k) for k in range(textpage.count_rects())])
    if found is None:
        return None
    x, wide = found
    labels: list = [None] * len(text)
    for t, ch in enumerate(text):
        b = None if ch.isspace() else box(t)
        if b is None:
            continue  # (a space or line end goes with what it follows)
        middle_x, middle_y = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
        above = sum(1 for bottom, _ in wide if bottom > middle_y)
        if above < len(wide) and wide[above][0] <= middle_y <= wide[above][1]:
            labels[t] = (above, 2)
        else:
            labels[t] = (above, 0 if middle_x < x else 1)
    last = next((label for label in labels if label is not None), (0, 0))
    for t, label in enumerate(labels):
        last = labels[t] = label or last
    return labels
