"""Bytes → text: byte-order marks, UTF-8 and UTF-16, legacy encodings, normalisation.

A file that is not UTF-8 is decoded with the legacy encoding whose text reads
most like words (Latin or Cyrillic, not a mix of both, in a normal letter
case); a guess made from a few bytes is said to be uncertain.
"""

from __future__ import annotations

import codecs
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from search.errors import ReadError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Legacy encodings worth considering when a file is not UTF-8: Cyrillic and
# Western European (old English and French text). Ties go to the first.
LEGACY_ENCODINGS = ("cp1251", "koi8_r", "cp1252", "cp866", "mac_cyrillic", "iso8859_5")
ENCODING_NAMES = {
    "cp1251": "Windows-1251", "koi8_r": "KOI8-R", "cp866": "CP866", "mac_cyrillic": "Mac Cyrillic",
    "iso8859_5": "ISO-8859-5", "cp1252": "Windows-1252",
}
# How much of a file the guess reads: enough to judge, cheap for a 50 MB file.
SAMPLE_BYTES = 64 * 1024
# A guess from fewer non-ASCII letters than this, or won by a smaller margin, is uncertain.
CERTAIN_LETTERS = 24
CERTAIN_MARGIN = 2.0
# Above this many oddities per non-ASCII byte, no encoding reads as text.
MAX_ODDITY = 0.45


@dataclass(frozen=True)
class Decoded:
    text: str
    note: str | None = None  # "decoded as KOI8-R, uncertain", for the summary's warnings
    # The reader saw no title in the file (a PDF that opens with a label or a
    # poor OCR layer): its name is its title, not a line of its text.
    untitled: bool = False


def decode(data: bytes, declared: str | None = None) -> str:
    """Bytes → text (see decode_text); raises ReadError."""
    return decode_text(data, declared).text


def decode_text(data: bytes, declared: str | None = None) -> Decoded:
    """Bytes → text: BOM, then UTF-8, UTF-16 without BOM, a declared or a detected legacy encoding."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding))
            except UnicodeDecodeError as err:
                raise ReadError(f"invalid {encoding.upper()} text after its byte-order mark ({err.reason})")
    if b"\0" in data[:8192]:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise ReadError("binary file (contains NUL bytes)")
        return utf16
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError as err:
        broken = err
    if declared:
        try:
            return Decoded(data.decode(declared))
        except (LookupError, UnicodeDecodeError):
            pass
    if _mostly_utf8(data):
        raise ReadError(f"invalid UTF-8 at byte {broken.start:,} (the rest is UTF-8): "
                        "cannot tell the text encoding")
    return _guess_legacy(data)


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 text without a byte-order mark, told by where its zero bytes fall."""
    sample = data[:8192]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if len(data) % 2 or max(even, odd) < 4 * max(min(even, odd), 1):
        return None
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    sample = text[:4096]
    if len(_SYMBOL.findall(sample)) + len(_MIXED_WORD.findall(sample)) > 0.02 * len(sample):
        return None
    return Decoded(text)


def _mostly_utf8(data: bytes) -> bool:
    """True for UTF-8 with a stray byte or two: most of its non-ASCII bytes form UTF-8."""
    sample = data[:SAMPLE_BYTES]
    text = sample.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    return good >= 8 and bad <= max(2, good // 100)


# Russian letter frequencies (per cent), for telling Cyrillic encodings apart.
_RUSSIAN = dict(zip("оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё",
                    (10.97, 8.45, 8.01, 7.35, 6.70, 6.26, 5.47, 4.73, 4.54, 4.40, 4.40, 3.49, 3.21,
                     2.98, 2.81, 2.62, 2.01, 1.90, 1.74, 1.70, 1.65, 1.59, 1.44, 1.21, 0.97, 0.94,
                     0.73, 0.64, 0.48, 0.36, 0.32, 0.26, 0.04)))
_RARITY = {ch: 0.1 * math.log2(11 / f) for ch, f in _RUSSIAN.items()}
_LATIN = "A-Za-z\u00c0-\u024f"
_CYRILLIC = "\u0400-\u04ff"
_MIXED_WORD = re.compile(rf"(?=[{_LATIN}{_CYRILLIC}]*[{_LATIN}])(?=[{_LATIN}{_CYRILLIC}]*[{_CYRILLIC}])"
                         rf"[{_LATIN}{_CYRILLIC}]+")
_CASE_FLIP = re.compile("[a-z\u00df-\u00ffа-яё][A-Z\u00c0-\u00deА-ЯЁ]")
_SYMBOL = re.compile(r"[^\w\s.,;:!?'\"«»()\[\]\-–—/%№&+*=’“”„…]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NON_RUSSIAN_CYRILLIC = re.compile("[\u0400\u0402-\u040f\u0450\u0452-\u045f\u0460-\u04ff]")
_ACCENTED = re.compile("[\u00c0-\u024f]")
_ALL_ACCENTED_WORD = re.compile("[\u00c0-\u024f]{3,}")


def _oddities(text: str) -> float:
    """How little `text` reads like English or Russian words (0 for plain words)."""
    counts = Counter(text.lower())
    return (2 * len(_MIXED_WORD.findall(text)) + len(_CASE_FLIP.findall(text))
            + len(_SYMBOL.findall(text)) + len(_NON_RUSSIAN_CYRILLIC.findall(text))
            + 0.3 * len(_ACCENTED.findall(text)) + 2 * len(_ALL_ACCENTED_WORD.findall(text))
            + sum(_RARITY[ch] * n for ch, n in counts.items() if ch in _RARITY))


def _guess_legacy(data: bytes) -> Decoded:
    sample = data[:SAMPLE_BYTES]
    high = sum(1 for b in sample if b > 0x7F)
    scored = []
    for encoding in LEGACY_ENCODINGS:
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        scored.append((_oddities(text), encoding))
    scored.sort(key=lambda pair: pair[0])  # stable: ties keep LEGACY_ENCODINGS' order
    for n, (score, encoding) in enumerate(scored):
        if score > MAX_ODDITY * max(high, 1) + 1:
            break
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        runner_up = next((s for s, _ in scored[n + 1:]), math.inf)
        certain = high >= CERTAIN_LETTERS and runner_up - score >= CERTAIN_MARGIN
        return Decoded(text, None if certain else f"decoded as {ENCODING_NAMES[encoding]}, uncertain")
    raise ReadError("cannot detect the text encoding (not UTF-8, UTF-16 or a known Cyrillic "
                    "or Western encoding)")


# Runs of blanks other than a single plain space (which needs no change).
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")
_BLANK_LINES = re.compile(r"\n{3,}")
# Control characters (C0 and C1, which terminals obey) and invisible marks.
_INVISIBLES = re.compile(r"[\u200b-\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_FIELD_BREAKS = re.compile(r"[\t\n\r\u2028\u2029]")


def normalize(text: str) -> str:
    """Unix newlines, one space between words, at most one blank line."""
    text = unicodedata.normalize("NFC", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLES.sub("", text)
    text = _SPACES.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def clean_field(value: str) -> str:
    """A title or metadata value on one line: no control characters (a terminal
    obeys them), one space between words."""
    value = _FIELD_BREAKS.sub(" ", unicodedata.normalize("NFC", value))
    return " ".join(_INVISIBLES.sub("", value).split())


def unlinkable(name: str) -> str | None:
    """Why a link cannot carry `name` as a statement's id (a control character,
    or a "." or ".." path segment that a browser folds away), or None."""
    for ch in name:
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
            return f"it holds the control character U+{ord(ch):04X}, which a link cannot carry"
    if any(part in (".", "..") for part in name.split("/")):
        return 'it holds a "." or ".." path segment, which a link cannot carry'
    return None
