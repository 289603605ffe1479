"""Letter-spaced text made words again: a PDF page's lines whose letters
stand apart (a browser's letter-spacing, WPS Writer's one glyph at a time,
an OCR layer's spacing) read in whole words, from the boxes PDFium gives
each character and whether PDFium added a space the file does not have."""

from __future__ import annotations

# Letter spacing, in heights of a line's character boxes: a line whose
# letters stand this far apart is letter-spaced, and in it a space narrower
# than the letters' gap and this much more joins two letters of one word
# (a word gap is the letters' gap and a space's width, 0.2 or more).
MIN_LETTER_GAP = 0.05
MIN_WORD_GAP = 0.15
SPACING_SAMPLE = 6  # letters of a line looked at to see whether it is spaced at all


def _gaps(places: list[int], box) -> list[tuple]:
    """(place, next place, gap, height) of neighbouring characters on one line of text."""
    out, previous = [], None
    for t in places:
        b = box(t)
        if b is not None and previous is not None:
            p, pb = previous
            overlap = min(pb[3], b[3]) - max(pb[1], b[1])
            if overlap > 0.5 * min(pb[3] - pb[1], b[3] - b[1]):
                out.append((p, t, b[0] - pb[2], b[3] - b[1]))
        previous = (t, b) if b is not None else None
    return out


def _spaced(gaps: list[tuple]) -> float | None:
    """The gap between letters (its lower quartile) of a letter-spaced line, else None."""
    if len(gaps) < 3:
        return None
    height = sorted(g[3] for g in gaps)[len(gaps) // 2]
    gap = sorted(g[2] for g in gaps)[len(gaps) // 4]
    return gap if gap >= MIN_LETTER_GAP * height else None


def respaced(text: str, box, spans: list[range]) -> dict[int, str]:
    """What replaces the spaces and line ends of letter-spaced lines: nothing
    where they part letters of one word («З а я в л е н и е», "p d f", or
    «Зая вление» where PDFium took a wide gap between letters for a space),
    narrower than the line's gap between letters and a part of a space's
    width, or, for a space PDFium added on a line whose words the file parts
    with spaces of its own, nearer the letters' gap than those («A Z» of an
    OCR layer); a space where PDFium ended a line between letters placed one
    by one along it. Lines with letters side by side are left as they are,
    but for the spaces `inside_words` takes out."""
    replaced: dict[int, str] = {}
    lines = [[t for t in span if not text[t].isspace()] for span in spans]
    for places in lines:
        gaps = _gaps(places, box)
        spaced = len(places) >= 4 and _spaced(_gaps(places[:SPACING_SAMPLE], box)) is not None
        letter_gap = _spaced(gaps) if spaced else None
        if letter_gap is not None:
            height = sorted(g[3] for g in gaps)[len(gaps) // 2]
            own = [g[2] for g in gaps if text[g[0] + 1:g[1]] == " " and not box.generated(g[0] + 1)]
            closer = (letter_gap + min(own)) / 2 if own else 0.0  # (nearer the letters' gap than the file's spaces)
            for before, after, gap, _ in gaps:
                between = range(before + 1, after)
                if not between or text[before + 1:after].strip():
                    continue
                joined = gap < letter_gap + MIN_WORD_GAP * height or (
                    gap < closer and text[before + 1:after] == " " and box.generated(before + 1))
                for t in between:
                    replaced[t] = "" if joined or t > before + 1 else " "
        replaced.update(inside_words(text, box, gaps))
    return replaced


def inside_words(text: str, box, gaps: list[tuple]) -> dict[int, str]:
    """Nothing in place of a space PDFium added (the file has none there) between two characters no
    further apart than the letters beside them in the same word: an OCR layer sets each word's letters
    apart by its own spacing, and PDFium breaks words before their last letter («LL C», «Floo r»),
    on lines too short or too little spaced to be seen as letter-spaced."""
    out: dict[int, str] = {}
    for k, (before, after, gap, height) in enumerate(gaps):
        if after != before + 2 or text[before + 1] != " ":
            continue
        beside = [g[2] for g in gaps[max(k - 1, 0):k + 2]
                  if g[1] == g[0] + 1 and (g[1] == before or g[0] == after)]
        if beside and gap <= max(beside) + MIN_LETTER_GAP * height and box.generated(before + 1):
            out[before + 1] = ""
    return out
