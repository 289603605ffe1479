"""Words as the index folds them: lower case, ё as е, without stress marks or
soft hyphens, lookalike letters of the other script mended; and what a word
is made of (its script, whether it has letters). Every layer folds through here."""

from __future__ import annotations

import functools
import re

import numpy as np

from search.lang.table import CYRILLIC_TO_LATIN, LANGUAGE_TABLE, LATIN_TO_CYRILLIC, SCRIPT_DEFAULT

# A word: letters, digits and combining marks, joined by inner hyphens or
# apostrophes ("Nagorno-Karabakh", "Armenia’s", "из-за").
_WORD_CHARS = r"[\w\u0300-\u036f\u00ad]+"
_JOINERS = "-\u2010\u2011'\u2019\u02bc"
WORD_RE = re.compile(rf"{_WORD_CHARS}(?:[{_JOINERS}]{_WORD_CHARS})*")
_WORD_CHAR_RE = re.compile(_WORD_CHARS[:-1])  # (one character of a word)
PART_RE = re.compile(rf"{_WORD_CHARS}(?:['\u2019\u02bc]{_WORD_CHARS})*")

_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_LATIN_RE = re.compile(r"[a-z]")
_LETTER_RE = re.compile(r"[^\W\d_]")
# Stress marks, other combining accents and the soft hyphen: invisible to a
# reader, so invisible to search.
_INVISIBLE = str.maketrans("", "", "".join(map(chr, range(0x300, 0x370))) + "\u00ad")
# Folding that keeps every character in place, so offsets stay valid.
_FOLD = (("ё", "е"), ("\u2019", "'"), ("\u02bc", "'"), ("\u2010", "-"), ("\u2011", "-"))


def fold_text(text: str) -> str:
    """Lower-case and ё-fold a whole text without moving any character.

    Words may still hold stress marks or mixed scripts; `repair` takes those
    out one word at a time, where it is cheap (see `word_terms`).
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # rare letters that lower-case to two
        lowered = "".join(c.lower()[0] for c in text)
    # A chain of replace() calls: far faster than translate() on long texts.
    for old, new in _FOLD:
        if old in lowered:
            lowered = lowered.replace(old, new)
    return lowered


def repair(word: str) -> str:
    """Drops stress marks and soft hyphens; rewrites lookalike letters of the
    minority script in a word that mixes Latin and Cyrillic."""
    if word.isascii():
        return word
    word = word.translate(_INVISIBLE)
    if _LATIN_RE.search(word) and _CYRILLIC_RE.search(word):
        word = _fix_mixed_script(word)
    return word


def fold(text: str) -> str:
    """Lower-case and fold a word the way the index does (ё→е, no accents)."""
    return repair(fold_text(text))


def _fix_mixed_script(word: str) -> str:
    """Rewrite lookalike letters of the minority script in a mixed word."""
    cyrillic = len(_CYRILLIC_RE.findall(word))
    latin = len(_LATIN_RE.findall(word))
    if cyrillic >= latin:
        fixed = word.translate(LATIN_TO_CYRILLIC)
        return fixed if not _LATIN_RE.search(fixed) else word
    fixed = word.translate(CYRILLIC_TO_LATIN)
    return fixed if not _CYRILLIC_RE.search(fixed) else word


def word_script(word: str) -> str:
    """"Cyrillic", "Latin" or "" (no letters of either) for a folded word."""
    if _CYRILLIC_RE.search(word):
        return "Cyrillic"
    if _LATIN_RE.search(word):
        return "Latin"
    return ""


def script(word: str) -> str:
    """The default language of a folded word's script: "ru" for Cyrillic words,
    "en" for Latin ones, "" otherwise."""
    return SCRIPT_DEFAULT.get(word_script(word), "")


# Each language's own letters, for telling a word's language by its letters.
_OWN_LETTERS = tuple((language.code, frozenset(language.letters))
                     for language in LANGUAGE_TABLE if language.letters)


def word_language(word: str) -> str:
    """The language of a folded word as its letters tell: the language whose
    own letters it has («виборів»: "uk"), else its script's default ("ru")."""
    if not word.isascii():
        letters = set(word)
        for code, own in _OWN_LETTERS:
            if letters & own:
                return code
    return script(word)


def has_letters(word: str) -> bool:
    return _LETTER_RE.search(word) is not None


def word_bounds(folded: str) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) of the words WORD_RE finds in a folded text, found for the
    whole text at once (a long speech's 10,000 words without a Python step each):
    runs of word characters, a joiner between two word characters inside its word."""
    codes = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), "<u4")
    kinds = np.zeros(len(codes) + 2, np.uint8)  # (a character of neither kind on either side)
    plane = codes < 0x10000
    kinds[1:-1][plane] = _char_kinds()[codes[plane]]
    for at in np.flatnonzero(~plane):  # (a letter beyond the first plane: 𝐀)
        kinds[at + 1] = _WORD if _WORD_CHAR_RE.match(folded[at]) else 0
    wordy = (kinds & _WORD).astype(bool)
    joins = np.zeros_like(wordy)
    joins[1:-1] = (kinds[1:-1] & _JOINER).astype(bool) & wordy[:-2] & wordy[2:]
    edges = np.diff((wordy | joins).view(np.int8))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


_WORD, _JOINER = 1, 2  # (kinds of character, as bits)


@functools.cache
def _char_kinds() -> np.ndarray:
    """Each first-plane character's kinds: a word character, a joiner (built once: 30 ms)."""
    kinds = np.fromiter((_WORD if _WORD_CHAR_RE.match(chr(c)) else 0 for c in range(0x10000)), np.uint8, 0x10000)
    kinds[[ord(c) for c in _JOINERS]] |= _JOINER
    return kinds
